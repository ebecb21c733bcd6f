//! `/staff/cases/:id`: the review screen — the applicant's form, each material opened inline
//! with a verdict (合格 / 不合格 with the reason / 容缺 with a deadline where allowed), then the
//! decision: 预审通过 with the next steps, 退回补正 with a preview of the 一次性告知 built from
//! the 不合格 verdicts, 不予受理 with reason and legal basis, or 办结. The manager also sees the
//! case's audit log.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::{
    AuditEntry, CaseAction, CaseDetail, CaseMaterial, CaseStatus, CompanySheet, Decision,
    MaterialReview, Me, StaffRole, UploadInfo, Verdict,
};
use crate::ui::browser;
use crate::ui::components::case_view::guide_version_note;
use crate::ui::components::case_view::{
    acceptance_note, badges, beijing_time, date_words, outcome_body, pair, sibling_list, size_text,
    timeline,
};
use crate::ui::components::status::fetch;
use crate::ui::endpoints::staff;
use crate::ui::http::ApiFailure;
use crate::ui::session::{fetch_signed_in, guard, session, Signin};

#[component]
pub fn StaffReviewPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id")).unwrap_or_default());
    let detail = fetch_signed_in(Signin::Staff, move || {
        let id = id.get();
        async move { staff::case(&id).await }
    });
    view! {
        <nav class="crumbs" aria-label="当前位置">
            <a href="/staff">"预审工作台"</a>
        </nav>
        {guard(detail, Signin::Staff, |detail: CaseDetail| view! { <Review detail/> }.into_any())}
    }
}

fn is_manager() -> bool {
    matches!(
        session().get(),
        Some(Some(Me::Staff {
            role: StaffRole::Manager,
            ..
        }))
    )
}

/// The applicant's form in the item's order: every field the applicant was asked (a 一件事's
/// one form asks only some of a member item's fields; the others are not "未填写").
fn form_view(d: &CaseDetail) -> impl IntoView + use<> {
    let pairs = d
        .form_spec
        .iter()
        .filter_map(|spec| {
            let value = d.form.get(&spec.id)?;
            let value = if value.is_empty() {
                "（未填写）".to_string()
            } else {
                value.clone()
            };
            Some(pair(spec.label.clone(), value))
        })
        .collect_view();
    view! { <dl class="pairs pairs--form">{pairs}</dl> }
}

/// 企业开办's company facts as tables: the company, its shareholders, its 经营范围.
fn company_view(sheet: &CompanySheet) -> impl IntoView + use<> {
    let f = &sheet.facts;
    let holders = f
        .shareholders
        .iter()
        .map(|s| {
            view! {
                <tr>
                    <td data-label="姓名">{s.name.clone()}</td>
                    <td data-label="身份证号码">{s.id_number.clone()}</td>
                    <td data-label="认缴出资（万元）">{s.contribution_wan.clone()}</td>
                    <td data-label="出资比例">{format!("{}%", s.share_percent)}</td>
                </tr>
            }
        })
        .collect_view();
    let scope = sheet
        .scope_names
        .iter()
        .map(|n| view! { <li>{n.clone()}</li> })
        .collect_view();
    let term = f
        .term_years
        .map_or_else(|| "长期".to_string(), |y| format!("{y} 年"));
    view! {
        <section class="section card company-sheet" aria-labelledby="company-title">
            <h2 id="company-title">"企业开办信息"</h2>
            <dl class="pairs pairs--form">
                {pair("企业名称", sheet.company_name.clone())}
                {pair("企业类型", f.company_type.label().to_string())}
                {pair("注册资本", format!("{} 万元", f.registered_capital_wan))}
                {pair("住所", f.registered_address.clone())}
                {pair("经营期限", term)}
                {pair("法定代表人", f.legal_rep.name.clone())}
                {pair("法定代表人身份证号码", f.legal_rep.id_number.clone())}
                {pair("法定代表人手机号码", f.legal_rep.phone.clone())}
            </dl>
            <table class="queue company-sheet__holders">
                <caption>"股东（出资人）"</caption>
                <thead>
                    <tr>
                        <th scope="col">"姓名"</th>
                        <th scope="col">"身份证号码"</th>
                        <th scope="col">"认缴出资（万元）"</th>
                        <th scope="col">"出资比例"</th>
                    </tr>
                </thead>
                <tbody>{holders}</tbody>
            </table>
            <h3>"经营范围（规范表述）"</h3>
            <ul class="company-sheet__scope">{scope}</ul>
        </section>
    }
}

