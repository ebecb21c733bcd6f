//! In-memory search over the catalog: Chinese words and fragments, full pinyin and pinyin
//! initials, everyday words mapped to official names, and small typos.
//!
//! The database is the source of truth; this index is rebuilt from it at start-up and after an
//! import. Scoring is a handful of explainable tiers (exact name, prefix, keyword, fragment,
//! fuzzy), so "why is this first?" always has an answer.

use std::cmp::Reverse;

use app::api::{Audience, ItemGuide, ItemList, ItemSummary};
use pinyin::ToPinyin;

/// Everyday phrases people type, and the official words to look for instead.
const EVERYDAY_WORDS: &[(&str, &[&str])] = &[
    ("生孩子", &["出生", "生育"]),
    ("生小孩", &["出生", "生育"]),
    ("宝宝", &["出生", "新生儿"]),
    ("上户口", &["出生登记", "户口"]),
    ("落户", &["户口", "出生登记"]),
    ("开公司", &["企业设立", "设立登记"]),
    ("注册公司", &["企业设立", "设立登记"]),
    ("办执照", &["营业执照", "设立登记"]),
    ("营业执照", &["设立登记"]),
    ("开店", &["个体工商户", "食品经营"]),
    ("开饭店", &["食品经营", "小餐饮"]),
    ("身份证丢了", &["身份证"]),
    ("丢了", &["补领"]),
    ("补办", &["补领"]),
    ("结婚", &["结婚登记"]),
    ("领证", &["结婚登记"]),
    ("离婚", &["离婚登记"]),
    ("退休", &["退休", "养老保险待遇"]),
    ("养老金", &["养老保险待遇"]),
    ("退休金", &["养老保险待遇"]),
    ("看病", &["医疗", "医保"]),
    ("报销", &["医疗费用", "报销"]),
    ("失业", &["失业"]),
    ("找工作", &["就业", "失业登记"]),
    ("买房", &["不动产", "转移登记"]),
    ("过户", &["转移登记", "过户"]),
    ("去世", &["死亡", "丧葬"]),
    ("人走了", &["死亡", "丧葬"]),
    ("上学", &["入学"]),
    ("刻章", &["公章", "印章"]),
    ("发票", &["发票"]),
    ("残疾证", &["残疾人证"]),
];

/// What to search and how to filter.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    pub text: Option<String>,
    pub theme: Option<String>,
    pub department: Option<String>,
    pub audience: Option<Audience>,
    pub limit: usize,
    pub offset: usize,
}

pub struct SearchIndex {
    entries: Vec<Entry>,
}

struct Entry {
    summary: ItemSummary,
    themes: Vec<String>,
    popularity: i64,
    /// Name, lower-cased, without spaces.
    name: Vec<char>,
    keywords: Vec<Vec<char>>,
    /// Summary, department, result: matched only as whole fragments.
    context: String,
    name_pinyin: Pinyin,
    keyword_pinyin: Vec<Pinyin>,
}

struct Pinyin {
    /// Syllables joined: `chushengyixuezhengming`.
    full: String,
    /// Byte offsets in `full` where a syllable starts.
    starts: Vec<usize>,
    /// First letters: `csyxzm`.
    initials: String,
}

impl Pinyin {
    fn of(text: &str) -> Pinyin {
        let mut full = String::new();
        let mut starts = Vec::new();
        let mut initials = String::new();
        for (ch, py) in text.chars().zip(text.to_pinyin()) {
            match py {
                Some(py) => {
                    starts.push(full.len());
                    full.push_str(py.plain());
                    initials.push_str(py.first_letter());
                }
                None if ch.is_ascii_alphanumeric() => {
                    starts.push(full.len());
                    full.push(ch.to_ascii_lowercase());
                    initials.push(ch.to_ascii_lowercase());
                }
                None => {}
            }
        }
        Pinyin { full, starts, initials }
    }

    /// Score of a latin query against this pinyin, best tier first.
    fn score(&self, term: &str) -> Option<u32> {
        if self.initials == term {
            return Some(900);
        }
        if self.full.starts_with(term) {
            return Some(850);
        }
        if term.len() >= 2 && self.initials.starts_with(term) {
            return Some(700);
        }
        if let Some(pos) = self.full.find(term) {
            let on_boundary = self.starts.contains(&pos);
            if on_boundary {
                return Some(650);
            }
            if term.len() >= 4 {
                return Some(400);
            }
        }
        if term.len() >= 3 && self.initials.contains(term) {
            return Some(500);
        }
        None
    }

