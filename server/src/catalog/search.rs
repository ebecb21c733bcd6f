//! In-memory search over the catalog: Chinese words and fragments, full pinyin and pinyin
//! initials, everyday words mapped to official names, and small typos.
//!
//! The database is the source of truth; this index is rebuilt from it at start-up and after an
//! import. Scoring is a handful of explainable tiers (exact name, prefix, keyword, fragment,
//! fuzzy), so "why is this first?" always has an answer.
//!
//! The 一件事 (bundles) are matched the same way and answered beside the items. Queries in
//! traditional characters (營業執照, 身份証) are folded to simplified ones first.

use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};

use app::api::{Audience, Bundle, BundleHit, ItemGuide, ItemList, ItemSummary};
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
    /// Entries (ascending positions) whose name, keywords or context contain a character: only
    /// they can match a Chinese term with one wrong character.
    by_char: HashMap<char, Vec<u32>>,
    /// Entries whose name, keywords or context contain two adjacent characters: any exact match
    /// of a Chinese term (or of a keyword inside it) shares at least one such pair.
    by_pair: HashMap<(char, char), Vec<u32>>,
    /// Entries by keyword, for queries that contain a whole keyword ("身份证丢了" ⊃ "身份证").
    by_keyword: HashMap<String, Vec<u32>>,
    /// Entries whose pinyin (full or initials, of the name or a keyword) contains a letter
    /// bigram or trigram: a latin term can only match exactly where all its grams are present.
    by_gram: HashMap<Gram, Vec<u32>>,
    /// The 一件事, in their listed order; few enough to score each one.
    bundles: Vec<Entry<BundleHit>>,
    /// Item code → the bundles it is a member of.
    memberships: HashMap<String, Vec<BundleHit>>,
}

/// Most bundles a search answers.
const BUNDLE_HITS: usize = 3;

type Gram = [u8; 3];

fn grams(text: &[u8]) -> impl Iterator<Item = Gram> + '_ {
    let bigrams = text.windows(2).map(|w| [w[0], w[1], 0]);
    let trigrams = text.windows(3).map(|w| [w[0], w[1], w[2]]);
    bigrams.chain(trigrams)
}

fn term_pairs(term: &[u8]) -> impl Iterator<Item = Gram> + '_ {
    term.windows(2).map(|w| [w[0], w[1], 0])
}

/// The grams a latin term's exact matches must contain.
fn term_grams(term: &[u8]) -> Vec<Gram> {
    match term.len() {
        0 | 1 => Vec::new(),
        2 => vec![[term[0], term[1], 0]],
        _ => term.windows(3).map(|w| [w[0], w[1], w[2]]).collect(),
    }
}

struct Entry<S = ItemSummary> {
    summary: S,
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
        Pinyin {
            full,
            starts,
            initials,
        }
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