/// The 一次性告知 the applicant would get if the case were returned now.
fn notice_preview(materials: &[CaseMaterial]) -> impl IntoView + use<> {
    let rejected: Vec<&CaseMaterial> = materials
        .iter()
        .filter(|m| m.verdict == Verdict::Rejected)
        .collect();
    if rejected.is_empty() {
        return view! {
            <p class="note">"还没有标记为“不合格”的材料：请先在上面逐项审核，写明不合格原因。"</p>
        }
        .into_any();
    }
    let count = rejected.len();
    let problems = rejected
        .into_iter()
        .map(|m| (m.name.clone(), m.reason.clone().unwrap_or_default()))
        .chain(
            materials
                .iter()
                .filter(|m| m.verdict == Verdict::Tolerated)
                .map(|m| {
                    (
                        m.name.clone(),
                        format!(
                            "容缺受理，请于 {} 前补交",
                            m.deadline.as_deref().unwrap_or("")
                        ),
                    )
                }),
        )
        .map(|(name, problem)| {
            view! {
                <li>
                    <strong>{name}</strong>
                    "："
                    {problem}
                </li>
            }
        })
        .collect_view();
    view! {
        <p>{format!("申请人将一次性收到以下 {count} 项补正要求：")}</p>
        <ol class="notice-list">{problems}</ol>
        <p class="small">"补正期限：退回之日起 5 个工作日。"</p>
    }
    .into_any()
}

#[component]
fn Review(detail: CaseDetail) -> impl IntoView {
    let s = detail.summary.clone();
    browser::set_title(&format!("审核：{}", s.item_name));
    let id = StoredValue::new(s.id.clone());
    let first = StoredValue::new(detail.clone());
    let detail = RwSignal::new(detail);
    let head = move || {
        detail.with(|d| {
            let c = &d.summary;
            view! {
                <p class="case-badges">{badges(c)}</p>
                <dl class="pairs">
                    {pair("受理编号", c.number.clone().unwrap_or_default())}
                    {pair("办理部门", c.department.clone())}
                    {pair("提交时间", c.submitted_at.as_deref().map(beijing_time).unwrap_or_default())}
                    {c.due_date.as_deref().map(|due| pair("承诺办结", date_words(due)))}
                    {acceptance_note(d).map(|note| pair("受理日", note))}
                    {guide_version_note(d).map(|note| pair("办事指南", note))}
                </dl>
            }
        })
    };
    let materials = first.with_value(|d| {
        d.materials
            .iter()
            .map(|m| view! { <MaterialReview material=m.clone() case_id=id detail/> })
            .collect_view()
    });
    let outcome = move || {
        detail.with(|d| {
            d.outcome.as_ref().filter(|_| d.summary.status != CaseStatus::Returned).map(|o| {
                view! {
                    <section class="section card" aria-labelledby="out-title">
                        <h2 id="out-title">{if o.action == CaseAction::Reject { "不予受理" } else { "预审通过" }}</h2>
                        <div>{outcome_body(o)}</div>
                    </section>
                }
            })
        })
    };
    view! {
        <h1 class="page-title">{format!("审核：{}", s.item_name)}</h1>
        <div>{head}</div>
        {move || {
            detail.with(|d| {
                (d.summary.status == CaseStatus::Returned && d.notice.is_some()).then(|| {
                    view! {
                        <p class="actions">
                            <a class="button" href=format!("/staff/cases/{}/notice", d.summary.id)>
                                "打印一次性告知书"
                            </a>
                        </p>
                    }
                })
            })
        }}
        {first.with_value(|d| {
            d.hour_clock.as_ref().map(|c| {
                let class = if c.within_promise == Some(false) { "hour-clock hour-clock--late" } else { "hour-clock" };
                view! {
                    <p class=class role="status">
                        <strong>{format!("{} 小时办结：", c.promised_hours)}</strong>
                        {c.text.clone()}
                    </p>
                }
            })
        })}
        {first.with_value(|d| sibling_list(d, "/staff/cases/"))}
        {first.with_value(|d| d.company.as_ref().map(company_view))}
        <div class="review">
            <section class="section card" aria-labelledby="form-title">
                <h2 id="form-title">"申请信息"</h2>
                <div>{first.with_value(form_view)}</div>
            </section>
            <section class="section" aria-labelledby="mat-title">
                <h2 id="mat-title">"申请材料"</h2>
                <ul class="review-materials">{materials}</ul>
            </section>
            {outcome}
            <DecisionBox case_id=id detail/>
            <section class="section card" aria-labelledby="tl-title">
                <h2 id="tl-title">"办理过程"</h2>
                <div>{move || detail.with(|d| timeline(&d.timeline))}</div>
            </section>
            {move || is_manager().then(|| view! { <AuditLog case_id=id.get_value()/> })}
        </div>
    }
}

