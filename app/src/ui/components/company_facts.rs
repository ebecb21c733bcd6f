//! 企业开办's company facts, asked once for every member: 企业名称自主申报 with an instant
//! check against the district's registered names and restricted words, registered capital,
//! shareholders (contributions and shares adding up to 100%), 法定代表人, 住所, 经营范围 from the
//! standard list and 经营期限.
//!
//! Every change is saved with the draft (as its `company` member) and checked as the user
//! leaves a field with the rule the server applies on submission (`rules::bundle::validate_company`).

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use leptos::prelude::*;

use crate::api::{BusinessScope, CompanyFacts, CompanyType, NameCheckResult, Shareholder};
use crate::rules::bundle::validate_company;
use crate::ui::browser;
use crate::ui::components::case_form::{described_by, labelled_field, Draft};
use crate::ui::endpoints::bundles as api;

const CHECK_AFTER: Duration = Duration::from_millis(500);

/// The error keys that belong to the company facts (as `validate_company` and the server name
/// them), as opposed to the bundle form's own fields.
fn is_company_key(key: &str) -> bool {
    [
        "company",
        "company_type",
        "name",
        "shareholders",
        "registered_address",
        "registered_capital_wan",
        "business_scope",
        "term_years",
    ]
    .contains(&key)
        || ["company.", "name.", "shareholders.", "legal_rep."]
            .iter()
            .any(|p| key.starts_with(p))
}

/// Empty facts for a new draft: one shareholder, the district prefilled.
pub fn blank_facts(company_type: CompanyType, district: &str) -> CompanyFacts {
    CompanyFacts {
        company_type,
        name: crate::api::NameCheckRequest {
            district: district.into(),
            organisation: company_type.organisations()[0].into(),
            ..Default::default()
        },
        registered_capital_wan: String::new(),
        shareholders: vec![Shareholder::default()],
        legal_rep: Default::default(),
        registered_address: String::new(),
        business_scope: Vec::new(),
        term_years: None,
    }
}

/// The kind of enterprise chosen with the `company_type` question (`llc` when unknown).
pub fn company_type_of(answer: &str) -> CompanyType {
    match answer {
        "sole" => CompanyType::Sole,
        "partnership" => CompanyType::Partnership,
        _ => CompanyType::Llc,
    }
}

/// Shared state of the company section; `Copy` for the handlers.
#[derive(Clone, Copy)]
struct Facts {
    facts: RwSignal<CompanyFacts>,
    errors: RwSignal<BTreeMap<String, String>>,
    touched: StoredValue<BTreeSet<String>>,
    scopes: StoredValue<Vec<BusinessScope>>,
    draft: Draft,
    check: RwSignal<Option<NameCheckResult>>,
    timer: StoredValue<Option<TimeoutHandle>>,
}

impl Facts {
    /// Applies a change, saves it with the draft and re-checks what is on show.
    fn edit(self, change: impl FnOnce(&mut CompanyFacts)) {
        self.facts.update(change);
        self.draft.set_company(self.facts.get_untracked());
        self.recheck();
    }

    /// Errors for the fields already left (or already showing one), from the shared rule.
    fn recheck(self) {
        let computed = self.facts.with_untracked(|f| {
            self.scopes
                .with_value(|s| validate_company(f, s, browser::today_in_beijing()))
        });
        let computed = computed.err().unwrap_or_default();
        self.errors.update(|e| {
            let shown: BTreeSet<String> = e.keys().filter(|k| is_company_key(k)).cloned().collect();
            e.retain(|k, _| !is_company_key(k) || k == "company.name");
            for (k, m) in computed {
                if shown.contains(&k) || self.touched.with_value(|t| t.contains(&k)) {
                    e.insert(k, m);
                }
            }
        });
    }

