//! 四级四同: an item's 事项编码, 名称, 类型 and 设定依据 must be the same at every level of
//! government as the standard list fixes them. This reads a standard list (CSV with Chinese
//! headers, or JSON), checks it, and lists where the catalog differs from it.
//!
//! 设定依据 are compared by the laws and regulations they cite (the titles in 《》): a title
//! the standard cites that none of the item's 设定依据 mentions is a difference; articles and
//! the catalog's explanations in brackets are not compared.

use std::collections::{BTreeMap, BTreeSet};

use crate::api::{DifferenceKind, StandardDifference, StandardEntry};

use super::catalog::ITEM_TYPES;
use super::csv;

/// The CSV headers, in the order the template and the export write them.
pub const HEADERS: [&str; 4] = ["事项编码", "事项名称", "事项类型", "设定依据"];

/// Most entries a list may have (a province's list of one county's items is a few thousand).
pub const MAX_ENTRIES: usize = 10_000;

/// Problem key (`entries[3].name`, or `file`) → Chinese message naming the row.
pub type ListProblems = BTreeMap<String, String>;

/// A standard list from an uploaded file: JSON (a list of entries) when it starts with `[`,
/// otherwise CSV with the [`HEADERS`] (any order, other columns ignored). Every entry is
/// checked with [`check_entries`].
pub fn parse(text: &str) -> Result<Vec<StandardEntry>, ListProblems> {
    let body = text.strip_prefix(csv::BOM).unwrap_or(text).trim_start();
    let (entries, first_row) = if body.starts_with('[') {
        let entries = serde_json::from_str::<Vec<StandardEntry>>(body).map_err(|e| {
            file_problem(format!(
                "文件不是有效的标准清单 JSON（第 {} 行第 {} 列）：每项须有 code、name、item_type、legal_basis",
                e.line(),
                e.column()
            ))
        })?;
        (entries, 1)
    } else {
        (from_csv(body)?, 2)
    };
    let problems = check_entries(&entries, first_row);
    if problems.is_empty() {
        Ok(entries)
    } else {
        Err(problems)
    }
}

fn file_problem(message: String) -> ListProblems {
    ListProblems::from([("file".to_string(), message)])
}

fn from_csv(text: &str) -> Result<Vec<StandardEntry>, ListProblems> {
    let rows = csv::records(text).map_err(file_problem)?;
    let Some((header, rows)) = rows.split_first() else {
        return Err(file_problem("文件是空的".into()));
    };
    let mut columns = [0usize; 4];
    let mut missing = Vec::new();
    for (i, name) in HEADERS.iter().enumerate() {
        match header.iter().position(|h| h.trim() == *name) {
            Some(at) => columns[i] = at,
            None => missing.push(*name),
        }
    }
    if !missing.is_empty() {
        return Err(file_problem(format!(
            "第 1 行（表头）缺少“{}”列；表头须为：{}",
            missing.join("”“"),
            HEADERS.join("，")
        )));
    }
    let cell = |row: &Vec<String>, i: usize| {
        row.get(columns[i])
            .map(|c| c.trim().to_string())
            .unwrap_or_default()
    };
    Ok(rows
        .iter()
        .map(|row| StandardEntry {
            code: cell(row, 0),
            name: cell(row, 1),
            item_type: cell(row, 2),
            legal_basis: cell(row, 3),
        })
        .collect())
}

/// Every problem of the entries, keyed `entries[i].field`; `first_row` is the row (line) of
/// the first entry in the file, so the messages name the row a person sees in Excel.
pub fn check_entries(entries: &[StandardEntry], first_row: usize) -> ListProblems {
    let mut p = ListProblems::new();
    if entries.is_empty() {
        p.insert("file".into(), "标准清单中没有任何事项".into());
    }
    if entries.len() > MAX_ENTRIES {
        p.insert("file".into(), format!("标准清单不能超过 {MAX_ENTRIES} 项"));
    }
    let mut codes: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        let row = i + first_row;
        let at = |field: &str| format!("entries[{i}].{field}");
        if e.code.trim().is_empty() {
            p.insert(at("code"), format!("第 {row} 行：事项编码为空"));
        } else if let Some(earlier) = codes.insert(e.code.trim(), row) {
            p.insert(
                at("code"),
                format!(
                    "第 {row} 行：事项编码 {} 与第 {earlier} 行重复",
                    e.code.trim()
                ),
            );
        }
        if e.name.trim().is_empty() {
            p.insert(at("name"), format!("第 {row} 行：事项名称为空"));
        }
        if !ITEM_TYPES.contains(&e.item_type.trim()) {
            p.insert(
                at("item_type"),
                format!(
                    "第 {row} 行：事项类型“{}”无效，须为以下之一：{}",
                    e.item_type.trim(),
                    ITEM_TYPES.join("、")
                ),
            );
        }
        if e.legal_basis.trim().is_empty() {
            p.insert(at("legal_basis"), format!("第 {row} 行：设定依据为空"));
        }
    }
    p
}

/// One catalog item as the check sees it.
pub struct CatalogItem<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub item_type: &'a str,
    pub legal_basis: &'a [String],
}

/// The laws and regulations a 设定依据 cites: the titles between 《 and 》, in order.
pub fn cited_titles(text: &str) -> Vec<String> {
    let mut titles = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('《') {
        let after = &rest[start + '《'.len_utf8()..];
        let Some(end) = after.find('》') else { break };
        let title = after[..end].trim();
        if !title.is_empty() && !titles.iter().any(|t| t == title) {
            titles.push(title.to_string());
        }
        rest = &after[end + '》'.len_utf8()..];
    }
    titles
}