/// One uploaded file shown inline: a picture, or a PDF in a frame, from an object URL of the
/// fetched file (the download itself is an attachment).
#[component]
fn FileViewer(upload: UploadInfo, name: String) -> impl IntoView {
    let upload_id = upload.id.clone();
    let url = fetch(move || {
        let id = upload_id.clone();
        async move { staff::file_preview(&id).await }
    });
    let made = StoredValue::new(None::<String>);
    on_cleanup(move || {
        if let Some(u) = made.try_get_value().flatten() {
            let _ = web_sys::Url::revoke_object_url(&u);
        }
    });
    let title = format!("{name}：{}", upload.file_name);
    let image = upload.content_type.starts_with("image/");
    let file_name = upload.file_name.clone();
    view! {
        <div class="viewer">
            {move || match url.get() {
                None => view! { <p class="loading">"正在打开材料…"</p> }.into_any(),
                Some(Err(f)) => view! { <p class="field__error">{f.message}</p> }.into_any(),
                Some(Ok(u)) => {
                    made.set_value(Some(u.clone()));
                    let frame = if image {
                        view! { <img class="viewer__image" src=u.clone() alt=title.clone()/> }.into_any()
                    } else {
                        view! { <iframe class="viewer__pdf" src=u.clone() title=title.clone()></iframe> }.into_any()
                    };
                    view! {
                        {frame}
                        <p>
                            <a href=u download=file_name.clone()>
                                "下载原文件" <span class="visually-hidden">{title.clone()}</span>
                            </a>
                        </p>
                    }
                        .into_any()
                }
            }}
        </div>
    }
}

fn verdict_text(m: &CaseMaterial) -> String {
    match m.verdict {
        Verdict::Pending => "待审核".into(),
        Verdict::Accepted => "合格".into(),
        Verdict::Rejected => format!("不合格：{}", m.reason.as_deref().unwrap_or("")),
        Verdict::Tolerated => format!(
            "容缺受理，{} 前补交",
            date_words(m.deadline.as_deref().unwrap_or(""))
        ),
    }
}

