//! CSV as Excel reads and writes it (RFC 4180): UTF-8 with a byte order mark so Chinese opens
//! correctly, CRLF line ends, fields quoted when they hold a comma, quote or line break.
//!
//! The server writes its CSV downloads with [`field`] and [`line`]; standard lists uploaded
//! by managers (and the demo one) are read with [`records`].

/// Excel takes a file as UTF-8 only when it starts with this.
pub const BOM: &str = "\u{feff}";

/// One field, quoted when it has to be. Text that a spreadsheet would run as a formula
/// (`=…`, `+…`, `@…`) is prefixed with an apostrophe, so an exported catalog cannot carry one.
pub fn field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '@', '\t']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// One row: the fields, each through [`field`], then CRLF.
pub fn line<S: AsRef<str>>(cells: &[S]) -> String {
    let mut out = cells
        .iter()
        .map(|c| field(c.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    out.push_str("\r\n");
    out
}

/// The rows of a CSV document (a leading BOM and blank lines skipped; CRLF or LF). The error
/// names the row (from 1) where a quoted field never ends.
pub fn records(text: &str) -> Result<Vec<Vec<String>>, String> {
    let text = text.strip_prefix(BOM).unwrap_or(text);
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut row_number = 1;
    let mut quote_started_at = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    row_number += 1;
                    cell.push('\n');
                }
                '\r' => {}
                other => cell.push(other),
            }
            continue;
        }
        match c {
            '"' if cell.is_empty() => {
                quoted = true;
                quote_started_at = row_number;
            }
            ',' => row.push(std::mem::take(&mut cell)),
            '\r' => {}
            '\n' => {
                row.push(std::mem::take(&mut cell));
                if row.iter().any(|c| !c.trim().is_empty()) {
                    rows.push(std::mem::take(&mut row));
                } else {
                    row.clear();
                }
                row_number += 1;
            }
            other => cell.push(other),
        }
    }
    if quoted {
        return Err(format!(
            "第 {quote_started_at} 行有一个引号没有结束，请检查该行"
        ));
    }
    row.push(cell);
    if row.iter().any(|c| !c.trim().is_empty()) {
        rows.push(row);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed_and_formulas_are_defused() {
        assert_eq!(field("居民身份证"), "居民身份证");
        assert_eq!(field("甲,乙"), "\"甲,乙\"");
        assert_eq!(field("说\"明\""), "\"说\"\"明\"\"\"");
        assert_eq!(field("第一行\n第二行"), "\"第一行\n第二行\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("0000-8801 1003"), "0000-8801 1003");
        assert_eq!(line(&["a", "b,c"]), "a,\"b,c\"\r\n");
    }

    #[test]
    fn records_read_back_what_line_writes() {
        let text = format!(
            "{BOM}{}{}\r\n{}",
            line(&["事项编码", "设定依据"]),
            line(&["SFQ-GA-0001", "《甲》\n《乙，丙》"]),
            line(&["SFQ-GA-0002", "带\"引号\"的"]),
        );
        assert_eq!(
            records(&text).unwrap(),
            vec![
                vec!["事项编码".to_string(), "设定依据".into()],
                vec!["SFQ-GA-0001".into(), "《甲》\n《乙，丙》".into()],
                vec!["SFQ-GA-0002".into(), "带\"引号\"的".into()],
            ]
        );
        assert_eq!(records("a,b\nc,d").unwrap().len(), 2);
        assert!(records("a\n\"b,c\nd").unwrap_err().contains("第 2 行"));
    }
}
