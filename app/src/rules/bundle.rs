//! 一件事一次办: one form, one set of materials and one submission for several service items.
//!
//! A [`Bundle`] lists its member items. The bundle's own questions include or leave out members
//! (`BundleMember::when`, read like a guide entry's `when`: a member whose deciding question is
//! still open counts as included) and are passed on to the members' own 情形 questions with the
//! same id, together with each member's fixed `answers` (which win).
//!
//! * Materials: every included member's guide is tailored to those answers and the results are
//!   merged by material id — a material several members need appears once, listing them all.
//!   Members' own application forms are replaced by the one bundle form ([`covered_by_form`]),
//!   and materials an earlier member produces (营业执照 from 企业设立登记, `produces`) are not
//!   asked of the applicant ([`MergedMaterial::provided_by`]).
//! * Form: each bundle field is asked once and copied onto every member field it maps to
//!   ([`member_form_values`]).
//! * Time: members wait for the members in their `after` list; members side by side overlap,
//!   so the bundle takes the longest chain of promised days ([`total_promised_days`]).
//!
//! The 企业开办 company facts are checked here too ([`validate_shares`], [`validate_company`]).

use std::collections::{BTreeMap, BTreeSet};

use crate::api::{
    Bundle, BundleField, BundleMember, BusinessScope, CompanyFacts, CompanyType, FieldKind,
    FieldSpec, ItemGuide, Medium, MergedMaterial, Shareholder, TimingMode,
};

use super::auto_fetch::{system_record, AutoFetch};
use super::company_name::{format_problems, full_name};
use super::date::Date;
use super::form::{form_for, validate_field};
use super::id_card::validate_id_card;
use super::phone::validate_mobile;
use super::tailor::{applies, tailor, Answers, Applies};

/// Field id → message, as `rules::form::validate_form` reports them.
pub type FieldErrors = BTreeMap<String, String>;

// ---------------------------------------------------------------------------------------------
// Members

/// Keeps only answers to the bundle's own questions, with one of that question's options
/// (like `tailor::valid_answers`: a stale link must not leave members out).
pub fn valid_bundle_answers(bundle: &Bundle, answers: &Answers) -> Answers {
    answers
        .iter()
        .filter(|(q, v)| {
            bundle
                .situations
                .iter()
                .any(|s| &s.id == *q && s.options.iter().any(|o| &o.value == *v))
        })
        .map(|(q, v)| (q.clone(), v.clone()))
        .collect()
}

/// Bundle questions not answered yet (in the bundle's order). A submission needs none open.
pub fn open_questions(bundle: &Bundle, answers: &Answers) -> Vec<String> {
    let answers = valid_bundle_answers(bundle, answers);
    bundle
        .situations
        .iter()
        .filter(|s| !answers.contains_key(&s.id))
        .map(|s| s.id.clone())
        .collect()
}

/// Whether a member is included: `Depends` while a question deciding it is open.
pub fn member_applies(member: &BundleMember, answers: &Answers) -> Applies {
    applies(&member.when, answers)
}

/// The included members, in bundle order (members that depend on an open question count as
/// included). Invalid answers count as unanswered.
pub fn members_for<'a>(bundle: &'a Bundle, answers: &Answers) -> Vec<&'a BundleMember> {
    let answers = valid_bundle_answers(bundle, answers);
    bundle
        .members
        .iter()
        .filter(|m| member_applies(m, &answers) != Applies::No)
        .collect()
}

/// The answers a member item is tailored with: the bundle's answers, overridden by the member's
/// fixed ones. Answers to questions the item does not ask are ignored by `tailor`.
pub fn member_answers(bundle_answers: &Answers, member: &BundleMember) -> Answers {
    let mut merged = bundle_answers.clone();
    merged.extend(member.answers.iter().map(|(q, v)| (q.clone(), v.clone())));
    merged
}

fn guide_for<'g>(guides: &'g [ItemGuide], code: &str) -> Option<&'g ItemGuide> {
    guides.iter().find(|g| g.code == code)
}

// ---------------------------------------------------------------------------------------------
// Materials

/// Whether the one bundle form replaces a member's material: the members' own application
/// forms (ids ending in `_form` or `_application`, e.g. `birth_cert_form`,
/// `registration_application`) and the ids the bundle lists in `covers`. The bundle form
/// collects the same information once, and each department receives it through
/// [`member_form_values`].
pub fn covered_by_form(bundle: &Bundle, material_id: &str) -> bool {
    material_id.ends_with("_form")
        || material_id.ends_with("_application")
        || bundle.covers.iter().any(|c| c == material_id)
}

/// The one set of materials for the answers, duplicates removed, in order of first use. See
/// [`MergedMaterial`] for how the flags combine.
pub fn merged_materials(
    bundle: &Bundle,
    answers: &Answers,
    guides: &[ItemGuide],
) -> Vec<MergedMaterial> {
    merge(bundle, answers, guides, false)
}

/// The members' application forms that the bundle form replaces (一表申请), merged the same way.
pub fn replaced_forms(
    bundle: &Bundle,
    answers: &Answers,
    guides: &[ItemGuide],
) -> Vec<MergedMaterial> {
    merge(bundle, answers, guides, true)
}

struct Use {
    code: String,
    name: String,
    note: Option<String>,
    tolerance: bool,
    pledge: bool,
    e_licence: bool,
    medium: Medium,
    source: String,
    depends: bool,
    /// 自动获取: the system attaches it (`rules::auto_fetch`).
    fetched: bool,
}

fn merge(
    bundle: &Bundle,
    answers: &Answers,
    guides: &[ItemGuide],
    covered: bool,
) -> Vec<MergedMaterial> {
    let answers = valid_bundle_answers(bundle, answers);
    let included = members_for(bundle, &answers);
    let mut order: Vec<String> = Vec::new();
    let mut uses: BTreeMap<String, Vec<Use>> = BTreeMap::new();
    for member in &included {
        let Some(guide) = guide_for(guides, &member.item_code) else {
            continue;
        };
        let member_depends = member_applies(member, &answers) == Applies::Depends;
        for shown in tailor(guide, &member_answers(&answers, member)).materials {
            let m = shown.item;
            if covered_by_form(bundle, &m.id) != covered {
                continue;
            }
            if !uses.contains_key(&m.id) {
                order.push(m.id.clone());
            }
            let fetched = system_record(&m);
            uses.entry(m.id.clone()).or_default().push(Use {
                code: member.item_code.clone(),
                name: m.name,
                note: m.note,
                tolerance: m.tolerance,
                pledge: m.pledge,
                e_licence: m.e_licence,
                medium: m.medium,
                fetched,
                source: m.source,
                depends: shown.depends || member_depends,
            });
        }
    }
    let included_codes: Vec<&str> = included.iter().map(|m| m.item_code.as_str()).collect();
    order
        .into_iter()
        .map(|id| {
            let users = &uses[&id];
            let first = &users[0];
            let distinct = |f: fn(&Use) -> Option<&str>| {
                let mut seen: Vec<&str> = Vec::new();
                for v in users.iter().filter_map(f) {
                    if !seen.contains(&v) {
                        seen.push(v);
                    }
                }
                seen
            };
            let name = bundle
                .material_names
                .get(&id)
                .cloned()
                .unwrap_or_else(|| distinct(|u| Some(u.name.as_str())).join("、"));
            let notes = distinct(|u| u.note.as_deref());
            let used_by: Vec<String> = users.iter().map(|u| u.code.clone()).collect();
            let provided_by = if covered {
                None
            } else {
                provider(bundle, &included_codes, &id, &used_by)
            };
            let tolerance_allowed = users.iter().all(|u| u.tolerance);
            let fetched = users.iter().all(|u| u.fetched);
            MergedMaterial {
                name,
                note: (!notes.is_empty()).then(|| notes.join("；")),
                required: !tolerance_allowed && provided_by.is_none() && !fetched,
                auto_fetched: fetched.then(|| AutoFetch::SystemRecord.words().to_string()),
                tolerance_allowed,
                pledge_allowed: users.iter().all(|u| u.pledge),
                e_licence: users.iter().all(|u| u.e_licence),
                medium: if users.iter().all(|u| u.medium == first.medium) {
                    first.medium
                } else {
                    Medium::PaperOrElectronic
                },
                source: first.source.clone(),
                depends: users.iter().all(|u| u.depends),
                material_id: id,
                used_by,
                provided_by,
            }
        })
        .collect()
}

/// An included member that produces `material_id` and that every user of it waits for.
fn provider(
    bundle: &Bundle,
    included: &[&str],
    material_id: &str,
    used_by: &[String],
) -> Option<String> {
    bundle
        .members
        .iter()
        .filter(|m| included.contains(&m.item_code.as_str()))
        .filter(|m| m.produces.iter().any(|p| p == material_id))
        .find(|p| {
            used_by
                .iter()
                .all(|u| predecessors(bundle, included, u).contains(p.item_code.as_str()))
        })
        .map(|p| p.item_code.clone())
}

/// Every included member `code` waits for, directly or through others.
fn predecessors<'a>(bundle: &'a Bundle, included: &[&str], code: &str) -> BTreeSet<&'a str> {
    let mut found = BTreeSet::new();
    let mut stack = vec![code.to_string()];
    while let Some(current) = stack.pop() {
        let Some(member) = bundle.members.iter().find(|m| m.item_code == current) else {
            continue;
        };
        for before in &member.after {
            if included.contains(&before.as_str()) && found.insert(before.as_str()) {
                stack.push(before.clone());
            }
        }
    }
    found
}

// ---------------------------------------------------------------------------------------------
// The one form

/// The fields to ask under the answers: not `issued_by` a member, and mapped onto an included
/// member (or onto no member at all — kept with the bundle application only).
pub fn bundle_form<'a>(bundle: &'a Bundle, answers: &Answers) -> Vec<&'a BundleField> {
    let included: Vec<&str> = members_for(bundle, answers)
        .iter()
        .map(|m| m.item_code.as_str())
        .collect();
    bundle
        .form
        .iter()
        .filter(|f| f.issued_by.is_empty())
        .filter(|f| {
            f.maps_to.is_empty()
                || f.maps_to
                    .iter()
                    .any(|t| included.contains(&t.item_code.as_str()))
        })
        .collect()
}

