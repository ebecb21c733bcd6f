//! 名称自主申报: checking a proposed company name before 企业设立登记.
//!
//! A full name is 行政区划 + 字号 + 行业表述 + 组织形式, e.g. 示范区 + 青禾 + 餐饮管理 + 有限公司.
//! The check, in the order a person would fix things:
//!
//! 1. `format` — 字号 of 2–6 Chinese characters only (no digits, latin letters or symbols) and
//!    without 有限/公司 in it; 行业表述 present and in Chinese; 组织形式 one of [`ORGANISATIONS`].
//! 2. `forbidden` — words no name may use ([`FORBIDDEN_WORDS`]: 党政机关、部队名称, 奥运 …).
//! 3. `restricted` — words needing 国务院 approval ([`RESTRICTED_WORDS`]: 中国, 中华 …).
//! 4. `identical` — the same 字号 already registered in the district, in any industry.
//! 5. `similar` — in the same industry (see [`same_industry`]), a registered 字号 that
//!    - is equal once 有限/公司 noise is removed,
//!    - has the same characters in another order,
//!    - differs by exactly one character (same length), or
//!    - contains, or is contained in, the proposed one.
//!
//!    No pinyin is available here (no dependencies), so homophones such as 青禾/清禾 are caught
//!    only through the one-character rule, and only in the same industry.
//!
//! Every problem carries a plain reason and a suggestion; suggested 字号 are checked against the
//! same rules before being offered.

use crate::api::{NameCheckRequest, NameCheckResult, NameProblem, NameProblemKind, RegisteredName};

/// 组织形式 accepted at the end of a name.
pub const ORGANISATIONS: &[&str] = &[
    "有限公司",
    "有限责任公司",
    "股份有限公司",
    "合伙企业",
    "普通合伙企业",
    "有限合伙企业",
    "个人独资企业",
    "工作室",
    "商行",
    "经营部",
    "店",
    "厂",
];

/// Words that need 国务院 approval: not available through self-declaration in the district.
pub const RESTRICTED_WORDS: &[&str] = &["中国", "中华", "全国", "国家", "国际"];

/// Words no enterprise name may use: 党政机关 and 部队 names, protected event names and
/// offensive terms (a short list; the registration authority keeps the full one).
pub const FORBIDDEN_WORDS: &[&str] = &[
    "政府",
    "公安",
    "检察",
    "法院",
    "人民",
    "国务院",
    "中央",
    "部队",
    "军队",
    "解放军",
    "武警",
    "党政",
    "奥运",
    "奥林匹克",
    "世博",
    "红十字",
    "赌场",
    "博彩",
    "色情",
    "黑社会",
    "毒品",
];

/// Characters tried when suggesting a 字号 one character longer.
const SUGGESTION_CHARS: &[char] = &['悦', '源', '嘉', '泰', '辰', '朗', '禧', '屹'];

/// Organisation words that do not belong in a 字号.
const NOISE: &[&str] = &["有限", "公司"];

const MIN_TRADE: usize = 2;
const MAX_TRADE: usize = 6;

