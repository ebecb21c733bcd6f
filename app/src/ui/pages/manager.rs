//! `/manager` (centre manager): 电子监察 — every yellow and red case across departments — and
//! the 差评 to follow up, each answered with the 整改 taken.

use leptos::prelude::*;

use crate::api::RatingFollowUp;
use crate::ui::browser;
use crate::ui::cases_api;
use crate::ui::bundles_decode;
use crate::ui::cases_decode;
use crate::ui::components::bundle_progress::BundleApplicationCards;
use crate::ui::components::case_view::beijing_time;
use crate::ui::markup::Html;
use crate::ui::pages::staff_queue::{queue_html, staff_line};
use crate::ui::session::guarded;

#[component]
pub fn ManagerPage() -> impl IntoView {
    browser::set_title("督办与差评整改");
    let warned = LocalResource::new(|| cases_api::get("/api/manager/supervision".into()));
    let ratings = LocalResource::new(|| cases_api::get("/api/manager/ratings".into()));
    let bundles = LocalResource::new(|| cases_api::get("/api/manager/bundles".into()));
    view! {
        <nav class="crumbs" aria-label="当前位置">
            <a href="/staff">"预审工作台"</a>
        </nav>
        <h1 class="page-title">"督办与差评整改"</h1>
        {staff_line()}
        <section class="section" aria-labelledby="sup-title">
            <h2 id="sup-title">"电子监察：红黄牌办件"</h2>
            <p class="hint">"红牌：已超过承诺时限；黄牌：剩1个工作日以内。"</p>
            {guarded(
                warned,
                "/staff/login",
                |v| {
                    view! { <div inner_html=queue_html(&cases_decode::summaries(&v), "红黄牌办件")></div> }.into_any()
                },
            )}
        </section>
        <section class="section" aria-labelledby="bundles-title">
            <h2 id="bundles-title">"一件事一次办"</h2>
            <p class="hint">"各“一件事”的整体进度；企业开办按工作小时计时，承诺 3 小时内办结。"</p>
            {move || match bundles.get() {
                Some(Ok(v)) => {
                    let list = bundles_decode::applications(&v).applications;
                    if list.is_empty() {
                        view! { <p class="empty">"暂无已提交的“一件事”。"</p> }.into_any()
                    } else {
                        view! { <div><BundleApplicationCards list manager=true/></div> }.into_any()
                    }
                }
                Some(Err(f)) => view! { <p class="problem">{f.message}</p> }.into_any(),
                None => ().into_any(),
            }}
        </section>
        <section class="section" aria-labelledby="bad-title">
            <h2 id="bad-title">"差评跟进"</h2>
            {move || match ratings.get() {
                Some(Ok(v)) => {
                    let list = cases_decode::follow_ups(&v);
                    if list.is_empty() {
                        view! { <p class="empty">"暂无差评。"</p> }.into_any()
                    } else {
                        view! {
                            <ul class="case-cards">
                                {list.into_iter().map(|f| view! { <FollowUp item=f/> }).collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                }
                Some(Err(f)) => view! { <p class="problem">{f.message}</p> }.into_any(),
                None => ().into_any(),
            }}
        </section>
    }
}

fn follow_up_html(f: &RatingFollowUp) -> String {
    let c = &f.case;
    let mut h = Html::new();
    h.open("h3", "case-card__name")
        .text(&c.item_name)
        .close("h3");
    h.open("dl", "pairs")
        .pair("受理编号", c.number.as_deref().unwrap_or(""))
        .pair("办理部门", &c.department)
        .pair("评价", f.rating.level.label())
        .pair(
            "评价内容",
            if f.rating.comment.is_empty() {
                "（未填写）"
            } else {
                &f.rating.comment
            },
        )
        .pair("评价时间", &beijing_time(&f.rating.rated_at));
    if let Some(answer) = &f.rating.rectification {
        h.pair("整改答复", answer);
        if let Some(at) = &f.rating.rectified_at {
            h.pair("答复时间", &beijing_time(at));
        }
    }
    h.close("dl")
        .link(&format!("/staff/cases/{}", c.id), "", "查看办件和审计日志");
    h.finish()
}

#[component]
fn FollowUp(item: RatingFollowUp) -> impl IntoView {
    let item = RwSignal::new(item);
    let answer = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let case_id = item.with_untracked(|f| f.case.id.clone());
    let field_id = format!("fix-{case_id}");
    let error_id = format!("{field_id}-error");
    let url = StoredValue::new(format!(
        "/api/manager/ratings/{}/rectification",
        crate::ui::api_client::encode(&case_id)
    ));
    let send = move |_| {
        if answer.get_untracked().trim().is_empty() {
            error.set(Some("请填写整改答复".into()));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let body =
                cases_api::json(&[("answer", cases_api::text(answer.get_untracked().trim()))]);
            match cases_api::post(url.get_value(), Some(body)).await {
                Ok(v) => {
                    let rating = cases_decode::rating(
                        &js_sys::Reflect::get(&v, &"rating".into()).unwrap_or_default(),
                    );
                    item.update(|f| f.rating = rating);
                    error.set(None);
                }
                Err(f) => error.set(Some(f.message)),
            }
            busy.set(false);
        });
    };
    view! {
        <li class="card case-card">
            <div inner_html=move || item.with(follow_up_html)></div>
            {move || {
                item.with(|f| f.rating.rectification.is_none())
                    .then(|| {
                        view! {
                            <div class="field">
                                <label class="field__label" for=field_id.clone()>"整改答复（将发送给申请人）"</label>
                                <textarea
                                    id=field_id.clone()
                                    class="input"
                                    rows="3"
                                    aria-describedby=error_id.clone()
                                    on:input=move |ev| answer.set(event_target_value(&ev))
                                ></textarea>
                                <p class="field__error" id=error_id.clone()>{move || error.get()}</p>
                            </div>
                            <button type="button" class="button button--primary" disabled=move || busy.get() on:click=send>
                                "提交整改答复"
                            </button>
                        }
                    })
            }}
        </li>
    }
}