    fn leave(self, key: &str) {
        self.touched.update_value(|t| {
            t.insert(key.to_string());
            // Contributions and shares are checked together once any of them was entered.
            if key.starts_with("shareholders.") || key == "registered_capital_wan" {
                t.insert("shareholders".into());
            }
        });
        self.recheck();
    }

    /// Checks the proposed name shortly after the typing stops.
    fn name_changed(self) {
        self.errors.update(|e| {
            e.remove("company.name");
        });
        if let Some(handle) = self.timer.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                let request = self.facts.with_untracked(|f| f.name.clone());
                let ready = self.facts.with_untracked(|f| {
                    !f.name.trade_name.trim().is_empty() && !f.name.industry.trim().is_empty()
                });
                if !ready {
                    self.check.set(None);
                    return;
                }
                leptos::task::spawn_local(async move {
                    if let Ok(result) = api::name_check(request).await {
                        // Only the answer for the name now on screen.
                        let current = self
                            .facts
                            .try_with_untracked(|f| crate::rules::company_name::full_name(&f.name));
                        if current.as_deref() == Some(result.full_name.as_str()) {
                            self.check.set(Some(result));
                        }
                    }
                });
            },
            CHECK_AFTER,
        )
        .ok();
        self.timer.set_value(handle);
    }

    fn error(self, key: String) -> impl Fn() -> Option<String> + Clone + Send + Sync + 'static {
        move || self.errors.with(|e| e.get(&key).cloned())
    }
}

/// One labelled text input bound to a part of the facts.
fn text_input(
    ctx: Facts,
    key: String,
    label: String,
    help: Option<String>,
    kind: (&'static str, Option<&'static str>, &'static str),
    read: impl Fn(&CompanyFacts) -> String + Send + Sync + 'static,
    write: impl Fn(&mut CompanyFacts, String) + Clone + Send + Sync + 'static,
) -> AnyView {
    let input_id = format!("f-{key}");
    let described = described_by(&input_id, help.is_some());
    let error = ctx.error(key.clone());
    let invalid = {
        let error = error.clone();
        move || error().map(|_| "true")
    };
    let value = move || ctx.facts.with(|f| read(f));
    let is_name = key.starts_with("name.");
    let on_input = move |ev| {
        let v = event_target_value(&ev);
        let write = write.clone();
        ctx.edit(move |f| write(f, v));
        if is_name {
            ctx.name_changed();
        }
    };
    let (kind, mode, auto) = kind;
    let control = view! {
        <input
            id=input_id.clone()
            class="input"
            type=kind
            inputmode=mode
            autocomplete=auto
            aria-describedby=described
            aria-invalid=invalid
            prop:value=value
            on:input=on_input
            on:blur=move |_| ctx.leave(&key)
        />
    }
    .into_any();
    labelled_field(input_id, label, true, help, control, error)
}

const TEXT: (&str, Option<&str>, &str) = ("text", None, "off");
const DECIMAL: (&str, Option<&str>, &str) = ("text", Some("decimal"), "off");

/// The result of the name check: the full name, and every problem with what to do instead.
fn name_result(ctx: Facts) -> impl IntoView {
    move || {
        let result = ctx.check.get()?;
        let problems = result
            .problems
            .iter()
            .map(|p| {
                view! {
                    <li>
                        <span class="badge badge--need">{p.kind.label()}</span>
                        " "
                        {p.message.clone()}
                        <br/>
                        <span class="small">{format!("建议：{}", p.suggestion)}</span>
                    </li>
                }
            })
            .collect_view();
        Some(if result.ok {
            view! {
                <div class="name-check name-check--ok" role="status">
                    <p>
                        <strong>{result.full_name.clone()}</strong>
                        "：未发现重名或禁限用字词，可以申报。"
                    </p>
                </div>
            }
            .into_any()
        } else {
            view! {
                <div class="name-check" role="status">
                    <p>
                        <strong>{result.full_name.clone()}</strong>
                        "：暂不能使用，原因如下。"
                    </p>
                    <ul>{problems}</ul>
                </div>
            }
            .into_any()
        })
    }
}

fn name_section(ctx: Facts) -> impl IntoView {
    let company_type = ctx.facts.with_untracked(|f| f.company_type);
    let organisations = company_type
        .organisations()
        .iter()
        .map(|o| {
            let selected = move || ctx.facts.with(|f| f.name.organisation == *o);
            view! { <option value=*o selected=selected>{*o}</option> }
        })
        .collect_view();
    let org_error = ctx.error("name.organisation".into());
    let name_error = ctx.error("name".into());
    let registry_error = ctx.error("company.name".into());
    let district = ctx.facts.with_untracked(|f| f.name.district.clone());
    view! {
        <fieldset class="question company-name">
            <legend class="question__text">"企业名称自主申报"</legend>
            <p class="question__help">
                {format!("名称由“行政区划 + 字号 + 行业 + 组织形式”组成，如“{district}青禾餐饮管理有限公司”。输入后自动查重。")}
            </p>
            <p class="small">{format!("行政区划：{district}")}</p>
            {text_input(
                ctx,
                "name.trade_name".into(),
                "字号".into(),
                Some("2 到 6 个汉字，是名称里最有辨识度的部分，如“青禾”".into()),
                TEXT,
                |f| f.name.trade_name.clone(),
                |f, v| f.name.trade_name = v,
            )}
            {text_input(
                ctx,
                "name.industry".into(),
                "行业表述".into(),
                Some("写主要经营的行业，如“餐饮管理”“信息技术”“商贸”".into()),
                TEXT,
                |f| f.name.industry.clone(),
                |f, v| f.name.industry = v,
            )}
            <div class="field">
                <label class="field__label" for="f-name.organisation">"组织形式"</label>
                <select
                    id="f-name.organisation"
                    class="input"
                    aria-describedby="f-name.organisation-error"
                    aria-invalid=move || org_error().map(|_| "true")
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        ctx.edit(move |f| f.name.organisation = v);
                        ctx.name_changed();
                    }
                >
                    {organisations}
                </select>
                <p class="field__error" id="f-name.organisation-error">{ctx.error("name.organisation".into())}</p>
            </div>
            <p class="field__error" id="f-name">{move || name_error().or_else(&registry_error)}</p>
            {name_result(ctx)}
        </fieldset>
    }
}