/// Checks the bundle form as shown under the answers ([`bundle_form`]) with the shared field
/// rules: normalised values, or every field's error at once (bundle field id → message).
pub fn validate_bundle_form(
    bundle: &Bundle,
    answers: &Answers,
    values: &BTreeMap<String, String>,
    today: Date,
) -> Result<BTreeMap<String, String>, FieldErrors> {
    let mut clean = BTreeMap::new();
    let mut errors = BTreeMap::new();
    for field in bundle_form(bundle, answers) {
        let value = values.get(&field.spec.id).map(String::as_str).unwrap_or("");
        match validate_field(&field.spec, value, today) {
            Ok(v) => {
                clean.insert(field.spec.id.clone(), v);
            }
            Err(e) => {
                errors.insert(field.spec.id.clone(), e.message);
            }
        }
    }
    if errors.is_empty() {
        Ok(clean)
    } else {
        Err(errors)
    }
}

/// Fans the bundle form out: member item code → its field id → value. A member field that one
/// bundle field maps onto gets the value as it is; one that several map onto (typically
/// `remarks`) gets `标签：值` lines, in bundle form order. Empty and missing values are left out,
/// and so are `issued_by` fields until the server fills them in `values`.
pub fn member_form_values(
    bundle: &Bundle,
    values: &BTreeMap<String, String>,
) -> BTreeMap<String, BTreeMap<String, String>> {
    // (item, field) → [(label, value)]
    let mut parts: BTreeMap<(&str, &str), Vec<(&str, &str)>> = BTreeMap::new();
    let mut sources: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for field in &bundle.form {
        for target in &field.maps_to {
            *sources
                .entry((&target.item_code, &target.field_id))
                .or_default() += 1;
        }
        let Some(value) = values
            .get(&field.spec.id)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
        else {
            continue;
        };
        for target in &field.maps_to {
            parts
                .entry((&target.item_code, &target.field_id))
                .or_default()
                .push((&field.spec.label, value));
        }
    }
    let mut out: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for ((item, field), entries) in parts {
        let value = if sources[&(item, field)] == 1 {
            entries[0].1.to_string()
        } else {
            entries
                .iter()
                .map(|(label, value)| format!("{label}：{value}"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        out.entry(item.to_string())
            .or_default()
            .insert(field.to_string(), value);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Time and order

/// Stage of each included member: 1 when it waits for nobody, else one more than the latest
/// included member it waits for. Cycles (rejected by [`check_bundle`]) are cut.
pub fn member_stages(bundle: &Bundle, answers: &Answers) -> BTreeMap<String, u32> {
    longest(bundle, answers, |_| 1)
}

/// Promised working days of the bundle: members side by side overlap, members waiting for
/// others add up, so the longest `after` chain of promised days (即办 members count 0).
/// Members without a guide count 0.
pub fn total_promised_days(bundle: &Bundle, answers: &Answers, guides: &[ItemGuide]) -> u32 {
    longest(bundle, answers, |code| {
        guide_for(guides, code).map_or(0, |g| g.promised_days)
    })
    .into_values()
    .max()
    .unwrap_or(0)
}

/// Sum of the included members' statutory limits: what separate applications one after the
/// other could take by law.
pub fn statutory_days_sum(bundle: &Bundle, answers: &Answers, guides: &[ItemGuide]) -> u32 {
    members_for(bundle, answers)
        .iter()
        .filter_map(|m| guide_for(guides, &m.item_code))
        .map(|g| g.statutory_days)
        .sum()
}

/// For each included member: the heaviest chain ending with it, weighing members by `weight`.
fn longest(
    bundle: &Bundle,
    answers: &Answers,
    weight: impl Fn(&str) -> u32,
) -> BTreeMap<String, u32> {
    let included: Vec<&str> = members_for(bundle, answers)
        .iter()
        .map(|m| m.item_code.as_str())
        .collect();
    let mut memo: BTreeMap<String, u32> = BTreeMap::new();
    fn visit(
        bundle: &Bundle,
        included: &[&str],
        code: &str,
        weight: &dyn Fn(&str) -> u32,
        memo: &mut BTreeMap<String, u32>,
        path: &mut Vec<String>,
    ) -> u32 {
        if let Some(v) = memo.get(code) {
            return *v;
        }
        if path.iter().any(|p| p == code) {
            return 0;
        }
        path.push(code.to_string());
        let before = bundle
            .members
            .iter()
            .find(|m| m.item_code == code)
            .map(|m| {
                m.after
                    .iter()
                    .filter(|a| included.contains(&a.as_str()))
                    .map(|a| visit(bundle, included, a, weight, memo, path))
                    .max()
                    .unwrap_or(0)
            })
            .unwrap_or(0);
        path.pop();
        let total = before + weight(code);
        memo.insert(code.to_string(), total);
        total
    }
    for code in &included {
        visit(bundle, &included, code, &weight, &mut memo, &mut Vec::new());
    }
    memo
}

/// Included members not yet approved whose included predecessors all are: the ones to pass to
/// their departments now. `approved` holds item codes of members approved (or completed).
pub fn ready_members<'a>(
    bundle: &'a Bundle,
    answers: &Answers,
    approved: &[String],
) -> Vec<&'a BundleMember> {
    let included = members_for(bundle, answers);
    let codes: Vec<&str> = included.iter().map(|m| m.item_code.as_str()).collect();
    included
        .into_iter()
        .filter(|m| !approved.contains(&m.item_code))
        .filter(|m| {
            m.after
                .iter()
                .filter(|a| codes.contains(&a.as_str()))
                .all(|a| approved.contains(a))
        })
        .collect()
}

/// The members' order with every member included: no `after` at all is parallel, one chain
/// through every member is a sequence, anything else mixed.
pub fn timing_mode(bundle: &Bundle) -> TimingMode {
    let stages = longest_all(bundle);
    let deepest = stages.values().copied().max().unwrap_or(0) as usize;
    if deepest <= 1 {
        TimingMode::Parallel
    } else if deepest == bundle.members.len() {
        TimingMode::Sequence
    } else {
        TimingMode::Mixed
    }
}

fn longest_all(bundle: &Bundle) -> BTreeMap<String, u32> {
    // With no answers every member is included (open questions count as included).
    member_stages(bundle, &Answers::new())
}

// ---------------------------------------------------------------------------------------------
// Catalog consistency

/// Field path → what is wrong there, in Chinese naming the field (`members[2].after`,
/// `form[0].maps_to[1].field_id`), as [`check_bundle`] reports it.
pub type BundleProblems = BTreeMap<String, String>;

/// Everything wrong with a bundle against the catalog (empty when fine): at each field path, a
/// Chinese message naming the field. A bundle with problems is neither loaded at start nor
/// published from the manager's editor.
pub fn check_bundle(bundle: &Bundle, guides: &[ItemGuide]) -> BundleProblems {
    let mut problems = BundleProblems::new();
    let mut add = |path: String, message: String| {
        problems
            .entry(path)
            .and_modify(|m: &mut String| {
                m.push('；');
                m.push_str(&message);
            })
            .or_insert(message);
    };
    let codes: Vec<&str> = bundle
        .members
        .iter()
        .map(|m| m.item_code.as_str())
        .collect();
    let question = |id: &str| bundle.situations.iter().find(|s| s.id == id);
    let label = |i: usize, m: &BundleMember| {
        if m.name.trim().is_empty() {
            format!("成员事项第 {} 项", i + 1)
        } else {
            format!("成员事项第 {} 项“{}”", i + 1, m.name)
        }
    };

    for (path, value, name) in [
        ("name", &bundle.name, "名称"),
        ("summary", &bundle.summary, "简介"),
        ("icon", &bundle.icon, "图标"),
    ] {
        if value.trim().is_empty() {
            add(path.into(), format!("请填写“一件事”的{name}"));
        }
    }
    if bundle.members.len() < 2 {
        add("members".into(), "“一件事”至少要有两个成员事项".into());
    }

    let mut seen = BTreeSet::new();
    for (i, member) in bundle.members.iter().enumerate() {
        let at = format!("members[{i}]");
        let who = label(i, member);
        let item = &member.item_code;
        if member.name.trim().is_empty() {
            add(format!("{at}.name"), format!("请填写{who}的简称"));
        }
        if !seen.insert(item.as_str()) {
            add(
                format!("{at}.item_code"),
                format!("{who}：事项 {item} 已经是本“一件事”的成员事项，不能重复"),
            );
        }
        let Some(guide) = guide_for(guides, item) else {
            add(
                format!("{at}.item_code"),
                format!("{who}：事项目录中没有编码为 {item} 的事项"),
            );
            continue;
        };
        if guide.department != member.department {
            add(
                format!("{at}.department"),
                format!(
                    "{who}：事项 {item} 的实施部门是 {}，不是 {}",
                    guide.department, member.department
                ),
            );
        }
        for (j, before) in member.after.iter().enumerate() {
            if before == item || !codes.contains(&before.as_str()) {
                add(
                    format!("{at}.after[{j}]"),
                    format!("{who}的前置事项 {before} 不是本“一件事”的其他成员事项"),
                );
            }
        }
        for (q, v) in &member.when {
            match question(q) {
                None => add(
                    format!("{at}.when"),
                    format!("{who}的适用情形引用了不存在的问题 {q}"),
                ),
                Some(s) => {
                    for value in v {
                        if !s.options.iter().any(|o| &o.value == value) {
                            add(
                                format!("{at}.when"),
                                format!("{who}的适用情形：问题“{}”没有选项 {value}", s.question),
                            );
                        }
                    }
                }
            }
        }
        for (q, v) in &member.answers {
            match guide.situations.iter().find(|s| &s.id == q) {
                None => add(
                    format!("{at}.answers"),
                    format!("{who}的固定答案：事项 {item} 没有问题 {q}"),
                ),
                Some(s) if !s.options.iter().any(|o| &o.value == v) => add(
                    format!("{at}.answers"),
                    format!(
                        "{who}的固定答案：事项 {item} 的问题“{}”没有选项 {v}",
                        s.question
                    ),
                ),
                Some(_) => {}
            }
        }
        // Every question of the member is fixed or asked by the bundle with usable options.
        for s in &guide.situations {
            if member.answers.contains_key(&s.id) {
                continue;
            }
            match question(&s.id) {
                None => add(
                    format!("{at}.answers"),
                    format!(
                        "{who}：事项的问题“{}”（{}）既没有固定答案，也没有在“一件事”的情形问题中问到",
                        s.question, s.id
                    ),
                ),
                Some(asked) => {
                    for option in &asked.options {
                        let reachable = member_applies(
                            member,
                            &Answers::from([(s.id.clone(), option.value.clone())]),
                        ) != Applies::No;
                        if reachable && !s.options.iter().any(|o| o.value == option.value) {
                            add(
                                format!("{at}.answers"),
                                format!(
                                    "{who}：“一件事”问题“{}”的选项 {} 不是该事项的选项",
                                    asked.question, option.value
                                ),
                            );
                        }
                    }
                }
            }
        }
        for produced in &member.produces {
            if !guides
                .iter()
                .filter(|g| codes.contains(&g.code.as_str()))
                .flat_map(|g| &g.materials)
                .any(|m| &m.id == produced)
            {
                add(
                    format!("{at}.produces"),
                    format!("{who}产生的材料 {produced} 不是任何成员事项需要的材料"),
                );
            }
        }
    }
    // A cycle shows as a member that waits, through others, for itself.
    for (i, member) in bundle.members.iter().enumerate() {
        if predecessors(bundle, &codes, &member.item_code).contains(member.item_code.as_str()) {
            add(
                format!("members[{i}].after"),
                format!(
                    "{}的前置事项形成循环：它要等待的事项又在等待它",
                    label(i, member)
                ),
            );
        }
    }

    // The form: unique ids, targets exist, every required member field is filled.
    let mut field_ids = BTreeSet::new();
    let mut filled: BTreeSet<(&str, &str)> = BTreeSet::new();
    for (i, field) in bundle.form.iter().enumerate() {
        let at = format!("form[{i}]");
        let who = if field.spec.label.trim().is_empty() {
            format!("表单字段第 {} 项", i + 1)
        } else {
            format!("表单字段第 {} 项“{}”", i + 1, field.spec.label)
        };
        if field.spec.label.trim().is_empty() {
            add(format!("{at}.spec.label"), format!("请填写{who}的名称"));
        }
        if !field_ids.insert(field.spec.id.as_str()) {
            add(
                format!("{at}.spec.id"),
                format!("{who}的编号 {} 与其他字段重复", field.spec.id),
            );
        }
        if field.spec.kind == FieldKind::Choice && field.spec.options.is_empty() {
            add(
                format!("{at}.spec.options"),
                format!("{who}是选择题，请填写选项"),
            );
        }
        for (j, issuer) in field.issued_by.iter().enumerate() {
            if !codes.contains(&issuer.as_str()) {
                add(
                    format!("{at}.issued_by[{j}]"),
                    format!("{who}由 {issuer} 的办理结果填写，但它不是成员事项"),
                );
            }
        }
        for (j, target) in field.maps_to.iter().enumerate() {
            let there = format!("{at}.maps_to[{j}]");
            let Some(guide) = codes
                .contains(&target.item_code.as_str())
                .then(|| guide_for(guides, &target.item_code))
                .flatten()
            else {
                add(
                    format!("{there}.item_code"),
                    format!(
                        "{who}对应的事项 {} 不是本“一件事”的成员事项",
                        target.item_code
                    ),
                );
                continue;
            };
            match form_for(guide).iter().find(|f| f.id == target.field_id) {
                None => add(
                    format!("{there}.field_id"),
                    format!(
                        "{who}对应的字段 {} 不在“{}”的申请表中",
                        target.field_id, guide.name
                    ),
                ),
                Some(spec) => {
                    if !compatible(&field.spec, spec) {
                        add(
                            format!("{there}.field_id"),
                            format!(
                                "{who}的类型与“{}”申请表的“{}”不一致",
                                guide.name, spec.label
                            ),
                        );
                    }
                    filled.insert((&target.item_code, &target.field_id));
                }
            }
        }
    }
    for guide in guides.iter().filter(|g| codes.contains(&g.code.as_str())) {
        for spec in form_for(guide).iter().filter(|s| s.required) {
            if !filled.contains(&(guide.code.as_str(), spec.id.as_str())) {
                add(
                    "form".into(),
                    format!(
                        "“{}”申请表的必填项“{}”（{}）没有由“一件事”表单的任何字段填写",
                        guide.name, spec.label, spec.id
                    ),
                );
            }
        }
    }

    // Materials: explicit ids exist, differing names are settled.
    let mut names: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for guide in guides.iter().filter(|g| codes.contains(&g.code.as_str())) {
        for m in &guide.materials {
            names.entry(&m.id).or_default().insert(&m.name);
        }
    }
    for (i, id) in bundle.covers.iter().enumerate() {
        if !names.contains_key(id.as_str()) {
            add(
                format!("covers[{i}]"),
                format!("表单代替的材料 {id} 不是任何成员事项的材料"),
            );
        }
    }
    for id in bundle.material_names.keys() {
        if !names.contains_key(id.as_str()) {
            add(
                format!("material_names.{id}"),
                format!("材料名称：{id} 不是任何成员事项的材料"),
            );
        }
    }
    for (id, variants) in &names {
        if variants.len() > 1
            && !bundle.material_names.contains_key(*id)
            && !covered_by_form(bundle, id)
        {
            let list: Vec<&str> = variants.iter().copied().collect();
            add(
                "material_names".into(),
                format!(
                    "成员事项对材料 {id} 的叫法不同（{}），合并材料时只列一次，请统一材料名称",
                    list.join(" / ")
                ),
            );
        }
    }

    for (i, s) in bundle.situations.iter().enumerate() {
        let who = format!("情形问题第 {} 项“{}”", i + 1, s.question);
        if s.question.trim().is_empty() {
            add(
                format!("situations[{i}].question"),
                format!("请填写情形问题第 {} 项的问题", i + 1),
            );
        }
        if s.options.len() < 2 {
            add(
                format!("situations[{i}].options"),
                format!("{who}至少要有两个选项"),
            );
        }
        let used = bundle.members.iter().any(|m| m.when.contains_key(&s.id))
            || guides
                .iter()
                .filter(|g| codes.contains(&g.code.as_str()))
                .any(|g| g.situations.iter().any(|q| q.id == s.id));
        if !used {
            add(
                format!("situations[{i}].id"),
                format!("{who}（{}）不决定任何成员事项，也不是成员事项的问题", s.id),
            );
        }
    }
    if let Some(company) = &bundle.company_facts_for {
        if !codes.contains(&company.as_str()) {
            add(
                "company_facts_for".into(),
                format!("填写企业信息的事项 {company} 不是成员事项"),
            );
        }
    }
    if bundle.timing.mode != timing_mode(bundle) {
        add(
            "timing.mode".into(),
            format!(
                "办理方式写的是“{}”，但按前置事项实际是“{}”",
                bundle.timing.mode.label(),
                timing_mode(bundle).label()
            ),
        );
    }
    if bundle.places.is_empty() {
        add("places".into(), "请至少填写一个办理地点".into());
    }
    problems
}

/// A bundle field may fill a member field of the same kind, or free text (text, long text,
/// remarks) with anything.
fn compatible(from: &FieldSpec, to: &FieldSpec) -> bool {
    from.kind == to.kind || matches!(to.kind, FieldKind::Text | FieldKind::LongText)
}

// ---------------------------------------------------------------------------------------------
// 企业开办

/// Whether the bundle needs [`CompanyFacts`] under the answers: its `company_facts_for` member
/// is included.
pub fn needs_company_facts(bundle: &Bundle, answers: &Answers) -> bool {
    bundle.company_facts_for.as_ref().is_some_and(|code| {
        members_for(bundle, answers)
            .iter()
            .any(|m| &m.item_code == code)
    })
}

/// Parses a non-negative decimal with at most `decimals` places into units of 10^-decimals
/// (`"33.5"`, 2 → 3350). Full-width digits and signs are not accepted.
fn parse_fixed(s: &str, decimals: u32) -> Option<u64> {
    let s = s.trim();
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, f),
        None => (s, ""),
    };
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty()
        || !digits(whole)
        || !digits(frac)
        || frac.len() > decimals as usize
        || whole.len() > 12
    {
        return None;
    }
    if s.ends_with('.') {
        return None;
    }
    let scale = 10u64.pow(decimals);
    let w: u64 = whole.parse().ok()?;
    let f: u64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<width$}", width = decimals as usize)
            .parse()
            .ok()?
    };
    w.checked_mul(scale)?.checked_add(f)
}

