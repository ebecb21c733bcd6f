//! `/my/cases/:id`: one application as its owner sees it — status, 受理编号 with its QR code,
//! the 一次性告知 with re-upload and 重新提交 when returned, the outcome, every step, 撤回, and
//! once it is over, the 好差评 form and the centre's 整改 answer.

use std::collections::BTreeMap;

use gloo_net::http::Method;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use wasm_bindgen::JsValue;

use crate::api::{CaseAction, CaseDetail, CaseStatus, Rating, RatingLevel};
use crate::ui::browser;
use crate::ui::cases_api;
use crate::ui::cases_decode;
use crate::ui::components::case_view::{
    badges_html, beijing_time, date_words, notice_html, outcome_html, qr_html, timeline_html,
    track_url,
};
use crate::ui::components::material_uploads::MaterialUploads;
use crate::ui::components::submit_bar::SubmitBar;
use crate::ui::markup::Html;
use crate::ui::session::{guarded, replace};

#[component]
pub fn CaseDetailPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id")).unwrap_or_default());
    let detail = LocalResource::new(move || cases_api::get(cases_api::case_url(&id.get(), "")));
    let reload = Callback::new(move |_: ()| detail.refetch());
    view! {
        {guarded(detail, "/login", move |v| view! { <CaseView detail=cases_decode::detail(&v) reload/> }.into_any())}
    }
}

/// 受理编号, due date and the QR code that opens the public progress page.
fn number_html(d: &CaseDetail) -> String {
    let s = &d.summary;
    let Some(number) = &s.number else {
        return String::new();
    };
    let mut h = Html::new();
    h.raw("<div class=\"number-box card\"><div>")
        .el("p", "number-box__label", "受理编号")
        .el("p", "number-box__number", number);
    if let Some(due) = &s.due_date {
        h.open("p", "")
            .raw("承诺办结日期：")
            .el("strong", "", &date_words(due))
            .close("p");
    }
    h.el(
        "p",
        "small",
        "凭受理编号和手机号后四位，可在“办件查询”中随时查看进度。",
    )
    .raw("</div>")
    .raw(&qr_html(
        &track_url(number),
        "受理编号二维码",
        "扫码查看办件进度",
    ))
    .raw("</div>");
    h.finish()
}

fn rating_html(r: &Rating) -> String {
    let mut h = Html::new();
    h.open("dl", "pairs").pair("您的评价", r.level.label());
    if !r.comment.is_empty() {
        h.pair("评价内容", &r.comment);
    }
    h.pair("评价时间", &beijing_time(&r.rated_at));
    match (&r.rectification, &r.rectified_at) {
        (Some(answer), at) => {
            h.pair("整改答复", answer);
            if let Some(at) = at {
                h.pair("答复时间", &beijing_time(at));
            }
        }
        (None, _) if r.level.is_bad() => {
            h.pair(
                "处理情况",
                "已转交政务服务中心跟进整改，答复会通过站内消息告诉您",
            );
        }
        _ => {}
    }
    h.close("dl");
    h.finish()
}

#[component]
fn CaseView(detail: CaseDetail, reload: Callback<()>) -> impl IntoView {
    let s = detail.summary.clone();
    browser::set_title(&format!("办件详情：{}", s.item_name));
    let id = s.id.clone();
    let query = use_query_map();
    let just_submitted =
        query.with_untracked(|q| q.get("submitted")).is_some() && s.status == CaseStatus::Submitted;
    let mut head = Html::new();
    head.open("p", "case-badges");
    badges_html(&mut head, &s);
    head.close("p");

    let returned = s.status == CaseStatus::Returned;
    let errors = RwSignal::new(BTreeMap::new());
    let materials = RwSignal::new(detail.materials.clone());
    let navigate = use_navigate();
    let resubmitted = {
        let id = id.clone();
        Callback::new(move |_: JsValue| {
            navigate(&format!("/my/cases/{id}?submitted=1"), replace());
            reload.run(());
        })
    };

    let notice = detail.notice.as_ref().filter(|_| returned).map(|n| {
        view! {
            <section class="section card card--alert" aria-labelledby="notice-title">
                <h2 id="notice-title">"一次性告知：需要补正"</h2>
                <div inner_html=notice_html(n)></div>
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
                <MaterialUploads base=cases_api::case_url(&id, "") materials errors editable=true/>
                <SubmitBar base=cases_api::case_url(&id, "") draft=None errors label="重新提交" on_done=resubmitted/>
            </section>
        }
    });
    let draft_note = (s.status == CaseStatus::Draft).then(|| {
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
                <div inner_html=outcome_html(o)></div>
            </section>
        }
    });
    let rating = matches!(s.status, CaseStatus::Completed | CaseStatus::Rejected)
        .then(|| view! { <RatingBox case_id=id.clone() rating=detail.rating.clone()/> });
    let materials_view = (!returned && s.status != CaseStatus::Draft).then(|| {
        view! {
            <section class="section card" aria-labelledby="mat-title">
                <h2 id="mat-title">"已提交的材料"</h2>
                <MaterialUploads base=cases_api::case_url(&id, "") materials errors editable=false/>
            </section>
        }
    });
    let withdraw = detail
        .actions
        .contains(&CaseAction::Withdraw)
        .then(|| view! { <Withdraw case_id=id.clone() reload/> });

    view! {
        <nav class="crumbs" aria-label="当前位置">
            <a href="/my">"我的办件"</a>
        </nav>
        <h1 class="page-title">{s.item_name.clone()}</h1>
        <div inner_html=head.finish()></div>
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
        <div inner_html=number_html(&detail)></div>
        {draft_note}
        {outcome}
        {rating}
        <section class="section card" aria-labelledby="tl-title">
            <h2 id="tl-title">"办理过程"</h2>
            <div inner_html=timeline_html(&detail.timeline)></div>
        </section>
        {materials_view}
        {withdraw}
    }
}

/// 撤回, after a second confirming tap.
#[component]
fn Withdraw(case_id: String, reload: Callback<()>) -> impl IntoView {
    let asking = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let url = StoredValue::new(cases_api::case_url(&case_id, "/withdraw"));
    let confirm = move |_| {
        leptos::task::spawn_local(async move {
            match cases_api::post(url.get_value(), None).await {
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
    let url = StoredValue::new(cases_api::case_url(&case_id, "/rating"));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(chosen) = level.get_untracked() else {
            error.set(Some("请先选择满意程度".into()));
            return;
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let body = cases_api::json(&[
                ("level", cases_api::text(cases_decode::level_str(chosen))),
                ("comment", cases_api::text(comment.get_untracked().trim())),
            ]);
            match cases_api::call(Method::POST, &url.get_value(), Some(body), None).await {
                Ok(v) => stored.set(Some(cases_decode::rating(&v))),
                Err(f) => error.set(Some(f.message)),
            }
            busy.set(false);
        });
    };
    let form = move || {
        let options = RatingLevel::ALL
            .into_iter()
            .map(|l| {
                let input_id = format!("rate-{}", cases_decode::level_str(l));
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
                <button type="submit" class="button button--primary" disabled=move || busy.get()>"提交评价"</button>
            </form>
        }
    };
    view! {
        <section class="section card" aria-labelledby="rate-title">
            <h2 id="rate-title">"评价本次服务"</h2>
            {move || match stored.get() {
                Some(r) => view! { <div inner_html=rating_html(&r)></div> }.into_any(),
                None => form().into_any(),
            }}
        </section>
    }
}
