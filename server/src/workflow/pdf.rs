//! Small one-page PDF documents the system files for bundle members: the member's application
//! form generated from the one bundle form (一表申请), and the electronic licence (电子证照) an
//! approved member passes on to the members after it.
//!
//! Text is set in the standard Chinese font `STSong-Light` (a PDF reader's built-in CJK font,
//! not embedded) with UCS-2 encoding, so Chinese needs no font file. The document has a proper
//! cross-reference table.

/// Characters per line before wrapping (12 pt on A4 with 56 pt margins).
const LINE_CHARS: usize = 38;
/// Lines that fit on the page below the title.
const MAX_LINES: usize = 38;

fn utf16_hex(text: &str) -> String {
    text.encode_utf16().map(|u| format!("{u:04X}")).collect()
}

fn wrap(line: &str) -> Vec<String> {
    let chars: Vec<char> = line.chars().filter(|c| !c.is_control()).collect();
    if chars.is_empty() {
        return vec![String::new()];
    }
    chars
        .chunks(LINE_CHARS)
        .map(|c| c.iter().collect())
        .collect()
}

/// A one-page A4 PDF: `title` in large type, then `lines` (wrapped; cut off with “……” if the
/// page is full). The title is also the document's title.
pub fn document(title: &str, lines: &[String]) -> Vec<u8> {
    let mut wrapped: Vec<String> = lines
        .iter()
        .flat_map(|l| l.split('\n').flat_map(wrap).collect::<Vec<_>>())
        .collect();
    if wrapped.len() > MAX_LINES {
        wrapped.truncate(MAX_LINES - 1);
        wrapped.push("……".into());
    }
    let mut content = format!(
        "BT /F1 16 Tf 56 780 Td <{}> Tj ET\nBT /F1 11 Tf 56 750 Td 18 TL\n",
        utf16_hex(title)
    );
    for line in &wrapped {
        content.push_str(&format!("<{}> Tj T*\n", utf16_hex(line)));
    }
    content.push_str("ET\n");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
            .to_string(),
        format!("<< /Length {} >>\nstream\n{content}endstream", content.len()),
        "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>"
            .to_string(),
        "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light \
         /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 7 0 R >>"
            .to_string(),
        "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 \
         /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>"
            .to_string(),
        format!("<< /Title <FEFF{}> /Producer (banshitong) >>", utf16_hex(title)),
    ];
    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        table.push_str(&format!("{offset:010} 00000 n \n"));
    }
    out.extend_from_slice(table.as_bytes());
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R /Info 8 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_well_formed_pdf() {
        let pdf = document(
            "营业执照（电子证照）",
            &[
                "企业名称：示范区松间月餐饮管理有限公司".into(),
                "长".repeat(100),
            ],
        );
        let text = String::from_utf8_lossy(&pdf);
        assert!(pdf.starts_with(b"%PDF-1.4\n"));
        assert!(text.ends_with("%%EOF\n"));
        // The cross-reference table points at each object.
        let start: usize = text
            .rsplit("startxref\n")
            .next()
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(pdf[start..].starts_with(b"xref\n0 9\n"));
        let table = String::from_utf8(pdf[start..].to_vec()).unwrap();
        for (i, line) in table.lines().skip(3).take(8).enumerate() {
            let offset: usize = line[..10].parse().unwrap();
            assert!(
                pdf[offset..].starts_with(format!("{} 0 obj", i + 1).as_bytes()),
                "object {}",
                i + 1
            );
        }
        // 100 characters wrap onto three lines.
        assert_eq!(text.matches("> Tj T*").count(), 4);
        assert!(text.contains(&utf16_hex("营业执照")));
    }

    #[test]
    fn a_full_page_is_cut_off() {
        let lines: Vec<String> = (0..100).map(|i| format!("第{i}行")).collect();
        let text = String::from_utf8_lossy(&document("标题", &lines)).into_owned();
        assert_eq!(text.matches("> Tj T*").count(), MAX_LINES);
        assert!(text.contains(&utf16_hex("……")));
    }
}