/// Writes units of 10^-decimals back without trailing zeros (9000, 2 → `90`; 3333 → `33.33`).
fn show_fixed(units: u64, decimals: u32) -> String {
    let scale = 10u64.pow(decimals);
    let (w, f) = (units / scale, units % scale);
    if f == 0 {
        return w.to_string();
    }
    let frac = format!("{f:0width$}", width = decimals as usize);
    format!("{w}.{}", frac.trim_end_matches('0'))
}

/// Checks the shareholders' shares and identities: each 出资比例 a positive number with at most
/// 2 decimals, together exactly 100%, each name present and each 身份证 valid. Keys are
/// `shareholders` (the whole list) and `shareholders.N.name` / `.share_percent` /
/// `.id_number` (N from 0); messages count people from 1.
pub fn validate_shares(shareholders: &[Shareholder], today: Date) -> Result<(), FieldErrors> {
    let mut errors = BTreeMap::new();
    if shareholders.is_empty() {
        errors.insert("shareholders".into(), "请至少填写一位股东（出资人）".into());
        return Err(errors);
    }
    let mut total: u64 = 0;
    let mut all_valid = true;
    let mut ids = BTreeMap::new();
    for (i, s) in shareholders.iter().enumerate() {
        let who = format!("第{}位股东", i + 1);
        if s.name.trim().is_empty() {
            errors.insert(
                format!("shareholders.{i}.name"),
                format!("请填写{who}的姓名"),
            );
        } else if s.name.trim().chars().count() > 30 {
            errors.insert(
                format!("shareholders.{i}.name"),
                format!("{who}的姓名最多30个字"),
            );
        }
        match parse_fixed(&s.share_percent, 2) {
            Some(share) if share > 0 && share <= 10_000 => total += share,
            Some(share) if share > 10_000 => {
                all_valid = false;
                errors.insert(
                    format!("shareholders.{i}.share_percent"),
                    format!("{who}的出资比例不能超过100%"),
                );
            }
            _ => {
                all_valid = false;
                errors.insert(
                    format!("shareholders.{i}.share_percent"),
                    format!("{who}的出资比例应为大于0的数字，最多保留两位小数，如 60 或 33.33"),
                );
            }
        }
        match validate_id_card(&s.id_number, today) {
            Ok(card) => {
                if let Some(first) = ids.insert(card.number, i) {
                    errors.insert(
                        format!("shareholders.{i}.id_number"),
                        format!(
                            "{who}与第{}位股东的身份证号码相同，同一人请合并填写",
                            first + 1
                        ),
                    );
                }
            }
            Err(e) => {
                errors.insert(
                    format!("shareholders.{i}.id_number"),
                    format!("{who}的{}", e.message),
                );
            }
        }
    }
    if all_valid && total != 10_000 {
        errors.insert(
            "shareholders".into(),
            format!("股东出资比例合计应为100%，目前为{}%", show_fixed(total, 2)),
        );
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Checks the company facts asked once for 企业开办 (the name's registry check is
/// `company_name::check_name`, done separately). Keys follow the JSON paths: `name`,
/// `name.organisation`, `registered_capital_wan`, `shareholders…`, `legal_rep.name`,
/// `legal_rep.id_number`, `legal_rep.phone`, `registered_address`, `business_scope`,
/// `term_years`. `scope` is the standard business scope list.
pub fn validate_company(
    facts: &CompanyFacts,
    scope: &[BusinessScope],
    today: Date,
) -> Result<(), FieldErrors> {
    let mut errors = validate_shares(&facts.shareholders, today)
        .err()
        .unwrap_or_default();

    // Name: well formed, and the 组织形式 fits the kind of enterprise.
    if let Some(p) = format_problems(&facts.name).first() {
        errors.insert("name".into(), p.message.clone());
    }
    let organisation = super::strip_spaces(&facts.name.organisation);
    if !organisation.is_empty()
        && !facts
            .company_type
            .organisations()
            .contains(&organisation.as_str())
    {
        errors.insert(
            "name.organisation".into(),
            format!(
                "{}的名称应以{}结尾",
                facts.company_type.label(),
                facts
                    .company_type
                    .organisations()
                    .iter()
                    .map(|o| format!("“{o}”"))
                    .collect::<Vec<_>>()
                    .join("或")
            ),
        );
    }

    // Who may hold shares, by kind of enterprise.
    let n = facts.shareholders.len();
    let count_problem = match facts.company_type {
        CompanyType::Llc if n > 50 => Some(format!("有限责任公司的股东不能超过50人，目前为{n}人")),
        CompanyType::Sole if n != 1 => Some(format!("个人独资企业只能有一位投资人，目前为{n}人")),
        CompanyType::Partnership if n < 2 => Some("合伙企业至少需要两位合伙人".to_string()),
        _ => None,
    };
    if let Some(message) = count_problem {
        errors.insert("shareholders".into(), message);
    }

    // Capital and contributions: positive, up to 4 decimals (1 元), adding up, matching shares.
    let capital = parse_fixed(&facts.registered_capital_wan, 4).filter(|c| *c > 0);
    if capital.is_none() {
        errors.insert(
            "registered_capital_wan".into(),
            "注册资本应为大于0的数字（单位：万元），最多保留四位小数".into(),
        );
    }
    let mut contributions = Vec::new();
    for (i, s) in facts.shareholders.iter().enumerate() {
        match parse_fixed(&s.contribution_wan, 4).filter(|c| *c > 0) {
            Some(c) => contributions.push(c),
            None => {
                errors.insert(
                    format!("shareholders.{i}.contribution_wan"),
                    format!("第{}位股东的认缴出资额应为大于0的数字（单位：万元）", i + 1),
                );
            }
        }
    }
    if let Some(capital) = capital {
        if contributions.len() == n && n > 0 {
            let sum: u64 = contributions.iter().sum();
            if sum != capital {
                errors.entry("shareholders".into()).or_insert(format!(
                    "股东认缴出资额合计应等于注册资本{}万元，目前为{}万元",
                    show_fixed(capital, 4),
                    show_fixed(sum, 4)
                ));
            } else {
                for (i, (s, c)) in facts.shareholders.iter().zip(&contributions).enumerate() {
                    let key = format!("shareholders.{i}.share_percent");
                    let Some(share) = parse_fixed(&s.share_percent, 2) else {
                        continue;
                    };
                    // Hundredths of a percent, rounded half up.
                    let expected = (u128::from(*c) * 10_000 * 2 + u128::from(capital))
                        / (u128::from(capital) * 2);
                    if (i128::try_from(expected).unwrap_or(i128::MAX) - i128::from(share)).abs() > 1
                        && !errors.contains_key(&key)
                    {
                        errors.insert(
                            key,
                            format!(
                                "第{}位股东的出资比例应为{}%（认缴{}万元 ÷ 注册资本{}万元）",
                                i + 1,
                                show_fixed(u64::try_from(expected).unwrap_or(u64::MAX), 2),
                                show_fixed(*c, 4),
                                show_fixed(capital, 4)
                            ),
                        );
                    }
                }
            }
        }
    }

    // 法定代表人: an adult with a valid ID and a mobile number.
    let rep = &facts.legal_rep;
    if rep.name.trim().is_empty() {
        errors.insert("legal_rep.name".into(), "请填写法定代表人姓名".into());
    } else if rep.name.trim().chars().count() > 30 {
        errors.insert("legal_rep.name".into(), "法定代表人姓名最多30个字".into());
    }
    match validate_id_card(&rep.id_number, today) {
        Ok(card) if card.age_on(today) < 18 => {
            errors.insert(
                "legal_rep.id_number".into(),
                "法定代表人应年满18周岁".into(),
            );
        }
        Ok(_) => {}
        Err(e) => {
            errors.insert(
                "legal_rep.id_number".into(),
                e.message.replace("身份证号码", "法定代表人身份证号码"),
            );
        }
    }
    if let Err(e) = validate_mobile(&rep.phone) {
        errors.insert(
            "legal_rep.phone".into(),
            e.message.replace("手机号码", "法定代表人手机号码"),
        );
    }

    // 住所 inside the district.
    let address = FieldSpec {
        id: "registered_address".into(),
        label: "住所".into(),
        kind: FieldKind::Address,
        required: true,
        options: Vec::new(),
        help: None,
    };
    match validate_field(&address, &facts.registered_address, today) {
        Err(e) => {
            errors.insert("registered_address".into(), e.message);
        }
        Ok(a) => {
            let district = super::strip_spaces(&facts.name.district);
            if !district.is_empty() && !a.starts_with(&district) {
                errors.insert(
                    "registered_address".into(),
                    format!("住所应在{district}内，请以“{district}”开头填写"),
                );
            }
        }
    }

    // Business scope from the standard list.
    if facts.business_scope.is_empty() {
        errors.insert("business_scope".into(), "请至少选择一项经营范围".into());
    } else {
        let mut seen = BTreeSet::new();
        for code in &facts.business_scope {
            if !scope.iter().any(|s| &s.code == code) {
                errors.insert(
                    "business_scope".into(),
                    "经营范围请从规范表述列表中选择".into(),
                );
                break;
            }
            if !seen.insert(code) {
                errors.insert("business_scope".into(), "经营范围有重复的项目".into());
                break;
            }
        }
    }

    if let Some(years) = facts.term_years {
        if !(1..=50).contains(&years) {
            errors.insert(
                "term_years".into(),
                "经营期限应为1至50年，或选择“长期”".into(),
            );
        }
    }

    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The bundle form fields that the company facts fill ([`company_form_values`]).
pub const COMPANY_FIELDS: [&str; 5] = [
    "company_name",
    "legal_rep_name",
    "legal_rep_id",
    "contact_phone",
    "business_address",
];

/// The 企业开办 bundle form values that follow from the company facts ([`COMPANY_FIELDS`]).
pub fn company_form_values(facts: &CompanyFacts) -> BTreeMap<String, String> {
    let values = [
        full_name(&facts.name),
        facts.legal_rep.name.trim().to_string(),
        super::normalize_number(&facts.legal_rep.id_number).to_uppercase(),
        super::phone::normalize_mobile(&facts.legal_rep.phone),
        facts.registered_address.trim().to_string(),
    ];
    COMPANY_FIELDS
        .iter()
        .map(|f| f.to_string())
        .zip(values)
        .collect()
}

/// The fields the applicant fills on the bundle form: [`bundle_form`] without those the
/// company facts fill when they are asked (they are asked once, in the company section).
pub fn asked_form<'a>(bundle: &'a Bundle, answers: &Answers) -> Vec<&'a BundleField> {
    let company = needs_company_facts(bundle, answers);
    bundle_form(bundle, answers)
        .into_iter()
        .filter(|f| !(company && COMPANY_FIELDS.contains(&f.spec.id.as_str())))
        .collect()
}

/// The permits (后置许可 item codes) the chosen business scope needs, without duplicates, in
/// scope order — e.g. 餐饮服务 → 食品经营许可 `SFQ-SJ-0511`.
pub fn permits_for_scope(codes: &[String], scope: &[BusinessScope]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for code in codes {
        if let Some(item) = scope
            .iter()
            .find(|s| &s.code == code)
            .and_then(|s| s.permit_item.clone())
        {
            if !out.contains(&item) {
                out.push(item);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{
        Audience, BundleTiming, FieldTarget, LegalRep, Material, NameCheckRequest, Situation,
        SituationOption,
    };
    use crate::rules::tailor::answers_from_query;

    fn today() -> Date {
        Date::new(2026, 11, 25).unwrap()
    }

    fn guides() -> Vec<ItemGuide> {
        [
            include_str!("../../../server/demo/items-personal.json"),
            include_str!("../../../server/demo/items-business.json"),
        ]
        .iter()
        .flat_map(|text| serde_json::from_str::<Vec<ItemGuide>>(text).unwrap())
        .collect()
    }

    fn bundles() -> Vec<Bundle> {
        serde_json::from_str(include_str!("../../../server/demo/bundles.json")).unwrap()
    }

    fn bundle(code: &str) -> Bundle {
        bundles().into_iter().find(|b| b.code == code).unwrap()
    }

    fn answers(s: &str) -> Answers {
        answers_from_query(s)
    }

    fn codes(members: &[&BundleMember]) -> Vec<String> {
        members.iter().map(|m| m.item_code.clone()).collect()
    }

    fn find<'a>(materials: &'a [MergedMaterial], id: &str) -> Option<&'a MergedMaterial> {
        materials.iter().find(|m| m.material_id == id)
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    // --- demo data ------------------------------------------------------------------------

    #[test]
    fn demo_bundles_are_consistent_with_the_catalog() {
        let guides = guides();
        let bundles = bundles();
        assert!(bundles.len() >= 8);
        let mut seen = BTreeSet::new();
        for b in &bundles {
            assert!(seen.insert(b.code.clone()), "duplicate bundle {}", b.code);
            let problems = check_bundle(b, &guides);
            assert!(problems.is_empty(), "{problems:#?}");
            // Every answer combination leaves a valid, non-empty bundle.
            assert!(!members_for(b, &Answers::new()).is_empty());
            assert!(!merged_materials(b, &Answers::new(), &guides).is_empty());
        }
        for code in [
            "birth",
            "company",
            "restaurant",
            "second_hand_house",
            "retirement",
            "after_death",
            "school_entry",
        ] {
            assert!(seen.contains(code), "{code}");
        }
    }

    #[test]
    fn bundle_json_round_trips() {
        for b in bundles() {
            let text = serde_json::to_string(&b).unwrap();
            assert_eq!(serde_json::from_str::<Bundle>(&text).unwrap(), b);
        }
    }

    // --- members --------------------------------------------------------------------------

    #[test]
    fn questions_include_and_leave_out_members() {
        let b = bundle("birth");
        let all = strings(&["SFQ-WJ-0001", "SFQ-GA-0002", "SFQ-YB-0001", "SFQ-RS-0001"]);
        // Open questions: everything counts as included.
        assert_eq!(codes(&members_for(&b, &Answers::new())), all);
        assert_eq!(
            codes(&members_for(&b, &answers("settle.yes~sscard.yes"))),
            all
        );
        assert_eq!(
            codes(&members_for(&b, &answers("settle.yes~sscard.no"))),
            strings(&["SFQ-WJ-0001", "SFQ-GA-0002", "SFQ-YB-0001"])
        );
        assert_eq!(
            codes(&members_for(&b, &answers("settle.no~sscard.yes"))),
            strings(&["SFQ-WJ-0001"])
        );
        // Invalid answers count as unanswered.
        assert_eq!(
            codes(&members_for(&b, &answers("settle.maybe~colour.red"))),
            all
        );
        assert_eq!(
            open_questions(&b, &answers("settle.yes~place.nowhere")),
            ["place", "married", "sscard"]
        );
        assert!(open_questions(
            &b,
            &answers("settle.yes~place.hospital~married.yes~sscard.no")
        )
        .is_empty());
    }

    #[test]
    fn member_answers_merge_bundle_answers_under_fixed_ones() {
        let b = bundle("restaurant");
        let company = b
            .members
            .iter()
            .find(|m| m.item_code == "SFQ-SJ-0501")
            .unwrap();
        let merged = member_answers(
            &answers("entity.company~proxy.yes~company_type.sole"),
            company,
        );
        assert_eq!(merged.get("company_type").map(String::as_str), Some("llc"));
        assert_eq!(merged.get("proxy").map(String::as_str), Some("no"));
        assert_eq!(merged.get("entity").map(String::as_str), Some("company"));
    }

    // --- materials ------------------------------------------------------------------------

    #[test]
    fn birth_materials_appear_once_and_shared_certificates_are_not_asked() {
        let guides = guides();
        let b = bundle("birth");
        let a = answers("place.hospital~married.yes~settle.yes~sscard.yes");
        let materials = merged_materials(&b, &a, &guides);
        let ids: Vec<&str> = materials.iter().map(|m| m.material_id.as_str()).collect();
        // No duplicates, no members' own forms.
        assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), ids.len());
        assert!(ids.iter().all(|id| !id.ends_with("_form")), "{ids:?}");

        let parents = find(&materials, "parents_id_cards").unwrap();
        assert_eq!(
            parents.used_by,
            strings(&["SFQ-WJ-0001", "SFQ-GA-0002", "SFQ-YB-0001"])
        );
        assert!(parents.required && !parents.tolerance_allowed && !parents.depends);

        // 出生医学证明 comes from the first member: nothing to hand in.
        let certificate = find(&materials, "birth_certificate").unwrap();
        assert_eq!(
            certificate.used_by,
            strings(&["SFQ-GA-0002", "SFQ-YB-0001", "SFQ-RS-0001"])
        );
        assert_eq!(certificate.provided_by.as_deref(), Some("SFQ-WJ-0001"));
        assert!(!certificate.required);
        // RS-0001 tolerates it, the others do not.
        assert!(!certificate.tolerance_allowed);

        let register = find(&materials, "household_register").unwrap();
        assert_eq!(
            register.used_by,
            strings(&["SFQ-GA-0002", "SFQ-YB-0001", "SFQ-RS-0001"])
        );
        assert!(register.required && register.provided_by.is_none());

        // 分娩记录 is the hospital's own record (系统调取): 自动获取, never 必传.
        let delivery = find(&materials, "delivery_record").unwrap();
        assert!(!delivery.required && delivery.auto_fetched.is_some());
        assert!(register.auto_fetched.is_none());

        let consent = find(&materials, "consent_householder").unwrap();
        assert!(consent.tolerance_allowed && !consent.required);
        assert!(find(&materials, "marriage_certificate").is_some());
        assert!(find(&materials, "paternity_test").is_none());
        assert_eq!(ids[0], "parents_id_cards");

        let forms: Vec<String> = replaced_forms(&b, &a, &guides)
            .into_iter()
            .map(|m| m.material_id)
            .collect();
        assert_eq!(
            forms,
            strings(&[
                "birth_cert_form",
                "birth_register_form",
                "resident_mi_form",
                "sscard_form"
            ])
        );
    }

    #[test]
    fn birth_outside_hospital_and_unmarried_share_one_paternity_test() {
        let guides = guides();
        let b = bundle("birth");
        let materials = merged_materials(
            &b,
            &answers("place.outside~married.no~settle.yes~sscard.no"),
            &guides,
        );
        let test = find(&materials, "paternity_test").unwrap();
        assert_eq!(test.used_by, strings(&["SFQ-WJ-0001", "SFQ-GA-0002"]));
        assert!(find(&materials, "marriage_certificate").is_none());
        assert!(find(&materials, "photo").is_none(), "社保卡 left out");
        // Only the certificate when the child settles elsewhere.
        let materials = merged_materials(&b, &answers("place.hospital~settle.no"), &guides);
        let ids: Vec<&str> = materials.iter().map(|m| m.material_id.as_str()).collect();
        assert_eq!(ids, ["parents_id_cards", "delivery_record"]);
    }

    #[test]
    fn open_questions_mark_materials_as_depending() {
        let guides = guides();
        let materials = merged_materials(&bundle("birth"), &Answers::new(), &guides);
        assert!(find(&materials, "marriage_certificate").unwrap().depends);
        assert!(find(&materials, "paternity_test").unwrap().depends);
        // Needed by WJ-0001 whatever the answers.
        assert!(!find(&materials, "parents_id_cards").unwrap().depends);
        // Needed only by members that depend on `settle`.
        assert!(find(&materials, "household_register").unwrap().depends);
    }

    #[test]
    fn company_setup_needs_almost_nothing_twice() {
        let guides = guides();
        let b = bundle("company");
        let a = answers("company_type.llc~address_proof.lease~proxy.no~bank.yes~fund.yes");
        let materials = merged_materials(&b, &a, &guides);
        let licence = find(&materials, "business_licence").unwrap();
        assert_eq!(licence.provided_by.as_deref(), Some("SFQ-SJ-0501"));
        assert_eq!(licence.used_by.len(), 5);
        assert!(!licence.required);
        let seal = find(&materials, "seal_imprint").unwrap();
        assert_eq!(seal.provided_by.as_deref(), Some("SFQ-GA-0501"));
        let rep = find(&materials, "legal_rep_id_card").unwrap();
        assert_eq!(rep.used_by.len(), 6);
        assert!(rep.required);
        // Bank details, the social insurance and fund registration forms: on the bundle form.
        for covered in [
            "bank_account_info",
            "social_insurance_registration",
            "provident_fund_registration",
            "registration_application",
            "tax_application",
        ] {
            assert!(find(&materials, covered).is_none(), "{covered}");
        }
        let replaced: Vec<String> = replaced_forms(&b, &a, &guides)
            .into_iter()
            .map(|m| m.material_id)
            .collect();
        assert!(replaced.contains(&"bank_account_info".to_string()));
        assert!(replaced.contains(&"seal_application".to_string()));
        // LLC documents follow the forwarded company_type answer.
        assert!(find(&materials, "articles_of_association").is_some());
        let partnership = merged_materials(
            &b,
            &answers("company_type.partnership~address_proof.pledge~proxy.no"),
            &guides,
        );
        assert!(find(&partnership, "articles_of_association").is_none());
        assert!(find(&partnership, "partnership_agreement").is_some());
        let pledge = find(&partnership, "premises_pledge").unwrap();
        assert!(pledge.pledge_allowed);
    }

    #[test]
    fn produced_materials_are_asked_when_the_producer_is_left_out() {
        let guides = guides();
        let b = bundle("school_entry");
        let with = merged_materials(
            &b,
            &answers("grade.primary~hukou.migrant~permit.no~housing.rent~aid.no"),
            &guides,
        );
        assert_eq!(
            find(&with, "residence_permit")
                .unwrap()
                .provided_by
                .as_deref(),
            Some("SFQ-GA-0004")
        );
        let without = merged_materials(
            &b,
            &answers("grade.primary~hukou.migrant~permit.yes~housing.rent~aid.no"),
            &guides,
        );
        let permit = find(&without, "residence_permit").unwrap();
        assert!(permit.provided_by.is_none() && permit.required);
        assert_eq!(permit.name, "居住证");
    }

    #[test]
    fn differing_names_use_the_bundle_name() {
        let guides = guides();
        let materials = merged_materials(
            &bundle("after_death"),
            &answers("place.hospital~relief.yes~pension.yes~status.retired~fund.yes~proof.notary"),
            &guides,
        );
        let id = find(&materials, "id_card").unwrap();
        assert_eq!(id.name, "经办人（家属）居民身份证");
        assert_eq!(id.used_by.len(), 5);
        let cancel = find(&materials, "hukou_cancel_proof").unwrap();
        assert_eq!(cancel.provided_by.as_deref(), Some("SFQ-GA-0005"));
        assert_eq!(cancel.used_by, strings(&["SFQ-RS-0004", "SFQ-GJ-0002"]));
    }

    fn material(id: &str, name: &str, tolerance: bool, pledge: bool, medium: Medium) -> Material {
        Material {
            id: id.into(),
            name: name.into(),
            originals: 1,
            copies: 0,
            medium,
            source: "申请人自备".into(),
            tolerance,
            pledge,
            e_licence: false,
            note: Some(format!("{name}要求")),
            blank_form: None,
            has_sample: false,
            when: Default::default(),
        }
    }

    fn guide(code: &str, days: u32, materials: Vec<Material>) -> ItemGuide {
        let mut g = guides()
            .into_iter()
            .find(|g| g.code == "SFQ-RS-0005")
            .unwrap();
        g.code = code.into();
        g.department = "rs".into();
        g.promised_days = days;
        g.statutory_days = days * 3;
        g.materials = materials;
        g.situations = Vec::new();
        g
    }

    fn member(code: &str, after: &[&str]) -> BundleMember {
        BundleMember {
            item_code: code.into(),
            name: code.into(),
            department: "rs".into(),
            when: Default::default(),
            after: strings(after),
            answers: Default::default(),
            produces: Vec::new(),
        }
    }

    fn synthetic(members: Vec<BundleMember>, mode: TimingMode) -> Bundle {
        let codes: Vec<String> = members.iter().map(|m| m.item_code.clone()).collect();
        let std_field = |id: &str, label: &str, kind: FieldKind| BundleField {
            spec: FieldSpec {
                id: id.into(),
                label: label.into(),
                kind,
                required: true,
                options: vec![],
                help: None,
            },
            maps_to: codes
                .iter()
                .map(|c| FieldTarget {
                    item_code: c.clone(),
                    field_id: id.into(),
                })
                .collect(),
            issued_by: vec![],
        };
        Bundle {
            code: "test".into(),
            name: "测试一件事".into(),
            audience: Audience::Personal,
            summary: "测试用的一件事。".into(),
            icon: "🧪".into(),
            keywords: vec![],
            members,
            situations: vec![],
            form: vec![
                std_field("applicant_name", "申请人姓名", FieldKind::Text),
                std_field("id_number", "身份证号码", FieldKind::IdCard),
                std_field("phone", "手机号码", FieldKind::Mobile),
                std_field("address", "联系地址", FieldKind::Address),
            ],
            timing: BundleTiming {
                mode,
                explanation: String::new(),
            },
            places: bundle("birth").places,
            tips: vec![],
            covers: vec![],
            material_names: Default::default(),
            company_facts_for: None,
        }
    }

    #[test]
    fn merged_flags_are_the_strictest_of_the_users() {
        let guides = vec![
            guide(
                "T-A",
                1,
                vec![
                    material("x", "甲材料", true, true, Medium::Paper),
                    material("y", "乙材料", true, false, Medium::Paper),
                    material("z", "丙材料", false, true, Medium::Electronic),
                ],
            ),
            guide(
                "T-B",
                2,
                vec![
                    material("x", "甲材料", true, true, Medium::Paper),
                    material("y", "乙材料", false, true, Medium::Paper),
                    material("z", "丙材料（复印件）", false, true, Medium::Paper),
                    material("t_form", "申请表", false, false, Medium::Paper),
                ],
            ),
        ];
        let b = synthetic(
            vec![member("T-A", &[]), member("T-B", &[])],
            TimingMode::Parallel,
        );
        let m = merged_materials(&b, &Answers::new(), &guides);
        assert_eq!(m.len(), 3);
        // Both tolerate x: 容缺 allowed, not required; both allow the pledge.
        assert!(m[0].tolerance_allowed && !m[0].required && m[0].pledge_allowed);
        assert_eq!(m[0].note.as_deref(), Some("甲材料要求"));
        // y: B needs it without 容缺 → required, no 容缺; A forbids the pledge.
        assert!(m[1].required && !m[1].tolerance_allowed && !m[1].pledge_allowed);
        // z: names and notes differ (no override) → joined; media differ.
        assert_eq!(m[2].name, "丙材料、丙材料（复印件）");
        assert_eq!(
            m[2].note.as_deref(),
            Some("丙材料要求；丙材料（复印件）要求")
        );
        assert_eq!(m[2].medium, Medium::PaperOrElectronic);
        assert_eq!(m[2].used_by, strings(&["T-A", "T-B"]));
        assert_eq!(
            replaced_forms(&b, &Answers::new(), &guides)[0].material_id,
            "t_form"
        );
        let problems = check_bundle(&b, &guides);
        assert!(
            problems["material_names"].contains("对材料 z 的叫法不同"),
            "{problems:?}"
        );
    }

    // --- time and order -------------------------------------------------------------------

    #[test]
    fn promised_days_follow_the_longest_chain() {
        let guides = vec![
            guide("T-A", 2, vec![]),
            guide("T-B", 5, vec![]),
            guide("T-C", 3, vec![]),
            guide("T-D", 1, vec![]),
        ];
        // A → B → D and A → C: 2 + 5 + 1 = 8.
        let b = synthetic(
            vec![
                member("T-A", &[]),
                member("T-B", &["T-A"]),
                member("T-C", &["T-A"]),
                member("T-D", &["T-B", "T-C"]),
            ],
            TimingMode::Mixed,
        );
        assert_eq!(total_promised_days(&b, &Answers::new(), &guides), 8);
        assert_eq!(statutory_days_sum(&b, &Answers::new(), &guides), 33);
        assert_eq!(timing_mode(&b), TimingMode::Mixed);
        let stages = member_stages(&b, &Answers::new());
        assert_eq!(stages["T-A"], 1);
        assert_eq!(stages["T-C"], 2);
        assert_eq!(stages["T-D"], 3);
        assert!(
            check_bundle(&b, &guides).is_empty(),
            "{:?}",
            check_bundle(&b, &guides)
        );

        // Side by side: the slowest.
        let b = synthetic(
            vec![member("T-A", &[]), member("T-B", &[]), member("T-C", &[])],
            TimingMode::Parallel,
        );
        assert_eq!(total_promised_days(&b, &Answers::new(), &guides), 5);
        assert_eq!(timing_mode(&b), TimingMode::Parallel);
        // One chain: the sum.
        let b = synthetic(
            vec![
                member("T-A", &[]),
                member("T-B", &["T-A"]),
                member("T-C", &["T-B"]),
            ],
            TimingMode::Sequence,
        );
        assert_eq!(total_promised_days(&b, &Answers::new(), &guides), 10);
        assert_eq!(timing_mode(&b), TimingMode::Sequence);
        // A declared mode that does not match is reported.
        let mut wrong = b.clone();
        wrong.timing.mode = TimingMode::Parallel;
        assert!(check_bundle(&wrong, &guides)["timing.mode"].contains("实际是“依次办理”"));
    }

    #[test]
    fn cycles_are_reported_and_do_not_hang() {
        let guides = vec![guide("T-A", 2, vec![]), guide("T-B", 5, vec![])];
        let b = synthetic(
            vec![member("T-A", &["T-B"]), member("T-B", &["T-A"])],
            TimingMode::Mixed,
        );
        let problems = check_bundle(&b, &guides);
        assert!(
            problems["members[0].after"].contains("形成循环"),
            "{problems:?}"
        );
        assert!(total_promised_days(&b, &Answers::new(), &guides) <= 7);
        assert!(ready_members(&b, &Answers::new(), &[]).is_empty());
    }

    #[test]
    fn demo_bundle_timing() {
        let guides = guides();
        let company = bundle("company");
        // 设立登记 1 day → 公章 0 → 银行开户预约 1 day.
        assert_eq!(total_promised_days(&company, &Answers::new(), &guides), 2);
        assert_eq!(
            total_promised_days(&company, &answers("bank.no"), &guides),
            1
        );
        assert_eq!(statutory_days_sum(&company, &Answers::new(), &guides), 3);
        let stages = member_stages(&company, &Answers::new());
        assert_eq!(stages["SFQ-SJ-0501"], 1);
        assert_eq!(stages["SFQ-SW-0501"], 2);
        assert_eq!(stages["SFQ-SJ-0503"], 3);

        let restaurant = bundle("restaurant");
        assert_eq!(
            total_promised_days(&restaurant, &answers("entity.company"), &guides),
            6
        );
        assert_eq!(
            total_promised_days(&restaurant, &answers("entity.individual"), &guides),
            5
        );
        assert_eq!(
            total_promised_days(&bundle("birth"), &Answers::new(), &guides),
            0
        );
        assert_eq!(
            total_promised_days(&bundle("retirement"), &Answers::new(), &guides),
            10
        );
        assert_eq!(timing_mode(&bundle("birth")), TimingMode::Sequence);
    }

    #[test]
    fn ready_members_wait_for_their_predecessors() {
        let b = bundle("company");
        let a = answers("company_type.llc~address_proof.lease~proxy.no~bank.yes~fund.no");
        assert_eq!(
            codes(&ready_members(&b, &a, &[])),
            strings(&["SFQ-SJ-0501"])
        );
        assert_eq!(
            codes(&ready_members(&b, &a, &strings(&["SFQ-SJ-0501"]))),
            strings(&["SFQ-GA-0501", "SFQ-SW-0501", "SFQ-RS-0501"])
        );
        assert_eq!(
            codes(&ready_members(
                &b,
                &a,
                &strings(&["SFQ-SJ-0501", "SFQ-GA-0501"])
            )),
            strings(&["SFQ-SW-0501", "SFQ-RS-0501", "SFQ-SJ-0503"])
        );
        // A predecessor left out by the answers is not waited for.
        let r = bundle("restaurant");
        let a = answers("entity.individual~signboard.no~gas.no~large.no");
        assert_eq!(
            codes(&ready_members(&r, &a, &[])),
            strings(&["SFQ-SJ-0502"])
        );
        assert_eq!(
            codes(&ready_members(&r, &a, &strings(&["SFQ-SJ-0502"]))),
            strings(&["SFQ-SJ-0511", "SFQ-CG-0502"])
        );
    }

    // --- the one form ---------------------------------------------------------------------

    fn birth_values() -> BTreeMap<String, String> {
        [
            ("applicant_name", "李秀梅"),
            ("id_number", "11010119850612008x"),
            ("phone", "13812345678"),
            ("address", "示范区民生路88号3单元501室"),
            ("baby_name", "王小宝"),
            ("baby_sex", "男"),
            ("baby_birth_date", "2026-11-20"),
            ("birth_place", "示范区妇幼保健院"),
            ("other_parent_name", "王建国"),
            ("remarks", ""),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    #[test]
    fn one_form_fans_out_to_every_member() {
        let b = bundle("birth");
        let out = member_form_values(&b, &birth_values());
        assert_eq!(out.len(), 4);
        for code in ["SFQ-WJ-0001", "SFQ-GA-0002", "SFQ-YB-0001", "SFQ-RS-0001"] {
            assert_eq!(out[code]["applicant_name"], "李秀梅");
            assert_eq!(out[code]["phone"], "13812345678");
        }
        assert_eq!(
            out["SFQ-WJ-0001"]["remarks"],
            "新生儿姓名：王小宝\n新生儿性别：男\n新生儿出生日期：2026-11-20\n出生医院或出生地点：示范区妇幼保健院\n孩子另一方父母姓名：王建国"
        );
        assert_eq!(
            out["SFQ-YB-0001"]["remarks"],
            "新生儿姓名：王小宝\n新生儿性别：男\n新生儿出生日期：2026-11-20"
        );
        // Every member form it produces passes the member's own form check.
        let guides = guides();
        let clean = validate_bundle_form(&b, &Answers::new(), &birth_values(), today()).unwrap();
        assert_eq!(clean["id_number"], "11010119850612008X");
        for (code, values) in member_form_values(&b, &clean) {
            let g = guides.iter().find(|g| g.code == code).unwrap();
            assert!(
                super::super::form::validate_form(&form_for(g), &values, today()).is_ok(),
                "{code}"
            );
        }
    }

    #[test]
    fn bundle_form_errors_and_hidden_fields() {
        let b = bundle("company");
        let mut values = BTreeMap::new();
        values.insert("legal_rep_id".to_string(), "123".to_string());
        let errors =
            validate_bundle_form(&b, &answers("bank.yes~fund.yes"), &values, today()).unwrap_err();
        assert_eq!(errors["company_name"], "请填写企业名称");
        assert!(
            errors["legal_rep_id"].starts_with("法定代表人身份证号码"),
            "{}",
            errors["legal_rep_id"]
        );
        assert_eq!(errors["bank_name"], "请填写预约开户银行");
        assert!(
            !errors.contains_key("uscc"),
            "issued by 设立登记, never asked"
        );
        assert!(!errors.contains_key("tax_officer"), "optional");
        // No bank appointment: the bank field is not asked.
        let errors =
            validate_bundle_form(&b, &answers("bank.no~fund.yes"), &values, today()).unwrap_err();
        assert!(!errors.contains_key("bank_name"));
        let shown: Vec<&str> = bundle_form(&b, &answers("bank.no"))
            .iter()
            .map(|f| f.spec.id.as_str())
            .collect();
        assert!(
            !shown.contains(&"uscc")
                && !shown.contains(&"bank_name")
                && shown.contains(&"employees")
        );
    }

    #[test]
    fn issued_fields_reach_later_members_once_filled() {
        let b = bundle("company");
        let mut values = company_form_values(&facts());
        let out = member_form_values(&b, &values);
        assert!(!out["SFQ-GA-0501"].contains_key("uscc"));
        assert_eq!(
            out["SFQ-GA-0501"]["company_name"],
            "示范区松间月餐饮管理有限公司"
        );
        values.insert("uscc".into(), "91610113MA6U0001XQ".into());
        let out = member_form_values(&b, &values);
        for code in [
            "SFQ-GA-0501",
            "SFQ-SW-0501",
            "SFQ-RS-0501",
            "SFQ-GJ-0501",
            "SFQ-SJ-0503",
        ] {
            assert_eq!(out[code]["uscc"], "91610113MA6U0001XQ");
            assert_eq!(out[code]["legal_rep_id"], "610113199211300049");
        }
        // 设立登记 issues the code: its own form has none, but the address and the legal
        // representative's phone.
        let licence = &out["SFQ-SJ-0501"];
        assert!(!licence.contains_key("uscc"));
        assert_eq!(licence["legal_rep_id"], "610113199211300049");
        assert_eq!(licence["legal_rep_phone"], "13912345678");
        assert_eq!(licence["registered_address"], "示范区文昌大道44号2层201室");
    }

    // --- 企业开办 -------------------------------------------------------------------------

    fn holder(name: &str, id: &str, share: &str, wan: &str) -> Shareholder {
        Shareholder {
            name: name.into(),
            id_number: id.into(),
            share_percent: share.into(),
            contribution_wan: wan.into(),
        }
    }

    fn facts() -> CompanyFacts {
        CompanyFacts {
            company_type: CompanyType::Llc,
            name: NameCheckRequest {
                district: "示范区".into(),
                trade_name: "松间月".into(),
                industry: "餐饮管理".into(),
                organisation: "有限公司".into(),
            },
            registered_capital_wan: "100".into(),
            shareholders: vec![
                holder("张伟", "110101198506120020", "60", "60"),
                holder("刘芳", "610113199211300049", "40", "40"),
            ],
            legal_rep: LegalRep {
                name: "刘芳".into(),
                id_number: "610113199211300049".into(),
                phone: "139 1234 5678".into(),
            },
            registered_address: "示范区文昌大道44号2层201室".into(),
            business_scope: strings(&["C0101", "C0103"]),
            term_years: None,
        }
    }

    fn scope() -> Vec<BusinessScope> {
        serde_json::from_str(include_str!("../../../server/demo/business-scope.json")).unwrap()
    }

    #[test]
    fn shares_must_add_up_to_exactly_100() {
        let ok = [
            holder("张伟", "110101198506120020", "60", "60"),
            holder("刘芳", "610113199211300049", "40", "40"),
        ];
        assert!(validate_shares(&ok, today()).is_ok());
        let thirds = [
            holder("甲", "110101198506120020", "33.34", "1"),
            holder("乙", "610113199211300049", "33.33", "1"),
            holder("丙", "610113197808080019", "33.33", "1"),
        ];
        assert!(validate_shares(&thirds, today()).is_ok());

        let short = [
            holder("张伟", "110101198506120020", "60", "60"),
            holder("刘芳", "610113199211300049", "30", "30"),
        ];
        let e = validate_shares(&short, today()).unwrap_err();
        assert_eq!(e["shareholders"], "股东出资比例合计应为100%，目前为90%");
        let mut thirds = thirds.to_vec();
        thirds[0].share_percent = "33.33".into();
        assert_eq!(
            validate_shares(&thirds, today()).unwrap_err()["shareholders"],
            "股东出资比例合计应为100%，目前为99.99%"
        );
        thirds[0].share_percent = "33.5".into();
        assert_eq!(
            validate_shares(&thirds, today()).unwrap_err()["shareholders"],
            "股东出资比例合计应为100%，目前为100.16%"
        );
    }

    #[test]
    fn each_share_is_a_positive_number_with_two_decimals() {
        for bad in [
            "33.333", "0", "0.00", "-5", "abc", "", "60%", "1e2", ".5", "5.",
        ] {
            let list = [
                holder("张伟", "110101198506120020", bad, "1"),
                holder("刘芳", "610113199211300049", "40", "1"),
            ];
            let e = validate_shares(&list, today()).unwrap_err();
            assert!(
                e["shareholders.0.share_percent"].starts_with("第1位股东的出资比例"),
                "{bad}: {e:?}"
            );
            // The total is not judged while a share is unreadable.
            assert!(!e.contains_key("shareholders"), "{bad}");
        }
        let e = validate_shares(&[holder("张伟", "110101198506120020", "120", "1")], today())
            .unwrap_err();
        assert_eq!(
            e["shareholders.0.share_percent"],
            "第1位股东的出资比例不能超过100%"
        );
        assert!(validate_shares(
            &[holder("张伟", "110101198506120020", " 100.00 ", "1")],
            today()
        )
        .is_ok());
    }

    #[test]
    fn shareholder_identities_are_checked() {
        let list = [
            holder("张伟", "110101198506120020", "50", "1"),
            holder("刘芳", "610113199211300048", "30", "1"),
            holder("", "110101198506120020", "20", "1"),
        ];
        let e = validate_shares(&list, today()).unwrap_err();
        assert_eq!(
            e["shareholders.1.id_number"],
            "第2位股东的身份证号码校验位不正确，请核对后重新输入"
        );
        assert_eq!(
            e["shareholders.2.id_number"],
            "第3位股东与第1位股东的身份证号码相同，同一人请合并填写"
        );
        assert_eq!(e["shareholders.2.name"], "请填写第3位股东的姓名");
        assert!(!e.contains_key("shareholders"));
        assert_eq!(
            validate_shares(&[], today()).unwrap_err()["shareholders"],
            "请至少填写一位股东（出资人）"
        );
    }

    #[test]
    fn company_facts_typed_with_full_width_digits_and_prefixes_fill_normalised_values() {
        let mut f = facts();
        let id = f.legal_rep.id_number.clone();
        f.legal_rep.id_number = id
            .chars()
            .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
            .collect();
        f.legal_rep.phone = "+86 139-1234-5678".into();
        assert_eq!(validate_company(&f, &scope(), today()), Ok(()));
        let values = company_form_values(&f);
        assert_eq!(values["legal_rep_id"], id.to_uppercase());
        assert_eq!(values["contact_phone"], "13912345678");
    }

    #[test]
    fn company_facts_pass_and_fill_the_bundle_form() {
        let f = facts();
        assert_eq!(validate_company(&f, &scope(), today()), Ok(()));
        let values = company_form_values(&f);
        assert_eq!(values["company_name"], "示范区松间月餐饮管理有限公司");
        assert_eq!(values["contact_phone"], "13912345678");
        let b = bundle("company");
        let mut form = values.clone();
        form.insert(
            "seal_set".into(),
            "公章、财务专用章、发票专用章（三枚，免费刻制）".into(),
        );
        form.insert("employees".into(), "5".into());
        let a = answers("company_type.llc~address_proof.lease~proxy.no~bank.no~fund.yes");
        assert!(
            validate_bundle_form(&b, &a, &form, today()).is_ok(),
            "{:?}",
            validate_bundle_form(&b, &a, &form, today())
        );
        assert!(needs_company_facts(&b, &a));
        assert!(needs_company_facts(
            &bundle("restaurant"),
            &answers("entity.company")
        ));
        assert!(needs_company_facts(&bundle("restaurant"), &Answers::new()));
        assert!(!needs_company_facts(
            &bundle("restaurant"),
            &answers("entity.individual")
        ));
        assert!(!needs_company_facts(&bundle("birth"), &Answers::new()));
        assert_eq!(
            permits_for_scope(&f.business_scope, &scope()),
            ["SFQ-SJ-0511"]
        );

        // What the facts fill is not asked again on the form, unless the facts are not asked.
        let asked = |b: &Bundle, a: &Answers| {
            asked_form(b, a)
                .iter()
                .map(|f| f.spec.id.clone())
                .collect::<Vec<_>>()
        };
        let on_form = asked(&b, &a);
        assert!(
            COMPANY_FIELDS
                .iter()
                .all(|id| !on_form.iter().any(|f| f == id)),
            "{on_form:?}"
        );
        assert!(on_form.contains(&"employees".to_string()));
        assert!(values.keys().all(|k| COMPANY_FIELDS.contains(&k.as_str())));
        let restaurant = bundle("restaurant");
        let individual = answers("entity.individual");
        assert_eq!(
            asked_form(&restaurant, &individual).len(),
            bundle_form(&restaurant, &individual).len()
        );
    }

    #[test]
    fn company_facts_errors() {
        let mut f = facts();
        f.company_type = CompanyType::Sole;
        f.registered_capital_wan = "90".into();
        f.legal_rep.id_number = "110101201501010038".into();
        f.legal_rep.phone = "12345".into();
        f.registered_address = "高新区科技路1号1层".into();
        f.business_scope = strings(&["C0101", "C0101"]);
        f.term_years = Some(0);
        let e = validate_company(&f, &scope(), today()).unwrap_err();
        assert_eq!(e["shareholders"], "个人独资企业只能有一位投资人，目前为2人");
        assert!(
            e["name.organisation"].starts_with("个人独资企业的名称应以“个人独资企业”或"),
            "{}",
            e["name.organisation"]
        );
        assert_eq!(e["legal_rep.id_number"], "法定代表人应年满18周岁");
        assert!(
            e["legal_rep.phone"].contains("法定代表人手机号码"),
            "{}",
            e["legal_rep.phone"]
        );
        assert_eq!(
            e["registered_address"],
            "住所应在示范区内，请以“示范区”开头填写"
        );
        assert_eq!(e["business_scope"], "经营范围有重复的项目");
        assert_eq!(e["term_years"], "经营期限应为1至50年，或选择“长期”");

        let mut f = facts();
        f.registered_capital_wan = "90".into();
        let e = validate_company(&f, &scope(), today()).unwrap_err();
        assert_eq!(
            e["shareholders"],
            "股东认缴出资额合计应等于注册资本90万元，目前为100万元"
        );
        let mut f = facts();
        f.shareholders[0].contribution_wan = "50".into();
        f.shareholders[1].contribution_wan = "50".into();
        let e = validate_company(&f, &scope(), today()).unwrap_err();
        assert_eq!(
            e["shareholders.0.share_percent"],
            "第1位股东的出资比例应为50%（认缴50万元 ÷ 注册资本100万元）"
        );
        let mut f = facts();
        f.registered_capital_wan = "0".into();
        f.business_scope = strings(&["X9999"]);
        f.name.trade_name = "松".into();
        f.shareholders[1].contribution_wan = "abc".into();
        let e = validate_company(&f, &scope(), today()).unwrap_err();
        assert!(e["registered_capital_wan"].starts_with("注册资本应为大于0的数字"));
        assert_eq!(e["business_scope"], "经营范围请从规范表述列表中选择");
        assert_eq!(e["name"], "字号应为2至6个汉字，您填写了1个字");
        assert!(e["shareholders.1.contribution_wan"].starts_with("第2位股东的认缴出资额"));
        let mut f = facts();
        f.company_type = CompanyType::Partnership;
        f.shareholders.truncate(1);
        f.shareholders[0].share_percent = "100".into();
        f.shareholders[0].contribution_wan = "100".into();
        f.name.organisation = "合伙企业".into();
        let e = validate_company(&f, &scope(), today()).unwrap_err();
        assert_eq!(e.keys().collect::<Vec<_>>(), ["shareholders"]);
        assert_eq!(e["shareholders"], "合伙企业至少需要两位合伙人");
    }

    #[test]
    fn fixed_point_numbers() {
        assert_eq!(parse_fixed("60", 2), Some(6000));
        assert_eq!(parse_fixed("33.5", 2), Some(3350));
        assert_eq!(parse_fixed("33.33", 2), Some(3333));
        assert_eq!(parse_fixed("0.0001", 4), Some(1));
        assert_eq!(parse_fixed("33.333", 2), None);
        assert_eq!(parse_fixed("-1", 2), None);
        assert_eq!(parse_fixed("１０", 2), None);
        assert_eq!(show_fixed(9000, 2), "90");
        assert_eq!(show_fixed(3350, 2), "33.5");
        assert_eq!(show_fixed(9999, 2), "99.99");
        assert_eq!(show_fixed(15, 4), "0.0015");
    }

    // --- consistency checks ---------------------------------------------------------------

    #[test]
    fn check_bundle_finds_mistakes() {
        let guides = guides();
        let mut b = bundle("birth");
        b.members[1].after.push("SFQ-XX-9999".into());
        b.members[2].answers.insert("who".into(), "alien".into());
        b.members.push(member("SFQ-NO-0000", &[]));
        b.form[0].maps_to.push(FieldTarget {
            item_code: "SFQ-WJ-0001".into(),
            field_id: "company_name".into(),
        });
        b.form.retain(|f| f.spec.id != "phone");
        b.situations.push(Situation {
            id: "unused".into(),
            question: "?".into(),
            help: None,
            options: vec![
                SituationOption {
                    value: "a".into(),
                    label: "a".into(),
                },
                SituationOption {
                    value: "b".into(),
                    label: "b".into(),
                },
            ],
        });
        b.covers.push("nothing".into());
        let problems = check_bundle(&b, &guides);
        let last = b.members.len() - 1;
        let unused = b.situations.len() - 1;
        let covers = b.covers.len() - 1;
        let after = b.members[1].after.len() - 1;
        let maps = b.form[0].maps_to.len() - 1;
        for (path, expected) in [
            (
                format!("members[1].after[{after}]"),
                "前置事项 SFQ-XX-9999 不是",
            ),
            ("members[2].answers".to_string(), "没有选项 alien"),
            (
                format!("members[{last}].item_code"),
                "没有编码为 SFQ-NO-0000 的事项",
            ),
            (
                format!("form[0].maps_to[{maps}].field_id"),
                "字段 company_name 不在",
            ),
            (
                "form".to_string(),
                "（phone）没有由“一件事”表单的任何字段填写",
            ),
            (
                format!("situations[{unused}].id"),
                "（unused）不决定任何成员事项",
            ),
            (
                format!("covers[{covers}]"),
                "材料 nothing 不是任何成员事项的材料",
            ),
        ] {
            let found = problems.get(&path).cloned().unwrap_or_default();
            assert!(
                found.contains(expected),
                "missing {expected:?} at {path} in\n{problems:#?}"
            );
        }
        // A member question nobody answers.
        let mut b = bundle("birth");
        b.situations.retain(|s| s.id != "married");
        assert!(check_bundle(&b, &guides)
            .values()
            .any(|p| p.contains("（married）既没有固定答案")));
        // A bundle option the member does not know.
        let mut b = bundle("birth");
        b.situations[0].options.push(SituationOption {
            value: "abroad".into(),
            label: "境外".into(),
        });
        assert!(check_bundle(&b, &guides)
            .values()
            .any(|p| p.contains("选项 abroad 不是该事项的选项")));
    }
}
