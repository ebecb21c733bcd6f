//! `/manager` (centre manager): 电子监察 — every yellow and red case across departments — and
//! the 差评 to follow up, each answered with the 整改 taken.

use leptos::prelude::*;

use crate::api::{CaseList, RatingFollowUp, Rectification};
use crate::ui::browser;
use crate::ui::components::bundle_progress::BundleApplicationCards;
use crate::ui::components::case_view::{beijing_time, pair};
use crate::ui::endpoints::{bundles, staff};
use crate::ui::pages::staff_queue::{staff_line, QueueTable};
use crate::ui::session::{fetch_signed_in, guard, Signin};

#[component]
pub fn ManagerPage() -> impl IntoView {
    browser::set_title("督办与差评整改");
    let warned = fetch_signed_in(Signin::Staff, staff::supervision);
    let ratings = fetch_signed_in(Signin::Staff, staff::bad_ratings);
    let bundles = fetch_signed_in(Signin::Staff, bundles::manager_applications);
    view! {
        <nav class="crumbs" aria-label="当前位置">
            <a href="/staff">"预审工作台"</a>
        </nav>
        <h1 class="page-title">"督办与差评整改"</h1>
        {staff_line()}
        <p><a class="button" href="/manager/stats">"统计指标：办结率、按时办结率、网办率、好评率…"</a></p>
        <nav class="admin-links" aria-label="中心管理">
            <a class="button" href="/manager/catalog">"事项管理"</a>
            <a class="button" href="/manager/bundles">"一件事管理"</a>
            <a class="button" href="/manager/staff">"工作人员账号"</a>
            <a class="button" href="/manager/calendar">"节假日安排"</a>
            <a class="button" href="/manager/search">"搜索词"</a>
            <a class="button" href="/manager/sites">"服务点与预约"</a>
        </nav>
        <section class="section" aria-labelledby="sup-title">
            <h2 id="sup-title">"电子监察：红黄牌办件"</h2>
            <p class="hint">"红牌：已超过承诺时限；黄牌：剩1个工作日以内。"</p>
            {guard(
                warned,
                Signin::Staff,
                |list: CaseList| {
                    view! {
                        <div>
                            <QueueTable cases=list.cases caption="红黄牌办件"/>
                        </div>
                    }
                        .into_any()
                },
            )}
        </section>
        <section class="section" aria-labelledby="bundles-title">
            <h2 id="bundles-title">"一件事一次办"</h2>
            <p class="hint">"各“一件事”的整体进度；企业开办按工作小时计时，承诺 3 小时内办结。"</p>
            {move || match bundles.get() {
                Some(Ok(list)) => {
                    if list.applications.is_empty() {
                        view! { <p class="empty">"暂无已提交的“一件事”。"</p> }.into_any()
                    } else {
                        view! { <div><BundleApplicationCards list=list.applications manager=true/></div> }.into_any()
                    }
                }
                Some(Err(f)) => view! { <p class="problem">{f.message}</p> }.into_any(),
                None => ().into_any(),
            }}
        </section>
        <section class="section" aria-labelledby="bad-title">
            <h2 id="bad-title">"差评跟进"</h2>
            {move || match ratings.get() {
                Some(Ok(list)) => {
                    let list = list.follow_ups;
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

/// The case and the 差评 (with the 整改 answer, once given).
fn follow_up_view(f: &RatingFollowUp) -> impl IntoView + use<> {
    let c = &f.case;
    let r = &f.rating;
    let comment = if r.comment.is_empty() {
        "（未填写）".to_string()
    } else {
        r.comment.clone()
    };
    let answer = r.rectification.clone().map(|answer| {
        view! {
            {pair("整改答复", answer)}
            {r.rectified_at.as_deref().map(|at| pair("答复时间", beijing_time(at)))}
        }
    });
    view! {
        <h3 class="case-card__name">{c.item_name.clone()}</h3>
        <dl class="pairs">
            {pair("受理编号", c.number.clone().unwrap_or_default())}
            {pair("办理部门", c.department.clone())}
            {pair("评价", r.level.label())}
            {pair("评价内容", comment)}
            {pair("评价时间", beijing_time(&r.rated_at))}
            {answer}
        </dl>
        <a href=format!("/staff/cases/{}", c.id)>"查看办件和审计日志"</a>
    }
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
    let case_id = StoredValue::new(case_id);
    let send = move |_| {
        if answer.get_untracked().trim().is_empty() {
            error.set(Some("请填写整改答复".into()));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let body = Rectification {
                answer: answer.get_untracked().trim().to_string(),
            };
            match staff::rectify(&case_id.get_value(), &body).await {
                Ok(answered) => {
                    item.update(|f| f.rating = answered.rating);
                    error.set(None);
                }
                Err(f) => error.set(Some(f.message)),
            }
            busy.set(false);
        });
    };
    view! {
        <li class="card case-card">
            <div>{move || item.with(follow_up_view)}</div>
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