#[component]
fn MaterialReview(
    material: CaseMaterial,
    case_id: StoredValue<String>,
    detail: RwSignal<CaseDetail>,
) -> impl IntoView {
    let mid = StoredValue::new(material.material_id.clone());
    let current = material.uploads.iter().find(|u| u.current).cloned();
    let older = material.uploads.iter().filter(|u| !u.current).count();
    let name = material.name.clone();
    let this = move || {
        detail.with(|d| {
            d.materials
                .iter()
                .find(|m| mid.with_value(|id| *id == m.material_id))
                .cloned()
        })
    };
    let choice = RwSignal::new(Some(material.verdict).filter(|v| *v != Verdict::Pending));
    let reason = RwSignal::new(material.reason.clone().unwrap_or_default());
    let deadline = RwSignal::new(material.deadline.clone().unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let busy = RwSignal::new(false);
    // A memo, not a closure over `detail`: saving another material's verdict replaces the
    // whole detail, and must not rebuild this form (a click in flight would be lost).
    let reviewing = Memo::new(move |_| detail.with(|d| d.summary.status == CaseStatus::Submitted));

    let save = move |_| {
        let Some(verdict) = choice.get_untracked() else {
            error.set(Some("请选择审核意见".into()));
            return;
        };
        if verdict == Verdict::Rejected && reason.get_untracked().trim().is_empty() {
            error.set(Some(
                "请填写不合格原因，申请人会在一次性告知书中看到".into(),
            ));
            return;
        }
        error.set(None);
        busy.set(true);
        leptos::task::spawn_local(async move {
            let body = MaterialReview {
                verdict,
                reason: some_text(&reason.get_untracked()),
                deadline: if verdict == Verdict::Tolerated {
                    some_text(&deadline.get_untracked())
                } else {
                    None
                },
            };
            match staff::review_material(&case_id.get_value(), &mid.get_value(), &body).await {
                Ok(answer) => {
                    detail.set(answer);
                    saved.set(true);
                }
                Err(f) => error.set(Some(f.message)),
            }
            busy.set(false);
        });
    };

    let key = material.material_id.clone();
    let option = move |value: Verdict, label: &'static str| {
        let input_id = format!("v-{key}-{}", verdict_key(value));
        view! {
            <div class="option">
                <input
                    type="radio"
                    id=input_id.clone()
                    name=format!("v-{key}")
                    prop:checked=move || choice.get() == Some(value)
                    on:change=move |_| {
                        choice.set(Some(value));
                        saved.set(false);
                    }
                />
                <label for=input_id>{label}</label>
            </div>
        }
    };
    let key = material.material_id.clone();
    let reason_id = format!("reason-{key}");
    let deadline_id = format!("deadline-{key}");
    let form = move || {
        reviewing.get().then(|| {
            let (reason_id, deadline_id) = (reason_id.clone(), deadline_id.clone());
            let tolerance = material.tolerance_allowed.then(|| option(Verdict::Tolerated, "容缺受理"));
            view! {
                <fieldset class="question verdict">
                    <legend class="question__text">{format!("审核意见：{}", name)}</legend>
                    <div class="options options--row">
                        {option(Verdict::Accepted, "合格")}
                        {option(Verdict::Rejected, "不合格")}
                        {tolerance}
                    </div>
                </fieldset>
                {move || {
                    matches!(choice.get(), Some(Verdict::Rejected | Verdict::Tolerated))
                        .then(|| {
                            let rejected = choice.get() == Some(Verdict::Rejected);
                            view! {
                                <div class="field">
                                    <label class="field__label" for=reason_id.clone()>
                                        {if rejected { "不合格原因（申请人会看到）" } else { "还需补交什么（选填）" }}
                                    </label>
                                    <textarea
                                        id=reason_id.clone()
                                        class="input"
                                        rows="2"
                                        prop:value=reason.get_untracked()
                                        on:input=move |ev| reason.set(event_target_value(&ev))
                                    ></textarea>
                                </div>
                            }
                        })
                }}
                {move || {
                    (choice.get() == Some(Verdict::Tolerated))
                        .then(|| {
                            view! {
                                <div class="field">
                                    <label class="field__label" for=deadline_id.clone()>"补交期限"</label>
                                    <input
                                        id=deadline_id.clone()
                                        class="input input--short"
                                        type="date"
                                        prop:value=deadline.get_untracked()
                                        on:input=move |ev| deadline.set(event_target_value(&ev))
                                    />
                                </div>
                            }
                        })
                }}
                <p class="field__error">{move || error.get()}</p>
                <button type="button" class="button" disabled=move || busy.get() on:click=save>
                    "保存审核意见" <span class="visually-hidden">{format!("：{}", name)}</span>
                </button>
            }
        })
    };

    let mut badges = vec![if material.auto_fetched.is_some() {
        "系统自动获取"
    } else if material.required {
        "必传"
    } else {
        "容缺可后补"
    }];
    if material.pledge_allowed {
        badges.push("告知承诺");
    }
    let badges = badges
        .into_iter()
        .map(|b| view! { <li class="badge">{b}</li> })
        .collect_view();
    let file_line = current.as_ref().map(|u| {
        format!(
            "{}（{}，{}）{}",
            u.file_name,
            if u.content_type == "application/pdf" {
                "PDF"
            } else {
                "图片"
            },
            size_text(u.size),
            if older > 0 {
                format!(" · 历史版本 {older} 个")
            } else {
                String::new()
            }
        )
    });
    let viewer_name = material.name.clone();
    view! {
        <li class="card review-material">
            <div class="review-material__side">
                <h3>{material.name.clone()}</h3>
                <ul class="badges">{badges}</ul>
                {material.note.clone().map(|n| view! { <p class="material__note">{n}</p> })}
                <p class="review-material__verdict" role="status">
                    "当前意见："
                    <strong>{move || this().map(|m| verdict_text(&m)).unwrap_or_default()}</strong>
                    {move || saved.get().then_some("（已保存）")}
                </p>
                {form}
            </div>
            <div class="review-material__file">
                {match current {
                    Some(u) => {
                        view! {
                            <p class="small">{file_line}</p>
                            <FileViewer upload=u name=viewer_name/>
                        }
                            .into_any()
                    }
                    None => view! { <p class="note">"申请人未上传（容缺材料）"</p> }.into_any(),
                }}
            </div>
        </li>
    }
}

