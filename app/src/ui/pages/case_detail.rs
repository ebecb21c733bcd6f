//! `/my/cases/:id`: one application as its owner sees it — status, 受理编号 with its QR code,
//! the 一次性告知 with re-upload and 重新提交 when returned, the outcome, every step, 撤回, and
//! once it is over, the 好差评 form and the centre's 整改 answer. While the case can still change,
//! a checkbox turns its SMS notices (受理, 需补正, 办结, 不予受理) on or off.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use crate::api::{CaseAction, CaseDetail, CaseStatus, NewRating, Rating, RatingLevel, Submitted};
use crate::ui::browser;
use crate::ui::components::case_view::guide_version_note;
use crate::ui::components::case_view::{
    acceptance_note, badges, beijing_time, date_words, notice_body, outcome_body, pair, qr_figure,
    sibling_list, timeline, track_url, waiting_note,
};
use crate::ui::components::material_uploads::MaterialUploads;
use crate::ui::components::submit_bar::SubmitBar;
use crate::ui::endpoints::cases::{self as endpoints, case_url};
use crate::ui::session::{fetch_signed_in, guard, replace, Signin};

#[component]
pub fn CaseDetailPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id")).unwrap_or_default());
    let detail = fetch_signed_in(Signin::Applicant, move || {
        let id = id.get();
        async move { endpoints::case(&id).await }
    });
    let reload = Callback::new(move |_: ()| detail.refetch());
    view! {
        {guard(detail, Signin::Applicant, move |detail| view! { <CaseView detail reload/> }.into_any())}
    }
}

/// 受理编号, due date and the QR code that opens the public progress page.
fn number_box(d: &CaseDetail) -> Option<impl IntoView> {
    let s = &d.summary;
    let number = s.number.clone()?;
    let due = s.due_date.as_ref().map(|due| {
        view! {
            <p>
                "承诺办结日期："
                <strong>{date_words(due)}</strong>
            </p>
        }
    });
    Some(view! {
        <div class="number-box card">
            <div>
                <p class="number-box__label">"受理编号"</p>
                <p class="number-box__number">{number.clone()}</p>
                {due}
                {acceptance_note(d).map(|note| view! { <p class="small">{note}</p> })}
                {guide_version_note(d).map(|note| view! { <p class="small">{note}</p> })}
                <p class="small">"凭受理编号和手机号后四位，可在“办件查询”中随时查看进度。"</p>
            </div>
            {qr_figure(&track_url(&number), "受理编号二维码", "扫码查看办件进度")}
        </div>
    })
}

/// What the applicant said, and the centre's 整改 answer to a 差评.
fn rating_pairs(r: &Rating) -> impl IntoView {
    let comment = (!r.comment.is_empty()).then(|| pair("评价内容", r.comment.clone()));
    let answer = match (&r.rectification, &r.rectified_at) {
        (Some(answer), at) => Some(
            view! {
                {pair("整改答复", answer.clone())}
                {at.as_ref().map(|at| pair("答复时间", beijing_time(at)))}
            }
            .into_any(),
        ),
        (None, _) if r.level.is_bad() => Some(
            pair(
                "处理情况",
                "已转交政务服务中心跟进整改，答复会通过站内消息告诉您".to_string(),
            )
            .into_any(),
        ),
        _ => None,
    };
    view! {
        <dl class="pairs">
            {pair("您的评价", r.level.label().to_string())}
            {comment}
            {pair("评价时间", beijing_time(&r.rated_at))}
            {answer}
        </dl>
    }
}