/// Where `catalog` differs from `standard`, by item code then kind; and how many items both
/// have.
pub fn compare(
    standard: &[StandardEntry],
    catalog: &[CatalogItem<'_>],
) -> (usize, Vec<StandardDifference>) {
    let by_code: BTreeMap<&str, &CatalogItem> = catalog.iter().map(|c| (c.code, c)).collect();
    let standard_codes: BTreeSet<&str> = standard.iter().map(|s| s.code.trim()).collect();
    let mut compared = 0;
    let mut out = Vec::new();
    for s in standard {
        let code = s.code.trim();
        let Some(item) = by_code.get(code) else {
            out.push(StandardDifference {
                code: code.into(),
                name: s.name.trim().into(),
                kind: DifferenceKind::MissingItem,
                standard: s.name.trim().into(),
                catalog: String::new(),
            });
            continue;
        };
        compared += 1;
        let mut differ = |kind, standard: &str, catalog: String| {
            out.push(StandardDifference {
                code: code.into(),
                name: item.name.into(),
                kind,
                standard: standard.into(),
                catalog,
            })
        };
        if s.name.trim() != item.name.trim() {
            differ(DifferenceKind::NameDiffers, s.name.trim(), item.name.into());
        }
        if s.item_type.trim() != item.item_type.trim() {
            differ(
                DifferenceKind::TypeDiffers,
                s.item_type.trim(),
                item.item_type.into(),
            );
        }
        let basis = item.legal_basis.join("；");
        let titles = cited_titles(&s.legal_basis);
        let missing = if titles.is_empty() {
            !compact(&basis).contains(&compact(&s.legal_basis))
        } else {
            titles.iter().any(|t| {
                !item
                    .legal_basis
                    .iter()
                    .any(|b| b.contains(&format!("《{t}》")))
            })
        };
        if missing {
            differ(DifferenceKind::BasisDiffers, s.legal_basis.trim(), basis);
        }
    }
    for item in catalog {
        if !standard_codes.contains(item.code) {
            out.push(StandardDifference {
                code: item.code.into(),
                name: item.name.into(),
                kind: DifferenceKind::NotInStandard,
                standard: String::new(),
                catalog: item.name.into(),
            });
        }
    }
    out.sort_by(|a, b| a.code.cmp(&b.code).then(a.kind.cmp(&b.kind)));
    (compared, out)
}

fn compact(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(code: &str, name: &str, item_type: &str, basis: &str) -> StandardEntry {
        StandardEntry {
            code: code.into(),
            name: name.into(),
            item_type: item_type.into(),
            legal_basis: basis.into(),
        }
    }

    #[test]
    fn a_csv_list_is_read_by_its_headers_and_every_bad_row_is_named() {
        let text = "\u{feff}事项名称,事项编码,事项类型,设定依据,备注\r\n\
                    居民身份证申领,SFQ-GA-0001,行政确认,《中华人民共和国居民身份证法》,\r\n";
        let list = parse(text).unwrap();
        assert_eq!(
            list,
            vec![entry(
                "SFQ-GA-0001",
                "居民身份证申领",
                "行政确认",
                "《中华人民共和国居民身份证法》"
            )]
        );
        let bad = "事项编码,事项名称,事项类型,设定依据\n\
                   SFQ-GA-0001,甲,行政确认,《甲法》\n\
                   SFQ-GA-0001,,行政审批,\n";
        let problems = parse(bad).unwrap_err();
        assert_eq!(
            problems["entries[1].code"],
            "第 3 行：事项编码 SFQ-GA-0001 与第 2 行重复"
        );
        assert_eq!(problems["entries[1].name"], "第 3 行：事项名称为空");
        assert!(problems["entries[1].item_type"].contains("“行政审批”无效"));
        assert!(problems.contains_key("entries[1].legal_basis"));
        assert_eq!(
            parse("事项编码,名称\n1,2\n").unwrap_err()["file"],
            "第 1 行（表头）缺少“事项名称”“事项类型”“设定依据”列；表头须为：事项编码，事项名称，事项类型，设定依据"
        );
    }

    #[test]
    fn differences_are_listed_per_item_and_kind() {
        let basis = vec!["《中华人民共和国居民身份证法》第七条（申领）".to_string()];
        let catalog = [
            CatalogItem {
                code: "A",
                name: "居民身份证申领",
                item_type: "行政确认",
                legal_basis: &basis,
            },
            CatalogItem {
                code: "B",
                name: "银行开户预约",
                item_type: "公共服务",
                legal_basis: &basis,
            },
        ];
        let standard = [
            entry(
                "A",
                "居民身份证申领、换领",
                "行政许可",
                "《中华人民共和国居民身份证法》；《居民身份证领取、发放和管理办法》",
            ),
            entry("C", "户口登记项目变更更正", "行政确认", "《户口登记条例》"),
        ];
        let (compared, diffs) = compare(&standard, &catalog);
        assert_eq!(compared, 1);
        let kinds: Vec<_> = diffs.iter().map(|d| (d.code.as_str(), d.kind)).collect();
        assert_eq!(
            kinds,
            vec![
                ("A", DifferenceKind::NameDiffers),
                ("A", DifferenceKind::TypeDiffers),
                ("A", DifferenceKind::BasisDiffers),
                ("B", DifferenceKind::NotInStandard),
                ("C", DifferenceKind::MissingItem),
            ]
        );
        let same = [entry(
            "A",
            "居民身份证申领",
            "行政确认",
            "《中华人民共和国居民身份证法》第七条",
        )];
        assert!(compare(&same, &catalog[..1]).1.is_empty());
    }
}