    fn fuzzy(&self, term: &Typo) -> Option<u32> {
        term.distance(self.full.as_bytes())
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
                let context = normalise(&format!(
                    "{} {} {}",
                    guide.summary, department, guide.result
                ));
                Entry {
                    name: normalise(&guide.name).chars().collect(),
                    keywords: guide
                        .keywords
                        .iter()
                        .map(|k| normalise(k).chars().collect())
                        .collect(),
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
                        appointment: guide.appointment,
                        matched: None,
                    },
                }
            })
            .collect();
        entries.sort_by_key(|e| (Reverse(e.popularity), e.summary.code.clone()));
        let mut by_char: HashMap<char, Vec<u32>> = HashMap::new();
        let mut by_pair: HashMap<(char, char), Vec<u32>> = HashMap::new();
        let mut by_keyword: HashMap<String, Vec<u32>> = HashMap::new();
        let mut by_gram: HashMap<Gram, Vec<u32>> = HashMap::new();
        for (position, entry) in entries.iter().enumerate() {
            let position = position as u32;
            let chars: HashSet<char> = entry
                .name
                .iter()
                .chain(entry.keywords.iter().flatten())
                .copied()
                .chain(entry.context.chars())
                .collect();
            for c in chars {
                by_char.entry(c).or_default().push(position);
            }
            let context: Vec<char> = entry.context.chars().collect();
            let pairs: HashSet<(char, char)> = std::iter::once(&entry.name)
                .chain(&entry.keywords)
                .chain(std::iter::once(&context))
                .flat_map(|text| text.windows(2).map(|w| (w[0], w[1])))
                .collect();
            for pair in pairs {
                by_pair.entry(pair).or_default().push(position);
            }
            let keywords: HashSet<String> =
                entry.keywords.iter().map(|k| k.iter().collect()).collect();
            for keyword in keywords {
                by_keyword.entry(keyword).or_default().push(position);
            }
            let pinyin = std::iter::once(&entry.name_pinyin).chain(&entry.keyword_pinyin);
            let entry_grams: HashSet<Gram> = pinyin
                .flat_map(|p| grams(p.full.as_bytes()).chain(grams(p.initials.as_bytes())))
                .collect();
            for gram in entry_grams {
                by_gram.entry(gram).or_default().push(position);
            }
        }
        SearchIndex {
            entries,
            by_char,
            by_pair,
            by_keyword,
            by_gram,
            bundles: Vec::new(),
            memberships: HashMap::new(),
        }
    }

    /// Adds the 一件事 (in their listed order) to search and to item memberships.
    pub fn with_bundles(mut self, bundles: impl IntoIterator<Item = Bundle>) -> SearchIndex {
        for bundle in bundles {
            let hit = BundleHit {
                code: bundle.code.clone(),
                name: bundle.name.clone(),
                audience: bundle.audience,
                summary: bundle.summary.clone(),
            };
            for member in &bundle.members {
                let list = self
                    .memberships
                    .entry(member.item_code.clone())
                    .or_default();
                if !list.iter().any(|b| b.code == hit.code) {
                    list.push(hit.clone());
                }
            }
            self.bundles.push(Entry {
                name: normalise(&bundle.name).chars().collect(),
                keywords: bundle
                    .keywords
                    .iter()
                    .map(|k| normalise(k).chars().collect())
                    .collect(),
                name_pinyin: Pinyin::of(&bundle.name),
                keyword_pinyin: bundle.keywords.iter().map(|k| Pinyin::of(k)).collect(),
                context: normalise(&bundle.summary),
                themes: Vec::new(),
                popularity: 0,
                summary: hit,
            });
        }
        self
    }

    /// The 一件事 the item `code` is a member of.
    pub fn bundles_of(&self, code: &str) -> Vec<BundleHit> {
        self.memberships.get(code).cloned().unwrap_or_default()
    }

    /// Bundles matching `terms`, best first (stable: listed order among equal scores).
    fn bundle_hits(
        &self,
        terms: &Terms,
        audience: Option<Audience>,
        fuzzy: bool,
    ) -> Vec<BundleHit> {
        let mut hits: Vec<(u32, &BundleHit)> = self
            .bundles
            .iter()
            .filter(|b| audience.is_none_or(|a| b.summary.audience.serves(a)))
            .filter_map(|b| terms.score(b, fuzzy).map(|(s, _)| (s, &b.summary)))
            .collect();
        hits.sort_by_key(|(score, _)| Reverse(*score));
        hits.into_iter()
            .take(BUNDLE_HITS)
            .map(|(_, b)| b.clone())
            .collect()
    }

    /// Marks the entries that can match `word` exactly: those holding every character pair of
    /// it (its name, a keyword or the context contains it), and those with a keyword inside it.
    fn mark_exact(&self, word: &[char], marks: &mut [bool]) {
        if word.len() < 2 {
            for c in word {
                for &position in self.by_char.get(c).map(Vec::as_slice).unwrap_or(&[]) {
                    marks[position as usize] = true;
                }
            }
            return;
        }
        let lists: Option<Vec<&Vec<u32>>> = word
            .windows(2)
            .map(|w| self.by_pair.get(&(w[0], w[1])))
            .collect();
        if let Some(mut lists) = lists {
            lists.sort_by_key(|l| l.len());
            for &position in lists[0] {
                if lists[1..]
                    .iter()
                    .all(|l| l.binary_search(&position).is_ok())
                {
                    marks[position as usize] = true;
                }
            }
        }
        for start in 0..word.len() {
            for end in start + 2..=word.len() {
                let inner: String = word[start..end].iter().collect();
                for &position in self
                    .by_keyword
                    .get(&inner)
                    .map(Vec::as_slice)
                    .unwrap_or(&[])
                {
                    marks[position as usize] = true;
                }
            }
        }
    }

    /// Marks the entries holding enough of `term`'s characters for a fuzzy Chinese match: one
    /// wrong character leaves all but one, and half the character pairs need at least
    /// ⌈pairs/2⌉ + 1 characters.
    fn mark_near_misses(&self, term: &[char], marks: &mut [bool]) {
        let distinct: HashSet<char> = term.iter().copied().collect();
        let pairs = term.len() - 1;
        let needed = (term.len() - 1)
            .min(pairs.div_ceil(2) + 1)
            .min(distinct.len());
        let mut counts = vec![0u8; self.entries.len()];
        for c in &distinct {
            for &position in self.by_char.get(c).map(Vec::as_slice).unwrap_or(&[]) {
                counts[position as usize] = counts[position as usize].saturating_add(1);
            }
        }
        for (mark, count) in marks.iter_mut().zip(counts) {
            *mark |= usize::from(count) >= needed;
        }
    }

    /// Positions of the entries that can match every term (a superset; scoring decides).
    fn candidates(&self, terms: &Terms, fuzzy: bool) -> Vec<u32> {
        let mut result: Option<Vec<u32>> = None;
        for term in &terms.0 {
            let mut marks = vec![false; self.entries.len()];
            match &term.latin {
                Some(latin) if fuzzy => {
                    // q-gram lemma: each edit destroys at most two letter pairs, so a text within
                    // k edits still holds all but 2k of the term's distinct pairs.
                    let Some(typo) = &term.typo else { continue };
                    let pairs: HashSet<Gram> = term_pairs(latin.as_bytes()).collect();
                    let needed = pairs.len().saturating_sub(2 * typo.max_edits).max(1);
                    let mut counts = vec![0u8; self.entries.len()];
                    for pair in &pairs {
                        for &position in self.by_gram.get(pair).map(Vec::as_slice).unwrap_or(&[]) {
                            counts[position as usize] = counts[position as usize].saturating_add(1);
                        }
                    }
                    for (mark, count) in marks.iter_mut().zip(counts) {
                        *mark = usize::from(count) >= needed;
                    }
                }
                Some(latin) => {
                    let grams = term_grams(latin.as_bytes());
                    if grams.is_empty() {
                        marks.iter_mut().for_each(|m| *m = true);
                    } else {
                        let lists: Option<Vec<&Vec<u32>>> =
                            grams.iter().map(|g| self.by_gram.get(g)).collect();
                        let Some(mut lists) = lists else {
                            return Vec::new();
                        };
                        lists.sort_by_key(|l| l.len());
                        for &position in lists[0] {
                            if lists[1..]
                                .iter()
                                .all(|l| l.binary_search(&position).is_ok())
                            {
                                marks[position as usize] = true;
                            }
                        }
                    }
                }
                None => {
                    // Everyday-word expansions only ever match exactly.
                    let exact_words = term.expansions.iter().map(|(_, w)| w);
                    let exact_words: Vec<&Vec<char>> = if fuzzy && term.text.len() >= 3 {
                        self.mark_near_misses(&term.text, &mut marks);
                        exact_words.collect()
                    } else {
                        std::iter::once(&term.text).chain(exact_words).collect()
                    };
                    for word in exact_words {
                        self.mark_exact(word, &mut marks);
                    }
                }
            }
            let this: Vec<u32> = match result {
                None => (0..self.entries.len() as u32)
                    .filter(|&p| marks[p as usize])
                    .collect(),
                Some(previous) => previous
                    .into_iter()
                    .filter(|&p| marks[p as usize])
                    .collect(),
            };
            result = Some(this);
        }
        result.unwrap_or_default()
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
        self.entries
            .iter()
            .take(count)
            .map(|e| e.summary.clone())
            .collect()
    }

    pub fn search(&self, query: &SearchQuery) -> ItemList {
        let wanted = |e: &Entry| {
            query.audience.is_none_or(|a| e.summary.audience.serves(a))
                && query.theme.as_ref().is_none_or(|t| e.themes.contains(t))
                && query
                    .department
                    .as_ref()
                    .is_none_or(|d| &e.summary.department_code == d)
        };
        let terms = query
            .text
            .as_deref()
            .map(Terms::parse)
            .filter(|t| !t.is_empty());
        let mut fell_back = false;
        let mut hits: Vec<(u32, &Entry, Option<String>)> = match &terms {
            None => self
                .entries
                .iter()
                .filter(|e| wanted(e))
                .map(|e| (0, e, None))
                .collect(),
            Some(terms) => {
                let scored = |fuzzy: bool| -> Vec<(u32, &Entry, Option<String>)> {
                    self.candidates(terms, fuzzy)
                        .into_iter()
                        .map(|p| &self.entries[p as usize])
                        .filter(|e| wanted(e))
                        .filter_map(|e| terms.score(e, fuzzy).map(|(s, m)| (s, e, m)))
                        .collect()
                };
                let mut hits = scored(false);
                if hits.is_empty() {
                    hits = scored(true);
                    fell_back = true;
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
            .map(|(_, entry, matched)| ItemSummary {
                matched,
                ..entry.summary.clone()
            })
            .collect();
        let suggestions = if total == 0 && terms.is_some() {
            self.suggestions(query.audience)
        } else {
            Vec::new()
        };
        // Bundles span departments and themes: they answer an unfiltered first page only.
        let bundles = match &terms {
            Some(terms)
                if query.offset == 0 && query.theme.is_none() && query.department.is_none() =>
            {
                let exact = self.bundle_hits(terms, query.audience, false);
                if exact.is_empty() && fell_back {
                    self.bundle_hits(terms, query.audience, true)
                } else {
                    exact
                }
            }
            _ => Vec::new(),
        };
        ItemList {
            items,
            total,
            suggestions,
            bundles,
        }
    }

    /// Searches that are known to find something, for an empty result.
    fn suggestions(&self, audience: Option<Audience>) -> Vec<String> {
        let words: &[&str] = match audience {
            Some(Audience::Business) => &[
                "开公司",
                "营业执照",
                "食品经营许可",
                "发票",
                "简易注销",
                "施工许可",
            ],
            _ => &[
                "身份证",
                "生孩子",
                "社保卡",
                "公积金提取",
                "结婚登记",
                "退休",
            ],
        };
        words
            .iter()
            .filter(|w| {
                let q = SearchQuery {
                    text: Some(w.to_string()),
                    audience,
                    limit: 1,
                    ..Default::default()
                };
                Terms::parse(w).is_empty()
                    || self.entries.iter().any(|e| {
                        q.audience.is_none_or(|a| e.summary.audience.serves(a))
                            && Terms::parse(w).score(e, false).is_some()
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
    typo: Option<Typo>,
    /// Official words an everyday phrase in this term stands for.
    expansions: Vec<(&'static str, Vec<char>)>,
}

impl Terms {
    fn parse(query: &str) -> Terms {
        let normalised = normalise_keep_spaces(&fold_traditional(query));
        let terms = normalised
            .split_whitespace()
            .take(8)
            .map(|word| {
                let chars: Vec<char> = word.chars().take(40).collect();
                let latin = chars
                    .iter()
                    .all(|c| c.is_ascii_alphabetic() || *c == '\'')
                    .then(|| {
                        chars
                            .iter()
                            .filter(|c| c.is_ascii_alphabetic())
                            .collect::<String>()
                    })
                    .filter(|s| !s.is_empty());
                let text: String = chars.iter().collect();
                let phrases: Vec<&(&str, &[&str])> = EVERYDAY_WORDS
                    .iter()
                    .filter(|(phrase, _)| text.contains(phrase))
                    .collect();
                // "身份证丢了" means the ID card, not every 补领 that "丢了" alone would suggest:
                // only phrases not contained in a longer matching phrase expand.
                let expansions = phrases
                    .iter()
                    .filter(|(phrase, _)| {
                        !phrases
                            .iter()
                            .any(|(other, _)| other.len() > phrase.len() && other.contains(phrase))
                    })
                    .flat_map(|(phrase, words)| {
                        words.iter().map(move |w| (*phrase, w.chars().collect()))
                    })
                    .collect();
                let typo = latin.as_deref().and_then(Typo::new);
                Term {
                    text: chars,
                    latin,
                    typo,
                    expansions,
                }
            })
            .collect();
        Terms(terms)
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sum of the terms' scores if every term matches; the first "matched through" label wins.
    fn score<S>(&self, entry: &Entry<S>, fuzzy: bool) -> Option<(u32, Option<String>)> {
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
    fn score<S>(&self, entry: &Entry<S>, fuzzy: bool) -> Option<(u32, Option<String>)> {
        if let Some(latin) = &self.latin {
            return latin_score(entry, latin, self.typo.as_ref().filter(|_| fuzzy));
        }
        let direct = chinese_score(entry, &self.text, fuzzy);
        // An everyday phrase scores through the official words it stands for, labelled with the
        // phrase the person typed.
        let expanded = self
            .expansions
            .iter()
            .filter_map(|(phrase, word)| {
                chinese_score(entry, word, false)
                    .map(|(s, _)| (s.saturating_sub(50), Some(phrase.to_string())))
            })
            .max_by_key(|(s, _)| *s);
        match (direct, expanded) {
            (Some(d), Some(e)) => Some(if e.0 > d.0 { e } else { d }),
            (d, e) => d.or(e),
        }
    }
}

fn chinese_score<S>(entry: &Entry<S>, term: &[char], fuzzy: bool) -> Option<(u32, Option<String>)> {
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
            .filter(|pair| {
                entry.name.windows(2).any(|w| w == *pair)
                    || entry
                        .keywords
                        .iter()
                        .any(|k| k.windows(2).any(|w| w == *pair))
            })
            .count();
        if present * 2 >= pairs && present > 0 {
            return Some((100 + (100 * present / pairs) as u32, None));
        }
    }
    None
}

fn latin_score<S>(
    entry: &Entry<S>,
    term: &str,
    typo: Option<&Typo>,
) -> Option<(u32, Option<String>)> {
    if let Some(score) = entry.name_pinyin.score(term) {
        return Some((score, None));
    }
    let keyword_label = |i: usize| Some(entry.keywords[i].iter().collect::<String>());
    for (i, keyword) in entry.keyword_pinyin.iter().enumerate() {
        if let Some(score) = keyword.score(term) {
            return Some((score.saturating_sub(150), keyword_label(i)));
        }
    }
    let typo = typo?;
    if let Some(score) = entry.name_pinyin.fuzzy(typo) {
        return Some((score, None));
    }
    entry
        .keyword_pinyin
        .iter()
        .enumerate()
        .filter_map(|(i, k)| {
            k.fuzzy(typo)
                .map(|s| (s.saturating_sub(50), keyword_label(i)))
        })
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

/// A latin term prepared for typo-tolerant matching: the smallest edit distance between it and
/// any substring of a text, with Myers' bit-parallel algorithm (one pass of a few word
/// operations per text byte, instead of a table per pair).
struct Typo {
    /// Bit `i` of `masks[b]` is set when the term's byte `i` is `b`.
    masks: [u64; 256],
    length: usize,
    max_edits: usize,
}

impl Typo {
    fn new(term: &str) -> Option<Typo> {
        let bytes = &term.as_bytes()[..term.len().min(64)];
        let max_edits = match bytes.len() {
            0..=3 => return None,
            4..=9 => 1,
            _ => 2,
        };
        let mut masks = [0u64; 256];
        for (i, &b) in bytes.iter().enumerate() {
            masks[b as usize] |= 1 << i;
        }
        Some(Typo {
            masks,
            length: bytes.len(),
            max_edits,
        })
    }

    fn distance(&self, text: &[u8]) -> Option<usize> {
        let last = 1u64 << (self.length - 1);
        let (mut positive, mut negative) = (!0u64, 0u64);
        let (mut score, mut best) = (self.length, self.length);
        for &byte in text {
            let equal = self.masks[byte as usize];
            let vertical = equal | negative;
            let horizontal = ((equal & positive).wrapping_add(positive) ^ positive) | equal;
            let mut plus = negative | !(horizontal | positive);
            let mut minus = positive & horizontal;
            if plus & last != 0 {
                score += 1;
            } else if minus & last != 0 {
                score -= 1;
            }
            // No carry into the first row: a match may start at any text position.
            plus <<= 1;
            minus <<= 1;
            positive = minus | !(vertical | plus);
            negative = plus & vertical;
            best = best.min(score);
        }
        (best <= self.max_edits).then_some(best)
    }
}

/// Traditional characters (and common variants such as 証) to simplified ones, so 營業執照 finds
/// 营业执照: a character table with a few context rules (`fast2s`); simplified text is unchanged.
fn fold_traditional(text: &str) -> String {
    fast2s::convert(text)
}

/// Lower-case, full-width to half-width, spaces and punctuation removed.
fn normalise(text: &str) -> String {
    normalise_keep_spaces(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
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
        let text = b"chushengyixuezhengming";
        assert_eq!(Typo::new("chusheng").unwrap().distance(text), Some(0));
        assert_eq!(
            Typo::new("yixue").unwrap().distance(text),
            Some(0),
            "inside the text"
        );
        assert_eq!(
            Typo::new("chushneg").unwrap().distance(text),
            None,
            "two edits are too many for 8 letters"
        );
        assert_eq!(Typo::new("chushnegyixue").unwrap().distance(text), Some(2));
        assert_eq!(Typo::new("chusheeng").unwrap().distance(text), Some(1));
        assert_eq!(Typo::new("chushemg").unwrap().distance(text), Some(1));
        assert_eq!(Typo::new("zhengmin").unwrap().distance(text), Some(0));
        assert_eq!(Typo::new("qiye").unwrap().distance(b"jumin"), None);
        assert!(Typo::new("abc").is_none(), "short terms are not guessed at");
    }

    #[test]
    fn folds_traditional_characters() {
        assert_eq!(fold_traditional("營業執照"), "营业执照");
        assert_eq!(fold_traditional("身份証"), "身份证");
        assert_eq!(
            fold_traditional("著作权登记 出生医学证明"),
            "著作权登记 出生医学证明"
        );
    }

    #[test]
    fn normalises_full_width_and_punctuation() {
        assert_eq!(normalise("ＡＢＣ 身份证！"), "abc身份证");
        assert_eq!(normalise_keep_spaces("身份证　补领"), "身份证 补领");
    }
}