#[component]
fn CaseView(detail: CaseDetail, reload: Callback<()>) -> impl IntoView {
    let s = detail.summary.clone();
    browser::set_title(&format!("办件详情：{}", s.item_name));
    let id = s.id.clone();
    let query = use_query_map();
    let just_submitted =
        query.with_untracked(|q| q.get("submitted")).is_some() && s.status == CaseStatus::Submitted;

    let returned = s.status == CaseStatus::Returned;
    let errors = RwSignal::new(BTreeMap::new());
    let materials = RwSignal::new(detail.materials.clone());
    let navigate = use_navigate();
    let resubmitted = {
        let id = id.clone();
        Callback::new(move |_: Submitted| {
            navigate(&format!("/my/cases/{id}?submitted=1"), replace());
            reload.run(());
        })
    };

    let notice = detail.notice.as_ref().filter(|_| returned).map(|n| {
        view! {
            <section class="section card card--alert" aria-labelledby="notice-title">
                <h2 id="notice-title">"一次性告知：需要补正"</h2>
                <div>{notice_body(n)}</div>
                <p><a href=format!("/my/cases/{id}/notice")>"打印一次性告知书"</a></p>
            </section>
        }
    });
    let correction = returned.then(|| {
        view! {
            <section class="section card" aria-labelledby="fix-title">
                <h2 id="fix-title">"补正材料并重新提交"</h2>
                <p class="hint">
                    "按上面的告知重新上传有问题的材料；如需修改填写的信息，请 "
                    <a href=format!("/apply/{id}")>"修改申请信息"</a>
                    "。"
                </p>
                <MaterialUploads base=case_url(&id, "") materials errors editable=true/>
                <SubmitBar base=case_url(&id, "") draft=None errors label="重新提交" on_done=resubmitted/>
            </section>
        }
    });
    let waiting = waiting_note(&s);
    let draft_note = (s.status == CaseStatus::Draft && waiting.is_none()).then(|| {
        view! {
            <p class="note">"这份申请还没有提交。"</p>
            <p class="actions"><a class="button button--primary" href=format!("/apply/{id}")>"继续填写"</a></p>
        }
    });
    let outcome = detail.outcome.as_ref().filter(|_| !returned).map(|o| {
        let title = if o.action == CaseAction::Reject {
            "不予受理"
        } else {
            "审核结果：预审通过"
        };
        view! {
            <section class="section card" aria-labelledby="outcome-title">
                <h2 id="outcome-title">{title}</h2>
                <div>{outcome_body(o)}</div>
            </section>
        }
    });
    let rating = matches!(s.status, CaseStatus::Completed | CaseStatus::Rejected)
        .then(|| view! { <RatingBox case_id=id.clone() rating=detail.rating.clone()/> });
    let materials_view = (!returned && s.status != CaseStatus::Draft).then(|| {
        view! {
            <section class="section card" aria-labelledby="mat-title">
                <h2 id="mat-title">"已提交的材料"</h2>
                <MaterialUploads base=case_url(&id, "") materials errors editable=false/>
            </section>
        }
    });
    let sms = matches!(
        s.status,
        CaseStatus::Draft | CaseStatus::Submitted | CaseStatus::Returned | CaseStatus::Approved
    )
    .then(|| view! { <SmsNoticesBox case_id=id.clone()/> });
    let siblings = sibling_list(&detail, "/my/cases/");
    let withdraw = detail
        .actions
        .contains(&CaseAction::Withdraw)
        .then(|| view! { <Withdraw case_id=id.clone() reload/> });

    view! {
        <nav class="crumbs" aria-label="当前位置">
            <a href="/my">"我的办件"</a>
        </nav>
        <h1 class="page-title">{s.item_name.clone()}</h1>
        <div>
            <p class="case-badges">{badges(&s)}</p>
        </div>
        <p class="hint">{s.department.clone()}</p>
        {just_submitted
            .then(|| {
                view! {
                    <div class="success" role="status">
                        <p><strong>"提交成功！"</strong>"部门将在承诺时限内完成预审，请记下受理编号。"</p>
                    </div>
                }
            })}
        {notice}
        {correction}
        <div>{number_box(&detail)}</div>
        {waiting}
        {draft_note}
        {siblings}
        {outcome}
        {rating}
        <section class="section card" aria-labelledby="tl-title">
            <h2 id="tl-title">"办理过程"</h2>
            <div>{timeline(&detail.timeline)}</div>
        </section>
        {sms}
        {materials_view}
        {withdraw}
    }
}

/// 短信通知: a checkbox, on by default, saved as soon as it changes.
#[component]
fn SmsNoticesBox(case_id: String) -> impl IntoView {
    let case_id = StoredValue::new(case_id);
    let enabled = RwSignal::new(None::<bool>);
    let said = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    leptos::task::spawn_local(async move {
        match endpoints::sms_notices(&case_id.get_value()).await {
            Ok(s) => enabled.set(Some(s.enabled)),
            Err(f) => error.set(Some(f.message)),
        }
    });
    let change = move |ev: leptos::ev::Event| {
        let wanted = event_target_checked(&ev);
        error.set(None);
        leptos::task::spawn_local(async move {
            match endpoints::set_sms_notices(&case_id.get_value(), wanted).await {
                Ok(s) => {
                    enabled.set(Some(s.enabled));
                    said.set(if s.enabled {
                        "已开启短信通知".to_string()
                    } else {
                        "已关闭短信通知，办理进展仍会发送站内消息".to_string()
                    });
                }
                Err(f) => {
                    enabled.set(Some(!wanted));
                    error.set(Some(f.message));
                }
            }
        });
    };
    view! {
        <section class="section card" aria-labelledby="sms-title">
            <h2 id="sms-title">"短信通知"</h2>
            <div class="option">
                <input
                    type="checkbox"
                    id="sms-notices"
                    prop:checked=move || enabled.get().unwrap_or(true)
                    disabled=move || enabled.get().is_none()
                    on:change=change
                />
                <label for="sms-notices">"办件受理、需补正、办结或不予受理时，发短信到申请表中的手机号码"</label>
            </div>
            <p class="small">"短信只含受理编号，不含个人信息。"</p>
            <p class="small" role="status">{move || said.get()}</p>
            <p class="field__error">{move || error.get()}</p>
        </section>
    }
}