fn shareholder_view(ctx: Facts, i: usize, who: &'static str) -> impl IntoView {
    let at = move |f: &CompanyFacts| f.shareholders.get(i).cloned().unwrap_or_default();
    let key = move |part: &str| format!("shareholders.{i}.{part}");
    let remove = move |_| {
        ctx.edit(|f| {
            if i < f.shareholders.len() {
                f.shareholders.remove(i);
            }
        });
        // Keys of later people shift down: show their errors again only once re-entered.
        ctx.touched
            .update_value(|t| t.retain(|k| !k.starts_with("shareholders.")));
        ctx.recheck();
    };
    let can_remove = move || ctx.facts.with(|f| f.shareholders.len() > 1);
    view! {
        <fieldset class="holder">
            <legend class="holder__title">{format!("第 {} 位{who}", i + 1)}</legend>
            {text_input(ctx, key("name"), "姓名".into(), None, ("text", None, "name"), move |f| at(f).name, move |f, v| {
                if let Some(s) = f.shareholders.get_mut(i) { s.name = v }
            })}
            {text_input(ctx, key("id_number"), "居民身份证号码".into(), None, TEXT, move |f| at(f).id_number, move |f, v| {
                if let Some(s) = f.shareholders.get_mut(i) { s.id_number = v }
            })}
            {text_input(ctx, key("contribution_wan"), "认缴出资额（万元）".into(), None, DECIMAL, move |f| at(f).contribution_wan, move |f, v| {
                if let Some(s) = f.shareholders.get_mut(i) { s.contribution_wan = v }
            })}
            {text_input(ctx, key("share_percent"), "出资比例（%）".into(), Some("各位合计应为 100".into()), DECIMAL, move |f| at(f).share_percent, move |f, v| {
                if let Some(s) = f.shareholders.get_mut(i) { s.share_percent = v }
            })}
            <Show when=can_remove>
                <button type="button" class="button button--quiet" on:click=remove>
                    {format!("删除第 {} 位{who}", i + 1)}
                </button>
            </Show>
        </fieldset>
    }
}