const DECISIONS: [(CaseAction, &str); 4] = [
    (CaseAction::Approve, "预审通过"),
    (CaseAction::Return, "退回补正"),
    (CaseAction::Reject, "不予受理"),
    (CaseAction::Complete, "办结"),
];

#[component]
fn DecisionBox(case_id: StoredValue<String>, detail: RwSignal<CaseDetail>) -> impl IntoView {
    let choice = RwSignal::new(None::<CaseAction>);
    let next_steps = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let basis = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<ApiFailure>);
    let done = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // The section is rebuilt only when the possible actions change, not on every verdict saved
    // meanwhile: a rebuilt button between press and release loses the reviewer's click.
    let actions = Memo::new(move |_| detail.with(|d| d.actions.clone()));
    // The return was refused here because materials were still 待审核; the alert then names
    // the ones still waiting and disappears once each has a verdict.
    let refused_pending = RwSignal::new(false);

    // 退回补正 tells the applicant everything at once: every material needs a verdict first.
    let pending = move || {
        detail.with(|d| {
            d.materials
                .iter()
                .filter(|m| m.verdict == Verdict::Pending)
                .map(|m| m.name.clone())
                .collect::<Vec<_>>()
        })
    };
    let decide = move |_| {
        let Some(action) = choice.get_untracked() else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        if action == CaseAction::Return {
            if !pending().is_empty() {
                failure.set(None);
                refused_pending.set(true);
                return;
            }
        }
        busy.set(true);
        failure.set(None);
        refused_pending.set(false);
        leptos::task::spawn_local(async move {
            let body = Decision {
                action,
                note: note.get_untracked().trim().to_string(),
                legal_basis: some_text(&basis.get_untracked()),
                next_steps: some_text(&next_steps.get_untracked()),
            };
            match staff::decide(&case_id.get_value(), &body).await {
                Ok(answer) => {
                    detail.set(answer);
                    done.set(Some(format!("已{}。", action.label())));
                    choice.set(None);
                    note.set(String::new());
                }
                Err(f) => failure.set(Some(f)),
            }
            busy.set(false);
        });
    };

    // A labelled text area whose server error (by field name) appears under it.
    let area = move |id: &'static str,
                     field: &'static str,
                     label: &'static str,
                     value: RwSignal<String>| {
        let error_id = format!("{id}-error");
        view! {
            <div class="field">
                <label class="field__label" for=id>{label}</label>
                <textarea
                    id=id
                    class="input"
                    rows="3"
                    aria-describedby=error_id.clone()
                    prop:value=value.get_untracked()
                    on:input=move |ev| value.set(event_target_value(&ev))
                ></textarea>
                <p class="field__error" id=error_id>
                    {move || failure.with(|f| f.as_ref().and_then(|f| f.fields.get(field).cloned()))}
                </p>
            </div>
        }
    };

    let fields = move || {
        let action = choice.get()?;
        Some(match action {
            CaseAction::Approve => view! {
                {area("dec-next", "next_steps", "下一步（需携带的材料、办理地点和时间，或“已网上受理，无需到现场”）", next_steps)}
                <button
                    type="button"
                    class="button button--quiet"
                    on:click=move |_| next_steps.set("已网上受理，无需到现场，结果将按送达方式送达。".into())
                >
                    "填入：已网上受理，无需到现场"
                </button>
            }
            .into_any(),
            CaseAction::Return => view! {
                {move || {
                    let waiting = pending();
                    (!waiting.is_empty())
                        .then(|| view! { <p class="note note--warn">{pending_words(&waiting)}</p> })
                }}
                <div class="card notice-preview" aria-live="polite">
                    <h3>"一次性告知书预览"</h3>
                    <div>{move || detail.with(|d| notice_preview(&d.materials))}</div>
                </div>
                {area("dec-note", "note", "补充说明（选填）", note)}
            }
            .into_any(),
            CaseAction::Reject => view! {
                {area("dec-note", "note", "不予受理的理由", note)}
                {area("dec-basis", "legal_basis", "法律依据", basis)}
            }
            .into_any(),
            _ => area("dec-note", "note", "办结说明（选填）", note).into_any(),
        })
    };

    view! {
        {move || {
            let available = actions.get();
            let options: Vec<(CaseAction, &str)> = DECISIONS.into_iter().filter(|(a, _)| available.contains(a)).collect();
            if options.is_empty() {
                return done.get().map(|d| view! { <p class="success" role="status">{d}</p> }.into_any());
            }
            let radios = options
                .iter()
                .map(|(action, label)| {
                    let (action, label) = (*action, *label);
                    let input_id = format!("dec-{}", action_key(action));
                    view! {
                        <div class="option">
                            <input
                                type="radio"
                                id=input_id.clone()
                                name="decision"
                                prop:checked=move || choice.get() == Some(action)
                                on:change=move |_| {
                                    choice.set(Some(action));
                                    failure.set(None);
                                    refused_pending.set(false);
                                }
                            />
                            <label for=input_id>{label}</label>
                        </div>
                    }
                })
                .collect_view();
            Some(
                view! {
                    <section class="section card" aria-labelledby="dec-title">
                        <h2 id="dec-title">"处理决定"</h2>
                        {move || done.get().map(|d| view! { <p class="success" role="status">{d}</p> })}
                        <fieldset class="question">
                            <legend class="question__text">"请选择处理决定"</legend>
                            <div class="options options--row">{radios}</div>
                        </fieldset>
                        {fields}
                        <div role="alert">
                            {move || {
                                let waiting = pending();
                                (refused_pending.get() && !waiting.is_empty())
                                    .then(|| view! { <p class="problem">{pending_words(&waiting)}</p> })
                            }}
                            {move || {
                                failure
                                    .get()
                                    .map(|f| {
                                        let mut text = f.message.clone();
                                        if let Some(m) = f.fields.get("materials") {
                                            text = m.clone();
                                        }
                                        view! { <p class="problem">{text}</p> }
                                    })
                            }}
                        </div>
                        {move || {
                            choice
                                .get()
                                .map(|action| {
                                    view! {
                                        <button
                                            type="button"
                                            class="button button--primary button--wide"
                                            disabled=move || busy.get()
                                            on:click=decide
                                        >
                                            {format!("确认{}", action.label())}
                                        </button>
                                    }
                                })
                        }}
                    </section>
                }
                    .into_any(),
            )
        }}
    }
}