/// 撤回, after a second confirming tap.
#[component]
fn Withdraw(case_id: String, reload: Callback<()>) -> impl IntoView {
    let asking = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let case_id = StoredValue::new(case_id);
    let confirm = move |_| {
        leptos::task::spawn_local(async move {
            match endpoints::withdraw(&case_id.get_value()).await {
                Ok(_) => reload.run(()),
                Err(f) => error.set(Some(f.message)),
            }
        });
    };
    view! {
        <section class="section" aria-labelledby="wd-title">
            <h2 id="wd-title">"不想办了？"</h2>
            {move || {
                if asking.get() {
                    view! {
                        <div class="card card--alert" role="alert">
                            <p>"撤回后，这份申请将不再办理，也不能恢复。确定撤回吗？"</p>
                            <p class="actions">
                                <button type="button" class="button button--primary" on:click=confirm>"确定撤回"</button>
                                <button type="button" class="button" on:click=move |_| asking.set(false)>"不撤回"</button>
                            </p>
                        </div>
                    }
                        .into_any()
                } else {
                    view! {
                        <button type="button" class="button button--quiet" on:click=move |_| asking.set(true)>
                            "撤回申请"
                        </button>
                    }
                        .into_any()
                }
            }}
            <p class="field__error">{move || error.get()}</p>
        </section>
    }
}

/// 好差评: five levels and a comment, once; afterwards what was said and the 整改 answer.
#[component]
fn RatingBox(case_id: String, rating: Option<Rating>) -> impl IntoView {
    let stored = RwSignal::new(rating);
    let level = RwSignal::new(None::<RatingLevel>);
    let comment = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let case_id = StoredValue::new(case_id);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // The button is `aria-disabled` while busy (the focus stays on it): ignore it here.
        if busy.get_untracked() {
            return;
        }
        let Some(chosen) = level.get_untracked() else {
            error.set(Some("请先选择满意程度".into()));
            return;
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let rating = NewRating {
                level: chosen,
                comment: comment.get_untracked().trim().to_string(),
            };
            match endpoints::rate(&case_id.get_value(), &rating).await {
                Ok(r) => stored.set(Some(r)),
                Err(f) => error.set(Some(f.message)),
            }
            busy.set(false);
        });
    };
    let form = move || {
        let options = RatingLevel::ALL
            .into_iter()
            .map(|l| {
                let input_id = format!("rate-{}", level_id(l));
                view! {
                    <div class="option">
                        <input
                            type="radio"
                            id=input_id.clone()
                            name="rating"
                            on:change=move |_| {
                                level.set(Some(l));
                                error.set(None);
                            }
                        />
                        <label for=input_id>{l.label()}</label>
                    </div>
                }
            })
            .collect_view();
        view! {
            <form on:submit=submit>
                <fieldset class="question" aria-describedby="rate-error">
                    <legend class="question__text">"您对这次办事满意吗？"</legend>
                    <div class="options">{options}</div>
                </fieldset>
                <div class="field">
                    <label class="field__label" for="rate-comment">
                        "想说的话" <span class="field__need">"选填"</span>
                    </label>
                    <textarea
                        id="rate-comment"
                        class="input"
                        rows="3"
                        maxlength="500"
                        on:input=move |ev| comment.set(event_target_value(&ev))
                    ></textarea>
                </div>
                <p class="field__error" id="rate-error">{move || error.get()}</p>
                <button
                    type="submit"
                    class="button button--primary"
                    aria-disabled=move || busy.get().then_some("true")
                >
                    "提交评价"
                </button>
            </form>
        }
    };
    view! {
        <section class="section card" aria-labelledby="rate-title">
            <h2 id="rate-title">"评价本次服务"</h2>
            {move || match stored.get() {
                Some(r) => view! { <div>{rating_pairs(&r)}</div> }.into_any(),
                None => form().into_any(),
            }}
        </section>
    }
}

/// The level as the API spells it, for the radio buttons' ids.
fn level_id(level: RatingLevel) -> &'static str {
    match level {
        RatingLevel::VerySatisfied => "very_satisfied",
        RatingLevel::Satisfied => "satisfied",
        RatingLevel::Neutral => "neutral",
        RatingLevel::Dissatisfied => "dissatisfied",
        RatingLevel::VeryDissatisfied => "very_dissatisfied",
    }
}
