//! 情形引导: tailoring a 办事指南 to the applicant's answers.
//!
//! A guide's questions (`Situation`s) each have a few options; conditions, materials, steps and
//! tips may carry a [`When`] saying under which answers they apply. Entries that cannot apply
//! are dropped, so people only see what concerns them. Until a relevant question is answered
//! an entry stays visible, marked as depending on it — hiding it would risk a wasted trip.
//!
//! Answers travel in share links in a compact, readable form, `reason.lost~local.yes`, made only
//! of URL-safe characters so the link needs no percent-encoding.

use std::collections::{BTreeMap, BTreeSet};

use crate::api::{Clause, ItemGuide, Material, Step, When};

/// Question id → chosen option value.
pub type Answers = BTreeMap<String, String>;

/// Whether a guide entry applies under the current answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applies {
    Yes,
    No,
    /// A question it depends on is unanswered and no answer rules it out yet.
    Depends,
}

/// Every listed question must match; one answered mismatch rules the entry out even while other
/// questions are still open.
pub fn applies(when: &When, answers: &Answers) -> Applies {
    let mut open = false;
    for (question, values) in when {
        match answers.get(question) {
            Some(answer) if values.contains(answer) => {}
            Some(_) => return Applies::No,
            None => open = true,
        }
    }
    if open {
        Applies::Depends
    } else {
        Applies::Yes
    }
}

/// A guide entry that is shown, and whether it depends on a question not yet answered.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown<T> {
    pub item: T,
    pub depends: bool,
}

/// The parts of a guide that apply to one applicant, in guide order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tailored {
    pub conditions: Vec<Shown<Clause>>,
    pub materials: Vec<Shown<Material>>,
    pub steps: Vec<Shown<Step>>,
    pub tips: Vec<Shown<Clause>>,
    /// Ids of unanswered questions that some shown entry depends on, in the guide's question
    /// order: answering them would settle every "视情况而定" entry.
    pub open_questions: Vec<String>,
}

/// Tailors `guide` to `answers`. Unknown questions or option values are ignored (see
/// [`valid_answers`]): a stale or hand-edited link must not hide entries.
pub fn tailor(guide: &ItemGuide, answers: &Answers) -> Tailored {
    let answers = valid_answers(guide, answers);
    let mut open = BTreeSet::new();
    let mut keep = |when: &When| -> Option<bool> {
        match applies(when, &answers) {
            Applies::Yes => Some(false),
            Applies::No => None,
            Applies::Depends => {
                open.extend(when.keys().filter(|q| !answers.contains_key(*q)).cloned());
                Some(true)
            }
        }
    };
    let mut tailored = Tailored {
        conditions: shown(&guide.conditions, |c| &c.when, &mut keep),
        materials: shown(&guide.materials, |m| &m.when, &mut keep),
        steps: shown(&guide.steps, |s| &s.when, &mut keep),
        tips: shown(&guide.tips, |t| &t.when, &mut keep),
        open_questions: Vec::new(),
    };
    tailored.open_questions = guide
        .situations
        .iter()
        .filter(|s| open.contains(&s.id))
        .map(|s| s.id.clone())
        .collect();
    tailored
}

fn shown<T: Clone>(
    items: &[T],
    when: impl Fn(&T) -> &When,
    keep: &mut impl FnMut(&When) -> Option<bool>,
) -> Vec<Shown<T>> {
    items
        .iter()
        .filter_map(|item| {
            keep(when(item)).map(|depends| Shown {
                item: item.clone(),
                depends,
            })
        })
        .collect()
}

/// Keeps only answers to questions the guide asks, with one of that question's options.
pub fn valid_answers(guide: &ItemGuide, answers: &Answers) -> Answers {
    answers
        .iter()
        .filter(|(question, value)| {
            guide
                .situations
                .iter()
                .any(|s| &s.id == *question && s.options.iter().any(|o| &o.value == *value))
        })
        .map(|(q, v)| (q.clone(), v.clone()))
        .collect()
}

/// Question ids and option values are lower_snake_case ASCII, which keeps links URL-safe.
fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Reads `reason.lost~local.yes`. Malformed pairs are skipped rather than failing the whole
/// link; when a question appears twice the last answer wins.
pub fn answers_from_query(s: &str) -> Answers {
    s.split('~')
        .filter_map(|pair| pair.split_once('.'))
        .filter(|(q, v)| is_id(q) && is_id(v))
        .map(|(q, v)| (q.to_string(), v.to_string()))
        .collect()
}