fn shareholders_section(ctx: Facts) -> impl IntoView {
    let company_type = ctx.facts.with_untracked(|f| f.company_type);
    let who = match company_type {
        CompanyType::Llc => "股东",
        CompanyType::Sole => "投资人",
        CompanyType::Partnership => "合伙人",
    };
    let count = move || ctx.facts.with(|f| f.shareholders.len());
    let people = move || {
        (0..count())
            .map(|i| shareholder_view(ctx, i, who))
            .collect_view()
    };
    let add = move |_| ctx.edit(|f| f.shareholders.push(Shareholder::default()));
    let total = ctx.error("shareholders".into());
    view! {
        <div class="holders" id="f-shareholders" tabindex="-1">
            <h3>{format!("{who}及出资")}</h3>
            {people}
            <p class="field__error" role="status">{total}</p>
            {(company_type != CompanyType::Sole)
                .then(|| view! { <button type="button" class="button" on:click=add>{format!("添加{who}")}</button> })}
        </div>
    }
}

fn scope_section(ctx: Facts) -> impl IntoView {
    let scopes = ctx.scopes.get_value();
    let mut categories: Vec<&str> = Vec::new();
    for s in &scopes {
        if !categories.contains(&s.category.as_str()) {
            categories.push(&s.category);
        }
    }
    let groups = categories
        .into_iter()
        .map(|category| {
            let boxes = scopes
                .iter()
                .filter(|s| s.category == category)
                .map(|s| {
                    let code = s.code.clone();
                    let id = format!("scope-{code}");
                    let checked = {
                        let code = code.clone();
                        move || ctx.facts.with(|f| f.business_scope.contains(&code))
                    };
                    let toggle = move |_| {
                        let code = code.clone();
                        ctx.edit(move |f| {
                            if let Some(at) = f.business_scope.iter().position(|c| *c == code) {
                                f.business_scope.remove(at);
                            } else {
                                f.business_scope.push(code);
                            }
                        });
                        ctx.leave("business_scope");
                    };
                    view! {
                        <div class="option">
                            <input type="checkbox" id=id.clone() prop:checked=checked on:change=toggle/>
                            <label for=id>
                                <span>
                                    {s.name.clone()}
                                    {s.permit_item.is_some().then(|| view! { <span class="small">" （开业前需办理许可）"</span> })}
                                </span>
                            </label>
                        </div>
                    }
                })
                .collect_view();
            view! {
                <details class="scope-group">
                    <summary>{category.to_string()}</summary>
                    <div class="options">{boxes}</div>
                </details>
            }
        })
        .collect_view();
    let chosen = move || {
        ctx.facts.with(|f| {
            ctx.scopes.with_value(|all| {
                f.business_scope
                    .iter()
                    .filter_map(|c| all.iter().find(|s| &s.code == c).map(|s| s.name.clone()))
                    .collect::<Vec<_>>()
                    .join("；")
            })
        })
    };
    let error = ctx.error("business_scope".into());
    view! {
        <fieldset class="question" id="f-business_scope" tabindex="-1" aria-describedby="f-business_scope-error">
            <legend class="question__text">"经营范围"</legend>
            <p class="question__help">"从规范表述中勾选，可多选。展开分类查看。"</p>
            {groups}
            <p class="small">{move || {
                let c = chosen();
                if c.is_empty() { "尚未选择".to_string() } else { format!("已选：{c}") }
            }}</p>
            <p class="field__error" id="f-business_scope-error">{error}</p>
        </fieldset>
    }
}