    fn fuzzy(&self, term: &str) -> Option<u32> {
        let max_edits = match term.len() {
            0..=3 => return None,
            4..=7 => 1,
            _ => 2,
        };
        approx_substring_distance(self.full.as_bytes(), term.as_bytes(), max_edits)
            .map(|d| 200 - 40 * d as u32)
    }
}

impl SearchIndex {
    /// `department_name` resolves a department code to its full name.
    pub fn build(
        guides: impl IntoIterator<Item = (ItemGuide, i64)>,
        department_name: impl Fn(&str) -> String,
    ) -> SearchIndex {
        let mut entries: Vec<Entry> = guides
            .into_iter()
            .map(|(guide, popularity)| {
                let department = department_name(&guide.department);
                let context = normalise(&format!("{} {} {}", guide.summary, department, guide.result));
                Entry {
                    name: normalise(&guide.name).chars().collect(),
                    keywords: guide.keywords.iter().map(|k| normalise(k).chars().collect()).collect(),
                    name_pinyin: Pinyin::of(&guide.name),
                    keyword_pinyin: guide.keywords.iter().map(|k| Pinyin::of(k)).collect(),
                    context,
                    themes: guide.themes.clone(),
                    popularity,
                    summary: ItemSummary {
                        code: guide.code,
                        name: guide.name,
                        department,
                        department_code: guide.department,
                        audience: guide.audience,
                        item_type: guide.item_type,
                        summary: guide.summary,
                        promised_days: guide.promised_days,
                        statutory_days: guide.statutory_days,
                        handling: guide.handling,
                        online_level: guide.online_level,
                        visits: guide.visits,
                        matched: None,
                    },
                }
            })
            .collect();
        entries.sort_by_key(|e| (Reverse(e.popularity), e.summary.code.clone()));
        SearchIndex { entries }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every item's summary, in catalog order (most popular first).
    pub fn summaries(&self) -> impl Iterator<Item = &ItemSummary> {
        self.entries.iter().map(|e| &e.summary)
    }

    /// The summary of the item `code`, if the catalog has it.
    pub fn summary(&self, code: &str) -> Option<&ItemSummary> {
        self.summaries().find(|s| s.code == code)
    }

    /// Most popular items first.
    pub fn popular(&self, count: usize) -> Vec<ItemSummary> {
        self.entries.iter().take(count).map(|e| e.summary.clone()).collect()
    }

    pub fn search(&self, query: &SearchQuery) -> ItemList {
        let candidates = self.entries.iter().filter(|e| {
            query.audience.is_none_or(|a| e.summary.audience.serves(a))
                && query.theme.as_ref().is_none_or(|t| e.themes.contains(t))
                && query.department.as_ref().is_none_or(|d| &e.summary.department_code == d)
        });
        let terms = query.text.as_deref().map(Terms::parse).filter(|t| !t.is_empty());
        let mut hits: Vec<(u32, &Entry, Option<String>)> = match &terms {
            None => candidates.map(|e| (0, e, None)).collect(),
            Some(terms) => {
                let candidates: Vec<&Entry> = candidates.collect();
                let mut hits: Vec<_> =
                    candidates.iter().filter_map(|e| terms.score(e, false).map(|(s, m)| (s, *e, m))).collect();
                if hits.is_empty() {
                    hits = candidates.iter().filter_map(|e| terms.score(e, true).map(|(s, m)| (s, *e, m))).collect();
                }
                // Stable sort keeps the popularity order among equal scores.
                hits.sort_by_key(|(score, _, _)| Reverse(*score));
                hits
            }
        };
        let total = hits.len();
        let items = hits
            .drain(..)
            .skip(query.offset)
            .take(query.limit)
            .map(|(_, entry, matched)| ItemSummary { matched, ..entry.summary.clone() })
            .collect();
        let suggestions = if total == 0 && terms.is_some() { self.suggestions(query.audience) } else { Vec::new() };
        ItemList { items, total, suggestions }
    }

    /// Searches that are known to find something, for an empty result.
    fn suggestions(&self, audience: Option<Audience>) -> Vec<String> {
        let words: &[&str] = match audience {
            Some(Audience::Business) => &["开公司", "营业执照", "食品经营许可", "发票", "简易注销", "施工许可"],
            _ => &["身份证", "生孩子", "社保卡", "公积金提取", "结婚登记", "退休"],
        };
        words
            .iter()
            .filter(|w| {
                let q = SearchQuery { text: Some(w.to_string()), audience, limit: 1, ..Default::default() };
                Terms::parse(w).is_empty() || self.entries.iter().any(|e| {
                    q.audience.is_none_or(|a| e.summary.audience.serves(a)) && Terms::parse(w).score(e, false).is_some()
                })
            })
            .map(|w| w.to_string())
            .collect()
    }
}

/// A parsed query: whitespace-separated terms that must all match.
struct Terms(Vec<Term>);

struct Term {
    /// Normalised text of the term.
    text: Vec<char>,
    latin: Option<String>,
    /// Official words an everyday phrase in this term stands for.
    expansions: Vec<(&'static str, Vec<char>)>,
}

impl Terms {
    fn parse(query: &str) -> Terms {
        let normalised = normalise_keep_spaces(query);
        let terms = normalised
            .split_whitespace()
            .take(8)
            .map(|word| {
                let chars: Vec<char> = word.chars().take(40).collect();
                let latin = chars
                    .iter()
                    .all(|c| c.is_ascii_alphabetic() || *c == '\'')
                    .then(|| chars.iter().filter(|c| c.is_ascii_alphabetic()).collect::<String>())
                    .filter(|s| !s.is_empty());
                let text: String = chars.iter().collect();
                let phrases: Vec<&(&str, &[&str])> =
                    EVERYDAY_WORDS.iter().filter(|(phrase, _)| text.contains(phrase)).collect();
                // "身份证丢了" means the ID card, not every 补领 that "丢了" alone would suggest:
                // only phrases not contained in a longer matching phrase expand.
                let expansions = phrases
                    .iter()
                    .filter(|(phrase, _)| !phrases.iter().any(|(other, _)| other.len() > phrase.len() && other.contains(phrase)))
                    .flat_map(|(phrase, words)| words.iter().map(move |w| (*phrase, w.chars().collect())))
                    .collect();
                Term { text: chars, latin, expansions }
            })
            .collect();
        Terms(terms)
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sum of the terms' scores if every term matches; the first "matched through" label wins.
    fn score(&self, entry: &Entry, fuzzy: bool) -> Option<(u32, Option<String>)> {
        let mut total = 0;
        let mut label = None;
        for term in &self.0 {
            let (score, matched) = term.score(entry, fuzzy)?;
            total += score;
            label = label.or(matched);
        }
        Some((total, label))
    }
}

impl Term {
    fn score(&self, entry: &Entry, fuzzy: bool) -> Option<(u32, Option<String>)> {
        if let Some(latin) = &self.latin {
            return latin_score(entry, latin, fuzzy);
        }
        let direct = chinese_score(entry, &self.text, fuzzy);
        // An everyday phrase scores through the official words it stands for, labelled with the
        // phrase the person typed.
        let expanded = self
            .expansions
            .iter()
            .filter_map(|(phrase, word)| {
                chinese_score(entry, word, false).map(|(s, _)| (s.saturating_sub(50), Some(phrase.to_string())))
            })
            .max_by_key(|(s, _)| *s);
        match (direct, expanded) {
            (Some(d), Some(e)) => Some(if e.0 > d.0 { e } else { d }),
            (d, e) => d.or(e),
        }
    }
}

fn chinese_score(entry: &Entry, term: &[char], fuzzy: bool) -> Option<(u32, Option<String>)> {
    if term.is_empty() {
        return None;
    }
    if entry.name == term {
        return Some((1000, None));
    }
    if entry.name.starts_with(term) {
        return Some((800, None));
    }
    if contains(&entry.name, term) {
        return Some((600, None));
    }
    for keyword in &entry.keywords {
        if keyword == term {
            return Some((700, Some(keyword.iter().collect())));
        }
    }
    for keyword in &entry.keywords {
        if contains(keyword, term) || (keyword.len() >= 2 && contains(term, keyword)) {
            return Some((500, Some(keyword.iter().collect())));
        }
    }
    let term_text: String = term.iter().collect();
    if entry.context.contains(&term_text) {
        return Some((300, None));
    }
    if !fuzzy {
        return None;
    }
    // One wrong character (身分证 → 身份证), or most of the term's character pairs present.
    if term.len() >= 3 && one_substitution_away(&entry.name, term) {
        return Some((250, None));
    }
    if term.len() >= 3 {
        let pairs = term.len() - 1;
        let present = term
            .windows(2)
            .filter(|pair| entry.name.windows(2).any(|w| w == *pair) || entry.keywords.iter().any(|k| k.windows(2).any(|w| w == *pair)))
            .count();
        if present * 2 >= pairs && present > 0 {
            return Some((100 + (100 * present / pairs) as u32, None));
        }
    }
    None
}

fn latin_score(entry: &Entry, term: &str, fuzzy: bool) -> Option<(u32, Option<String>)> {
    if let Some(score) = entry.name_pinyin.score(term) {
        return Some((score, None));
    }
    let keyword_label = |i: usize| Some(entry.keywords[i].iter().collect::<String>());
    for (i, keyword) in entry.keyword_pinyin.iter().enumerate() {
        if let Some(score) = keyword.score(term) {
            return Some((score.saturating_sub(150), keyword_label(i)));
        }
    }
    if !fuzzy {
        return None;
    }
    if let Some(score) = entry.name_pinyin.fuzzy(term) {
        return Some((score, None));
    }
    entry
        .keyword_pinyin
        .iter()
        .enumerate()
        .filter_map(|(i, k)| k.fuzzy(term).map(|s| (s.saturating_sub(50), keyword_label(i))))
        .max_by_key(|(s, _)| *s)
}

fn contains(haystack: &[char], needle: &[char]) -> bool {
    needle.len() <= haystack.len() && haystack.windows(needle.len()).any(|w| w == needle)
}

fn one_substitution_away(haystack: &[char], needle: &[char]) -> bool {
    needle.len() <= haystack.len()
        && haystack
            .windows(needle.len())
            .any(|w| w.iter().zip(needle).filter(|(a, b)| a != b).count() <= 1)
}

/// Smallest edit distance between `pattern` and any substring of `text`, if at most `max`.
fn approx_substring_distance(text: &[u8], pattern: &[u8], max: usize) -> Option<usize> {
    const MAX_PATTERN: usize = 40;
    let m = pattern.len().min(MAX_PATTERN);
    let pattern = &pattern[..m];
    let mut previous = [0usize; MAX_PATTERN + 1];
    let mut current = [0usize; MAX_PATTERN + 1];
    for (j, cell) in previous.iter_mut().enumerate().take(m + 1) {
        *cell = j;
    }
    let mut best = m;
    for &c in text {
        current[0] = 0;
        for j in 1..=m {
            let substitution = previous[j - 1] + usize::from(pattern[j - 1] != c);
            current[j] = substitution.min(previous[j] + 1).min(current[j - 1] + 1);
        }
        best = best.min(current[m]);
        std::mem::swap(&mut previous, &mut current);
    }
    (best <= max).then_some(best)
}

/// Lower-case, full-width to half-width, spaces and punctuation removed.
fn normalise(text: &str) -> String {
    normalise_keep_spaces(text).chars().filter(|c| !c.is_whitespace()).collect()
}

fn normalise_keep_spaces(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .filter(|c| c.is_alphanumeric() || c.is_whitespace() || *c == '\'')
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinyin_of_name() {
        let p = Pinyin::of("出生医学证明");
        assert_eq!(p.full, "chushengyixuezhengming");
        assert_eq!(p.initials, "csyxzm");
        assert_eq!(p.score("csyxzm"), Some(900));
        assert_eq!(p.score("chusheng"), Some(850));
        assert_eq!(p.score("yixue"), Some(650));
        assert_eq!(p.score("xyz"), None);
    }

    #[test]
    fn typo_distance() {
        assert_eq!(approx_substring_distance(b"chushengyixuezhengming", b"chusheng", 1), Some(0));
        assert_eq!(approx_substring_distance(b"chushengyixuezhengming", b"chushneg", 2), Some(2));
        assert_eq!(approx_substring_distance(b"chushengyixuezhengming", b"chusheeng", 1), Some(1));
        assert_eq!(approx_substring_distance(b"jumin", b"qiye", 1), None);
    }

    #[test]
    fn normalises_full_width_and_punctuation() {
        assert_eq!(normalise("ＡＢＣ 身份证！"), "abc身份证");
        assert_eq!(normalise_keep_spaces("身份证　补领"), "身份证 补领");
    }
}
