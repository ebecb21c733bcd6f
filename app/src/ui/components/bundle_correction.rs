//! 一次补正 for a 一件事: every material the returned members' departments rejected, grouped so
//! that a material several departments asked for again (the same 身份证 for 公安 and 人社) is
//! uploaded ONCE — the file goes to each returned member case — and one tap resubmits them all.
//! Each member case stays an ordinary case with its own `Idempotency-Key` per attempt.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::api::{CaseDetail, Submitted, Verdict};
use crate::ui::components::material_uploads::chosen_file;
use crate::ui::endpoints::cases::{self, case_url};
use crate::ui::http::{self, ApiResult};

/// One rejected material and the returned member cases that need it again.
#[derive(Debug, Clone, PartialEq)]
struct Redo {
    material_id: String,
    name: String,
    /// `item name：reason` per member.
    reasons: Vec<String>,
    case_ids: Vec<String>,
    /// The file sent to every case, once done.
    sent: Option<String>,
    error: Option<String>,
    busy: bool,
}

fn redos(details: &[CaseDetail]) -> Vec<Redo> {
    let mut out: Vec<Redo> = Vec::new();
    for d in details {
        for m in d
            .materials
            .iter()
            .filter(|m| m.verdict == Verdict::Rejected)
        {
            let reason = format!(
                "{}：{}",
                d.summary.item_name,
                m.reason.clone().unwrap_or_default()
            );
            match out.iter_mut().find(|r| r.material_id == m.material_id) {
                Some(r) => {
                    r.reasons.push(reason);
                    r.case_ids.push(d.summary.id.clone());
                }
                None => out.push(Redo {
                    material_id: m.material_id.clone(),
                    name: m.name.clone(),
                    reasons: vec![reason],
                    case_ids: vec![d.summary.id.clone()],
                    sent: None,
                    error: None,
                    busy: false,
                }),
            }
        }
    }
    out
}

async fn load(case_ids: Vec<String>) -> ApiResult<Vec<CaseDetail>> {
    let mut out = Vec::new();
    for id in case_ids {
        out.push(cases::case(&id).await?);
    }
    Ok(out)
}

/// Sends `file` as material `mid` of every case; the first failure stops it.
async fn send_to_all(case_ids: Vec<String>, mid: String, file: web_sys::File) -> ApiResult<()> {
    for id in case_ids {
        cases::upload(&case_url(&id, ""), &mid, &file).await?;
    }
    Ok(())
}