/// The 企业开办 section of a bundle draft.
#[component]
pub fn CompanyFactsForm(
    draft: Draft,
    initial: CompanyFacts,
    scopes: Vec<BusinessScope>,
    errors: RwSignal<BTreeMap<String, String>>,
) -> impl IntoView {
    let ctx = Facts {
        facts: RwSignal::new(initial),
        errors,
        touched: StoredValue::new(BTreeSet::new()),
        scopes: StoredValue::new(scopes),
        draft,
        check: RwSignal::new(None),
        timer: StoredValue::new(None),
    };
    // Show the check of a name saved earlier at once.
    ctx.name_changed();
    let kind = ctx.facts.with_untracked(|f| f.company_type.label());
    let same_as_first = move |_| {
        ctx.edit(|f| {
            if let Some(s) = f.shareholders.first() {
                f.legal_rep.name = s.name.clone();
                f.legal_rep.id_number = s.id_number.clone();
            }
        });
    };
    let term_error = ctx.error("term_years".into());
    let district = ctx.facts.with_untracked(|f| f.name.district.clone());
    view! {
        <p class="hint">{format!("企业类型：{kind}")}</p>
        {name_section(ctx)}
        {text_input(
            ctx,
            "registered_capital_wan".into(),
            "注册资本（万元）".into(),
            Some("认缴制：写各方承诺出资的合计，如 50".into()),
            DECIMAL,
            |f| f.registered_capital_wan.clone(),
            |f, v| f.registered_capital_wan = v,
        )}
        {shareholders_section(ctx)}
        <h3>"法定代表人"</h3>
        <p>
            <button type="button" class="button button--quiet" on:click=same_as_first>"与第 1 位股东相同"</button>
        </p>
        {text_input(ctx, "legal_rep.name".into(), "姓名".into(), None, ("text", None, "name"), |f| f.legal_rep.name.clone(), |f, v| f.legal_rep.name = v)}
        {text_input(ctx, "legal_rep.id_number".into(), "居民身份证号码".into(), None, TEXT, |f| f.legal_rep.id_number.clone(), |f, v| f.legal_rep.id_number = v)}
        {text_input(ctx, "legal_rep.phone".into(), "手机号码".into(), Some("用于接收登记结果短信".into()), ("tel", Some("tel"), "tel"), |f| f.legal_rep.phone.clone(), |f, v| f.legal_rep.phone = v)}
        {text_input(
            ctx,
            "registered_address".into(),
            "住所（注册地址）".into(),
            Some(format!("须在{district}内，以“{district}”开头，写到门牌号")),
            ("text", None, "street-address"),
            |f| f.registered_address.clone(),
            |f, v| f.registered_address = v,
        )}
        {scope_section(ctx)}
        <div class="field">
            <label class="field__label" for="f-term_years">"经营期限"</label>
            <select
                id="f-term_years"
                class="input"
                aria-describedby="f-term_years-error"
                aria-invalid=move || term_error().map(|_| "true")
                on:change=move |ev| {
                    let years = event_target_value(&ev).parse::<u32>().ok();
                    ctx.edit(move |f| f.term_years = years);
                }
            >
                {[None, Some(10), Some(20), Some(30), Some(50)]
                    .into_iter()
                    .map(|y| {
                        let selected = move || ctx.facts.with(|f| f.term_years == y);
                        let value = y.map(|y| y.to_string()).unwrap_or_default();
                        let label = y.map_or("长期".to_string(), |y| format!("{y} 年"));
                        view! { <option value=value selected=selected>{label}</option> }
                    })
                    .collect_view()}
            </select>
            <p class="field__error" id="f-term_years-error">{ctx.error("term_years".into())}</p>
        </div>
    }
}