/// CJK unified ideographs (basic block and extension A).
pub fn is_chinese_char(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

fn clean(s: &str) -> String {
    super::strip_spaces(s)
}

/// 行政区划 + 字号 + 行业 + 组织形式, spaces removed.
pub fn full_name(req: &NameCheckRequest) -> String {
    format!(
        "{}{}{}{}",
        clean(&req.district),
        clean(&req.trade_name),
        clean(&req.industry),
        clean(&req.organisation)
    )
}

/// Two industry wordings count as the same industry when equal or when one contains the other
/// (餐饮 / 餐饮管理); spaces are ignored.
pub fn same_industry(a: &str, b: &str) -> bool {
    let (a, b) = (clean(a), clean(b));
    !a.is_empty() && !b.is_empty() && (a.contains(&b) || b.contains(&a))
}

fn problem(kind: NameProblemKind, message: String, suggestion: String) -> NameProblem {
    NameProblem {
        kind,
        message,
        suggestion,
    }
}

/// The `format` problems only (what the browser can say before asking the registry).
pub fn format_problems(req: &NameCheckRequest) -> Vec<NameProblem> {
    let mut problems = Vec::new();
    let district = clean(&req.district);
    let trade = clean(&req.trade_name);
    let industry = clean(&req.industry);
    let organisation = clean(&req.organisation);

    if district.is_empty() {
        problems.push(problem(
            NameProblemKind::Format,
            "请填写行政区划".into(),
            "在本区登记的企业，行政区划填写“示范区”".into(),
        ));
    } else if !district.chars().all(is_chinese_char) {
        problems.push(problem(
            NameProblemKind::Format,
            "行政区划只能使用汉字".into(),
            "在本区登记的企业，行政区划填写“示范区”".into(),
        ));
    }

    let len = trade.chars().count();
    if trade.is_empty() {
        problems.push(problem(
            NameProblemKind::Format,
            "请填写字号".into(),
            "字号是企业名称中最有辨识度的部分，由2至6个汉字组成，如“青禾”".into(),
        ));
    } else if !trade.chars().all(is_chinese_char) {
        let has_digit = trade.chars().any(|c| c.is_ascii_digit() || c.is_numeric());
        let has_latin = trade.chars().any(|c| c.is_ascii_alphabetic());
        let what = match (has_digit, has_latin) {
            (true, true) => "数字和字母",
            (true, false) => "数字",
            (false, true) => "字母",
            (false, false) => "符号",
        };
        let chinese: String = trade.chars().filter(|c| is_chinese_char(*c)).collect();
        let suggestion = if (MIN_TRADE..=MAX_TRADE).contains(&chinese.chars().count()) {
            format!("去掉{what}，如“{chinese}”；数字可用汉字书写")
        } else {
            "字号请只用汉字，数字可用汉字书写".to_string()
        };
        problems.push(problem(
            NameProblemKind::Format,
            format!("字号只能使用汉字，不能含有{what}"),
            suggestion,
        ));
    } else if !(MIN_TRADE..=MAX_TRADE).contains(&len) {
        problems.push(problem(
            NameProblemKind::Format,
            format!("字号应为{MIN_TRADE}至{MAX_TRADE}个汉字，您填写了{len}个字"),
            if len < MIN_TRADE {
                format!("可再加一个字，如“{trade}悦”")
            } else {
                "请精简字号，行业和组织形式不要写在字号里".to_string()
            },
        ));
    }
    if let Some(word) = NOISE.iter().find(|w| trade.contains(*w)) {
        let rest = trade.replace("有限", "").replace("公司", "");
        problems.push(problem(
            NameProblemKind::Format,
            format!("字号中不能含有“{word}”等组织形式字样"),
            if rest.is_empty() {
                "组织形式请在最后一栏选择".to_string()
            } else {
                format!("字号只写“{rest}”，组织形式请在最后一栏选择")
            },
        ));
    }

    if industry.is_empty() {
        problems.push(problem(
            NameProblemKind::Format,
            "请填写行业表述".into(),
            "写明主要经营的行业，如“餐饮管理”“信息技术”“商贸”".into(),
        ));
    } else if !industry.chars().all(is_chinese_char) {
        problems.push(problem(
            NameProblemKind::Format,
            "行业表述只能使用汉字".into(),
            "写明主要经营的行业，如“餐饮管理”“信息技术”“商贸”".into(),
        ));
    }

    if organisation.is_empty() {
        problems.push(problem(
            NameProblemKind::Format,
            "请选择组织形式".into(),
            "有限责任公司选“有限公司”，合伙企业选“合伙企业”".into(),
        ));
    } else if !ORGANISATIONS.contains(&organisation.as_str()) {
        problems.push(problem(
            NameProblemKind::Format,
            format!("组织形式“{organisation}”不在可选范围内"),
            format!("请从以下组织形式中选择：{}", ORGANISATIONS.join("、")),
        ));
    }
    problems
}

/// Why `proposed` is confusingly close to `registered` (both 字号), if it is. Identical 字号
/// are not "similar" (see [`check_name`]).
pub fn similarity(proposed: &str, registered: &str) -> Option<String> {
    let strip = |s: &str| NOISE.iter().fold(clean(s), |acc, w| acc.replace(w, ""));
    let (p, r) = (clean(proposed), clean(registered));
    if p == r || p.is_empty() || r.is_empty() {
        return None;
    }
    let (ps, rs) = (strip(&p), strip(&r));
    if !ps.is_empty() && ps == rs {
        return Some(format!(
            "字号“{p}”去掉“有限”“公司”等字样后与同行业已登记的字号“{r}”相同"
        ));
    }
    let pc: Vec<char> = ps.chars().collect();
    let rc: Vec<char> = rs.chars().collect();
    if pc.len() == rc.len() {
        let (mut a, mut b) = (pc.clone(), rc.clone());
        a.sort_unstable();
        b.sort_unstable();
        if a == b {
            return Some(format!(
                "字号“{p}”与同行业已登记的字号“{r}”用字相同、只是顺序不同，容易混淆"
            ));
        }
        if pc.iter().zip(&rc).filter(|(x, y)| x != y).count() == 1 {
            return Some(format!(
                "字号“{p}”与同行业已登记的字号“{r}”只差一个字，容易混淆"
            ));
        }
    }
    if rc.len() >= MIN_TRADE && ps.contains(&rs) {
        return Some(format!("字号“{p}”包含同行业已登记的字号“{r}”，容易混淆"));
    }
    if pc.len() >= MIN_TRADE && rs.contains(&ps) {
        return Some(format!(
            "字号“{p}”被包含在同行业已登记的字号“{r}”中，容易混淆"
        ));
    }
    None
}

/// Checks a proposed name against the rules and the names registered in the district.
pub fn check_name(req: &NameCheckRequest, registered: &[RegisteredName]) -> NameCheckResult {
    let problems = problems(req, registered, true);
    NameCheckResult {
        full_name: full_name(req),
        ok: problems.is_empty(),
        problems,
    }
}

fn problems(
    req: &NameCheckRequest,
    registered: &[RegisteredName],
    suggest: bool,
) -> Vec<NameProblem> {
    let mut problems = format_problems(req);
    let trade = clean(&req.trade_name);
    let industry = clean(&req.industry);
    if trade.is_empty() {
        return problems;
    }
    let fresh = |fallback: &str| -> String {
        if suggest {
            suggest_trade_name(req, registered)
                .map(|t| format!("可在字号后加一个字，如“{t}”"))
                .unwrap_or_else(|| fallback.to_string())
        } else {
            fallback.to_string()
        }
    };

    // Forbidden and restricted words, in the 字号 or the 行业表述.
    let mut seen = Vec::new();
    for (part, text) in [("字号", &trade), ("行业表述", &industry)] {
        for word in FORBIDDEN_WORDS.iter().filter(|w| text.contains(*w)) {
            if seen.contains(word) {
                continue;
            }
            seen.push(word);
            problems.push(problem(
                NameProblemKind::Forbidden,
                format!(
                    "{part}中的“{word}”不能使用：企业名称不得含有党政机关、部队名称，受保护的活动名称或有损社会公共利益的字词"
                ),
                without_word(text, word, part),
            ));
        }
    }
    for word in RESTRICTED_WORDS.iter().filter(|w| trade.contains(*w)) {
        problems.push(problem(
            NameProblemKind::Restricted,
            format!("字号含有“{word}”。使用“中国”等字词须经国务院批准，不能在区里自主申报"),
            without_word(&trade, word, "字号"),
        ));
    }

    // The registry: identical anywhere in the district, similar within the same industry.
    let mut similar = 0;
    for name in registered {
        let other = clean(&name.trade_name);
        if other == trade {
            problems.push(problem(
                NameProblemKind::Identical,
                format!(
                    "字号“{trade}”已被本区的“{}”使用，同一区内字号不能相同",
                    name.name
                ),
                fresh("请换一个字号"),
            ));
        } else if similar < 3 && same_industry(&industry, &name.industry) {
            if let Some(reason) = similarity(&trade, &other) {
                similar += 1;
                problems.push(problem(
                    NameProblemKind::Similar,
                    format!("{reason}（已登记：{}）", name.name),
                    fresh("同行业已有相近的字号，建议换一个区别明显的字号"),
                ));
            }
        }
    }
    problems
}

fn without_word(text: &str, word: &str, part: &str) -> String {
    let rest = text.replace(word, "");
    if part == "字号" && (MIN_TRADE..=MAX_TRADE).contains(&rest.chars().count()) {
        format!("去掉“{word}”，如字号改为“{rest}”")
    } else {
        format!("请换用不含“{word}”的{part}")
    }
}

/// A 字号 one character longer that passes every check, if there is one.
pub fn suggest_trade_name(req: &NameCheckRequest, registered: &[RegisteredName]) -> Option<String> {
    let trade = clean(&req.trade_name);
    if trade.chars().count() >= MAX_TRADE {
        return None;
    }
    SUGGESTION_CHARS
        .iter()
        .filter(|c| !trade.contains(**c))
        .map(|c| format!("{trade}{c}"))
        .find(|candidate| {
            let attempt = NameCheckRequest {
                trade_name: candidate.clone(),
                ..req.clone()
            };
            problems(&attempt, registered, false).is_empty()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(trade: &str, industry: &str) -> NameCheckRequest {
        NameCheckRequest {
            district: "示范区".into(),
            trade_name: trade.into(),
            industry: industry.into(),
            organisation: "有限公司".into(),
        }
    }

    fn reg(trade: &str, industry: &str) -> RegisteredName {
        RegisteredName {
            name: format!("示范区{trade}{industry}有限公司"),
            trade_name: trade.into(),
            industry: industry.into(),
        }
    }

    fn registry() -> Vec<RegisteredName> {
        vec![
            reg("青禾", "餐饮管理"),
            reg("青禾悦", "文化传媒"),
            reg("云栖", "信息技术"),
            reg("长安味道", "餐饮"),
        ]
    }

    fn kinds(r: &NameCheckResult) -> Vec<NameProblemKind> {
        r.problems.iter().map(|p| p.kind).collect()
    }

    #[test]
    fn a_fresh_name_passes() {
        let r = check_name(&req("松鹤", "餐饮管理"), &registry());
        assert!(r.ok, "{:?}", r.problems);
        assert_eq!(r.full_name, "示范区松鹤餐饮管理有限公司");
        // Spaces are ignored.
        let r = check_name(&req(" 松 鹤", "餐饮 管理"), &registry());
        assert!(r.ok);
        assert_eq!(r.full_name, "示范区松鹤餐饮管理有限公司");
    }

    #[test]
    fn identical_trade_name_in_any_industry() {
        let r = check_name(&req("青禾", "信息技术"), &registry());
        assert_eq!(kinds(&r), [NameProblemKind::Identical]);
        assert!(!r.ok);
        assert!(r.problems[0].message.contains("示范区青禾餐饮管理有限公司"));
        // 青禾悦 is taken (文化传媒), so the next character is offered.
        assert_eq!(r.problems[0].suggestion, "可在字号后加一个字，如“青禾源”");
        assert_eq!(
            suggest_trade_name(&req("青禾", "信息技术"), &registry()).as_deref(),
            Some("青禾源")
        );
    }

    #[test]
    fn identical_in_the_same_industry_cannot_be_fixed_by_adding_a_character() {
        // 青禾X would contain 青禾 in the same industry: no one-character suggestion.
        let r = check_name(&req("青禾", "餐饮管理"), &registry());
        assert_eq!(kinds(&r), [NameProblemKind::Identical]);
        assert_eq!(r.problems[0].suggestion, "请换一个字号");
    }

    #[test]
    fn similar_only_in_the_same_industry() {
        // One character apart (a homophone without pinyin).
        let r = check_name(&req("清禾", "餐饮管理"), &registry());
        assert_eq!(kinds(&r), [NameProblemKind::Similar]);
        assert!(
            r.problems[0].message.contains("只差一个字"),
            "{}",
            r.problems[0].message
        );
        assert!(r.problems[0].message.contains("示范区青禾餐饮管理有限公司"));
        // Same characters, other order.
        let r = check_name(&req("禾青", "餐饮"), &registry());
        assert_eq!(kinds(&r), [NameProblemKind::Similar]);
        assert!(r.problems[0].message.contains("顺序不同"));
        // Containment, both ways.
        let r = check_name(&req("青禾园", "餐饮管理"), &registry());
        assert_eq!(kinds(&r), [NameProblemKind::Similar]);
        assert!(r.problems[0].message.contains("包含"));
        let r = check_name(&req("长安", "餐饮管理"), &registry());
        assert_eq!(kinds(&r), [NameProblemKind::Similar]);
        assert!(r.problems[0].message.contains("被包含"));
        // Other industries: not similar.
        assert!(check_name(&req("清禾", "信息技术"), &registry()).ok);
        assert!(check_name(&req("禾青", "建筑工程"), &registry()).ok);
        assert!(check_name(&req("云溪", "餐饮管理"), &registry()).ok);
        assert!(!check_name(&req("云溪", "信息技术"), &registry()).ok);
    }

    #[test]
    fn similarity_rules() {
        assert!(similarity("青禾", "青禾").is_none());
        assert!(similarity("青禾有限", "青禾").unwrap().contains("去掉"));
        assert!(similarity("禾青", "青禾").unwrap().contains("顺序"));
        assert!(similarity("清禾", "青禾").unwrap().contains("一个字"));
        assert!(similarity("青禾园", "青禾").unwrap().contains("包含"));
        assert!(similarity("松鹤", "青禾").is_none());
        // Two characters apart is different enough.
        assert!(similarity("清和", "青禾").is_none());
        assert!(same_industry("餐饮", "餐饮管理"));
        assert!(same_industry("餐饮管理", "餐饮管理"));
        assert!(!same_industry("餐饮管理", "信息技术"));
        assert!(!same_industry("", "餐饮"));
    }

    #[test]
    fn restricted_words_need_state_council_approval() {
        let r = check_name(&req("中华青松", "商贸"), &registry());
        assert_eq!(kinds(&r), [NameProblemKind::Restricted]);
        assert!(r.problems[0]
            .message
            .contains("使用“中国”等字词须经国务院批准"));
        assert_eq!(r.problems[0].suggestion, "去掉“中华”，如字号改为“青松”");
        let r = check_name(&req("星辰国际", "商贸"), &registry());
        assert_eq!(kinds(&r), [NameProblemKind::Restricted]);
        let r = check_name(&req("中国", "商贸"), &registry());
        assert_eq!(r.problems[0].suggestion, "请换用不含“中国”的字号");
    }

    #[test]
    fn forbidden_words() {
        let r = check_name(&req("公安盾", "安防科技"), &registry());
        assert_eq!(kinds(&r), [NameProblemKind::Forbidden]);
        assert!(r.problems[0].message.contains("党政机关"));
        let r = check_name(&req("奥运之星", "体育"), &registry());
        assert_eq!(kinds(&r), [NameProblemKind::Forbidden]);
        assert_eq!(r.problems[0].suggestion, "去掉“奥运”，如字号改为“之星”");
        // In the industry too.
        let r = check_name(&req("松鹤", "人民餐饮"), &registry());
        assert_eq!(kinds(&r), [NameProblemKind::Forbidden]);
        assert!(r.problems[0].message.starts_with("行业表述"));
    }

    #[test]
    fn format_problems_name_the_part() {
        let one = |t: &str| check_name(&req(t, "餐饮管理"), &[]).problems;
        let p = one("禾");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].kind, NameProblemKind::Format);
        assert_eq!(p[0].message, "字号应为2至6个汉字，您填写了1个字");
        assert_eq!(p[0].suggestion, "可再加一个字，如“禾悦”");
        assert_eq!(
            one("一二三四五六七")[0].message,
            "字号应为2至6个汉字，您填写了7个字"
        );
        assert_eq!(one("青禾88")[0].message, "字号只能使用汉字，不能含有数字");
        assert_eq!(
            one("青禾88")[0].suggestion,
            "去掉数字，如“青禾”；数字可用汉字书写"
        );
        assert_eq!(one("Qing禾")[0].message, "字号只能使用汉字，不能含有字母");
        assert_eq!(one("A8")[0].message, "字号只能使用汉字，不能含有数字和字母");
        assert_eq!(one("青·禾")[0].message, "字号只能使用汉字，不能含有符号");
        assert_eq!(one("")[0].message, "请填写字号");
        let p = one("青禾公司");
        assert_eq!(p[0].message, "字号中不能含有“公司”等组织形式字样");
        assert_eq!(p[0].suggestion, "字号只写“青禾”，组织形式请在最后一栏选择");

        let mut r = req("松鹤", "");
        r.organisation = "集团".into();
        r.district = "".into();
        let p = check_name(&r, &[]).problems;
        let messages: Vec<_> = p.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "请填写行政区划",
                "请填写行业表述",
                "组织形式“集团”不在可选范围内"
            ]
        );
        assert!(p
            .iter()
            .all(|p| p.kind == NameProblemKind::Format && !p.suggestion.is_empty()));
        let mut r = req("松鹤", "IT服务");
        r.organisation = "合伙企业".into();
        assert_eq!(
            check_name(&r, &[]).problems[0].message,
            "行业表述只能使用汉字"
        );
    }

    #[test]
    fn every_problem_has_a_reason_and_a_suggestion() {
        for trade in ["青禾", "清禾", "中国青禾", "公安", "禾", "A"] {
            for p in check_name(&req(trade, "餐饮管理"), &registry()).problems {
                assert!(
                    !p.message.is_empty() && !p.suggestion.is_empty(),
                    "{trade}: {p:?}"
                );
            }
        }
    }

    #[test]
    fn demo_registry_makes_the_checks_meaningful() {
        let names: Vec<RegisteredName> =
            serde_json::from_str(include_str!("../../../server/demo/registered-names.json"))
                .unwrap();
        assert!(names.len() >= 25);
        for n in &names {
            assert!(n.name.starts_with("示范区"), "{}", n.name);
            assert!(
                n.name.contains(&n.trade_name) && n.name.contains(&n.industry),
                "{}",
                n.name
            );
            // Every registered name is well formed.
            let org = n
                .name
                .trim_start_matches("示范区")
                .replacen(&n.trade_name, "", 1)
                .replacen(&n.industry, "", 1);
            let r = NameCheckRequest {
                district: "示范区".into(),
                trade_name: n.trade_name.clone(),
                industry: n.industry.clone(),
                organisation: org,
            };
            assert!(
                format_problems(&r).is_empty(),
                "{}: {:?}",
                n.name,
                format_problems(&r)
            );
        }
        assert_eq!(
            kinds(&check_name(&req("青禾", "科技"), &names)),
            [NameProblemKind::Identical]
        );
        assert_eq!(
            kinds(&check_name(&req("清禾", "餐饮管理"), &names)),
            [NameProblemKind::Similar]
        );
        assert!(check_name(&req("松间月", "餐饮管理"), &names).ok);
    }
}