#[component]
pub fn BundleCorrection(
    /// The returned member cases.
    case_ids: Vec<String>,
    /// Called once every member was resubmitted.
    reload: Callback<()>,
) -> impl IntoView {
    let all_ids = StoredValue::new(case_ids.clone());
    let fetched = LocalResource::new(move || load(case_ids.clone()));
    let list = RwSignal::new(Vec::<Redo>::new());
    Effect::new(move |_| {
        if let Some(Ok(details)) = fetched.get() {
            list.set(redos(&details));
        }
    });
    // Case id → key of the current resubmission attempt (kept for a retry after a lost answer).
    let keys = StoredValue::new(BTreeMap::<String, String>::new());
    let pending = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);

    let pick = move |i: usize, ev: leptos::ev::Event| {
        let Some(file) = chosen_file(&ev) else {
            return;
        };
        let Some(redo) = list.with_untracked(|l| l.get(i).cloned()) else {
            return;
        };
        list.update(|l| {
            l[i].busy = true;
            l[i].error = None;
        });
        let name = file.name();
        leptos::task::spawn_local(async move {
            let result = send_to_all(redo.case_ids, redo.material_id, file).await;
            list.update(|l| {
                if let Some(r) = l.get_mut(i) {
                    r.busy = false;
                    match result {
                        Ok(()) => r.sent = Some(name),
                        Err(f) => r.error = Some(f.message),
                    }
                }
            });
        });
    };

    let resubmit = move |_| {
        if pending.get_untracked() {
            return;
        }
        if list.with_untracked(|l| l.iter().any(|r| r.sent.is_none())) {
            message.set(Some("请先重新上传上面每一份需要补正的材料".into()));
            return;
        }
        pending.set(true);
        message.set(None);
        leptos::task::spawn_local(async move {
            let mut problems = Vec::new();
            for id in all_ids.get_value() {
                let key = keys
                    .with_value(|k| k.get(&id).cloned())
                    .unwrap_or_else(http::new_key);
                keys.update_value(|k| {
                    k.insert(id.clone(), key.clone());
                });
                match cases::submit::<Submitted>(&case_url(&id, ""), &key).await {
                    Ok(_) => {}
                    Err(f) => {
                        // Only a lost answer may mean it went through: keep the key for the retry.
                        if f.status != 0 && f.status < 500 {
                            keys.update_value(|k| {
                                k.remove(&id);
                            });
                        }
                        let detail: Vec<String> = f.fields.values().cloned().collect();
                        problems.push(if detail.is_empty() {
                            f.message
                        } else {
                            detail.join("；")
                        });
                    }
                }
            }
            pending.set(false);
            if problems.is_empty() {
                reload.run(());
            } else {
                message.set(Some(format!("有事项未能重新提交：{}", problems.join("；"))));
            }
        });
    };

    let items = move || {
        list.get()
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                let input_id = format!("redo-{}", r.material_id);
                let error_id = format!("{input_id}-error");
                let count = r.case_ids.len();
                let reasons = r
                    .reasons
                    .iter()
                    .map(|t| view! { <li>{t.clone()}</li> })
                    .collect_view();
                view! {
                    <li class="upload">
                        <h3 class="upload__name">{r.name.clone()}</h3>
                        <ul class="small">{reasons}</ul>
                        {(count > 1).then(|| view! { <p class="material__used">{format!("上传一次，{count} 个事项同时更新")}</p> })}
                        {r.sent.clone().map(|f| view! { <p><span class="upload__ok">"已重新上传"</span>" "{f}</p> })}
                        <span class="upload__way">
                            <input
                                id=input_id.clone()
                                class="file-input"
                                type="file"
                                accept="application/pdf,image/jpeg,image/png"
                                aria-describedby=error_id.clone()
                                disabled=r.busy
                                on:change=move |ev| pick(i, ev)
                            />
                            <label for=input_id class="button">
                                {if r.sent.is_some() { "换一个文件" } else { "重新上传" }}
                                <span class="visually-hidden">{format!("：{}", r.name)}</span>
                            </label>
                        </span>
                        {r.busy.then(|| view! { <p class="upload__busy" role="status">"正在上传…"</p> })}
                        <p class="field__error" id=error_id>{r.error.clone()}</p>
                    </li>
                }
            })
            .collect_view()
    };
    let n = all_ids.with_value(Vec::len);
    view! {
        <section class="section card" aria-labelledby="redo-title">
            <h2 id="redo-title">"一次补正"</h2>
            <p class="hint">"几个部门要的同一份材料，这里传一次即可；传好后一键重新提交。"</p>
            {move || match fetched.get() {
                None => Some(view! { <p class="loading" role="status">"正在加载…"</p> }.into_any()),
                Some(Err(f)) => Some(view! { <p class="problem" role="alert">{f.message}</p> }.into_any()),
                Some(Ok(_)) => None,
            }}
            <ul class="uploads">{items}</ul>
            <div role="alert">{move || message.get().map(|m| view! { <p class="problem">{m}</p> })}</div>
            <button
                type="button"
                class="button button--primary button--wide"
                disabled=move || pending.get()
                on:click=resubmit
            >
                {move || if pending.get() { "正在提交…".to_string() } else { format!("重新提交（{n} 个事项）") }}
            </button>
        </section>
    }
}