/// The case's audit log (centre manager only).
#[component]
fn AuditLog(case_id: String) -> impl IntoView {
    let log = fetch(move || {
        let id = case_id.clone();
        async move { staff::audit_log(&id).await }
    });
    let table = move || {
        let Some(Ok(log)) = log.get() else {
            return None;
        };
        let rows = log.entries.into_iter().map(audit_row).collect_view();
        Some(view! {
            <table class="queue audit">
                <thead>
                    <tr>
                        <th scope="col">"时间"</th>
                        <th scope="col">"操作人"</th>
                        <th scope="col">"操作"</th>
                        <th scope="col">"内容"</th>
                        <th scope="col">"地址"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        })
    };
    view! {
        <section class="section card" aria-labelledby="audit-title">
            <h2 id="audit-title">"审计日志"</h2>
            <div>{table}</div>
        </section>
    }
}

fn audit_row(e: AuditEntry) -> impl IntoView {
    view! {
        <tr>
            <td data-label="时间">{beijing_time(&e.at)}</td>
            <td data-label="操作人">{e.actor}</td>
            <td data-label="操作">{e.action}</td>
            <td data-label="内容">{e.detail}</td>
            <td data-label="地址">{e.address}</td>
        </tr>
    }
}

/// Some text, or nothing when it is blank (trimmed).
fn some_text(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

/// A verdict as on the wire, for element ids.
fn verdict_key(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Pending => "pending",
        Verdict::Accepted => "accepted",
        Verdict::Rejected => "rejected",
        Verdict::Tolerated => "tolerated",
    }
}

/// What to do before 退回补正 while `names` are still 待审核 (the server says the same, 422).
fn pending_words(names: &[String]) -> String {
    format!(
        "退回补正前，请先审核仍为“待审核”的材料：{}（每项选择合格、不合格或容缺），一次性告知才完整",
        names.join("、")
    )
}

/// An action as on the wire, for element ids.
fn action_key(action: CaseAction) -> &'static str {
    match action {
        CaseAction::Submit => "submit",
        CaseAction::Withdraw => "withdraw",
        CaseAction::Return => "return",
        CaseAction::Approve => "approve",
        CaseAction::Reject => "reject",
        CaseAction::Complete => "complete",
    }
}