/// Writes answers as `reason.lost~local.yes` (sorted by question id, so equal answers give equal
/// links). Pairs that could not be read back are left out.
pub fn answers_to_query(answers: &Answers) -> String {
    answers
        .iter()
        .filter(|(q, v)| is_id(q) && is_id(v))
        .map(|(q, v)| format!("{q}.{v}"))
        .collect::<Vec<_>>()
        .join("~")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Audience, Fee, Handling, OnlineLevel, Situation, SituationOption};

    fn when(pairs: &[(&str, &[&str])]) -> When {
        pairs
            .iter()
            .map(|(q, vs)| (q.to_string(), vs.iter().map(|v| v.to_string()).collect()))
            .collect()
    }

    fn answers(s: &str) -> Answers {
        answers_from_query(s)
    }

    fn clause(text: &str, w: When) -> Clause {
        Clause {
            text: text.into(),
            when: w,
        }
    }

    fn material(id: &str, w: When) -> Material {
        Material {
            when: w,
            ..Material::new(id, id)
        }
    }

    fn situation(id: &str, values: &[&str]) -> Situation {
        Situation {
            id: id.into(),
            question: format!("{id}?"),
            help: None,
            options: values
                .iter()
                .map(|v| SituationOption {
                    value: v.to_string(),
                    label: v.to_string(),
                })
                .collect(),
        }
    }

    /// 居民身份证 replacement: first issue, expiry or loss; local or non-local household.
    fn guide() -> ItemGuide {
        ItemGuide {
            code: "SFQ-GA-0001".into(),
            name: "居民身份证申领".into(),
            item_type: "行政确认".into(),
            department: "gaj".into(),
            audience: Audience::Personal,
            themes: vec![],
            keywords: vec![],
            summary: "".into(),
            legal_basis: vec![],
            conditions: vec![
                clause("年满16周岁或自愿申领", when(&[("reason", &["first"])])),
                clause("本人到场", When::new()),
            ],
            materials: vec![
                material("household_register", when(&[("local", &["yes"])])),
                material("residence_permit", when(&[("local", &["no"])])),
                material("photo", When::new()),
                material(
                    "loss_statement",
                    when(&[("reason", &["lost"]), ("local", &["no"])]),
                ),
            ],
            steps: vec![
                Step {
                    title: "申请".into(),
                    description: "".into(),
                    when: When::new(),
                },
                Step {
                    title: "挂失".into(),
                    description: "".into(),
                    when: when(&[("reason", &["lost", "stolen"])]),
                },
            ],
            fee: Fee {
                free: false,
                description: "工本费 20 元/证".into(),
                basis: None,
            },
            statutory_days: 60,
            promised_days: 20,
            handling: Handling::Promised,
            online_level: OnlineLevel::Accept,
            visits: 1,
            result: "居民身份证".into(),
            delivery: vec![],
            places: vec![],
            consult_phone: "".into(),
            complaint_phone: "12345".into(),
            appointment: true,
            cross_province: true,
            situations: vec![
                situation("reason", &["first", "expired", "lost", "stolen"]),
                situation("local", &["yes", "no"]),
            ],
            tips: vec![clause(
                "异地办理需多等10个工作日",
                when(&[("local", &["no"])]),
            )],
            form: Vec::new(),
        }
    }

    fn ids(t: &Tailored) -> Vec<(&str, bool)> {
        t.materials
            .iter()
            .map(|m| (m.item.id.as_str(), m.depends))
            .collect()
    }

    #[test]
    fn applies_rules() {
        let w = when(&[("reason", &["lost", "stolen"]), ("local", &["no"])]);
        assert_eq!(applies(&When::new(), &Answers::new()), Applies::Yes);
        assert_eq!(applies(&w, &Answers::new()), Applies::Depends);
        assert_eq!(applies(&w, &answers("reason.lost")), Applies::Depends);
        assert_eq!(applies(&w, &answers("reason.first")), Applies::No);
        assert_eq!(applies(&w, &answers("local.yes")), Applies::No);
        assert_eq!(
            applies(&w, &answers("reason.stolen~local.no")),
            Applies::Yes
        );
        assert_eq!(applies(&w, &answers("reason.lost~local.yes")), Applies::No);
        // Answers to other questions don't matter.
        assert_eq!(
            applies(&w, &answers("reason.lost~local.no~age.old")),
            Applies::Yes
        );
        // A question listed with no values can never match once answered.
        assert_eq!(applies(&when(&[("x", &[])]), &answers("x.a")), Applies::No);
    }

    #[test]
    fn nothing_answered_shows_everything_marked_depends() {
        let t = tailor(&guide(), &Answers::new());
        assert_eq!(
            ids(&t),
            [
                ("household_register", true),
                ("residence_permit", true),
                ("photo", false),
                ("loss_statement", true)
            ]
        );
        assert_eq!(t.conditions.len(), 2);
        assert!(t.conditions[0].depends && !t.conditions[1].depends);
        assert_eq!(t.steps.len(), 2);
        assert_eq!(t.tips.len(), 1);
        assert_eq!(t.open_questions, ["reason", "local"]);
    }

    #[test]
    fn fully_answered_drops_what_does_not_apply() {
        let t = tailor(&guide(), &answers("reason.lost~local.no"));
        assert_eq!(
            ids(&t),
            [
                ("residence_permit", false),
                ("photo", false),
                ("loss_statement", false)
            ]
        );
        let conditions: Vec<_> = t.conditions.iter().map(|c| c.item.text.as_str()).collect();
        assert_eq!(conditions, ["本人到场"]);
        let steps: Vec<_> = t.steps.iter().map(|s| s.item.title.as_str()).collect();
        assert_eq!(steps, ["申请", "挂失"]);
        assert_eq!(t.tips.len(), 1);
        assert!(t.open_questions.is_empty());

        let t = tailor(&guide(), &answers("reason.first~local.yes"));
        assert_eq!(ids(&t), [("household_register", false), ("photo", false)]);
        assert_eq!(t.steps.len(), 1);
        assert!(t.tips.is_empty());
        assert_eq!(t.conditions.len(), 2);
    }

    #[test]
    fn partly_answered() {
        // Local household: the loss statement is ruled out even though `reason` is open.
        let t = tailor(&guide(), &answers("local.yes"));
        assert_eq!(ids(&t), [("household_register", false), ("photo", false)]);
        assert_eq!(t.open_questions, ["reason"]);
        let t = tailor(&guide(), &answers("reason.lost"));
        assert_eq!(
            ids(&t),
            [
                ("household_register", true),
                ("residence_permit", true),
                ("photo", false),
                ("loss_statement", true)
            ]
        );
        assert_eq!(t.open_questions, ["local"]);
    }

    #[test]
    fn invalid_answers_count_as_unanswered() {
        let t = tailor(&guide(), &answers("local.maybe~colour.red"));
        assert_eq!(t, tailor(&guide(), &Answers::new()));
    }

    #[test]
    fn valid_answers_keeps_known_questions_and_options() {
        let kept = valid_answers(&guide(), &answers("reason.lost~local.maybe~colour.red"));
        assert_eq!(kept, answers("reason.lost"));
        assert!(valid_answers(&guide(), &Answers::new()).is_empty());
    }

    #[test]
    fn query_round_trip() {
        let a = answers("reason.lost~local.yes");
        assert_eq!(a.get("reason").map(String::as_str), Some("lost"));
        assert_eq!(a.get("local").map(String::as_str), Some("yes"));
        assert_eq!(answers_to_query(&a), "local.yes~reason.lost");
        assert_eq!(answers_from_query(&answers_to_query(&a)), a);
        assert_eq!(answers_to_query(&Answers::new()), "");
        assert!(answers_from_query("").is_empty());
    }

    #[test]
    fn query_ignores_malformed_pairs() {
        let a = answers_from_query(
            "reason.lost~~.yes~local.~novalue~Local.yes~a.b.c~x y.z~age_group.over_60~n.1",
        );
        assert_eq!(a, answers("reason.lost~age_group.over_60~n.1"));
        assert_eq!(a.len(), 3);
        // The last answer to a question wins.
        assert_eq!(
            answers_from_query("local.yes~local.no"),
            answers("local.no")
        );
    }

    #[test]
    fn query_leaves_out_unreadable_pairs() {
        let mut a = answers("local.yes");
        a.insert("Bad Key".into(), "yes".into());
        a.insert("reason".into(), "lost~x".into());
        assert_eq!(answers_to_query(&a), "local.yes");
    }
}
