//! The materials of a case with their uploads: what each one is, whether it must be uploaded
//! now, the current file (a thumbnail for pictures), older versions, the reviewer's verdict, and
//! an upload button that also offers the camera on phones.

use std::collections::{BTreeMap, BTreeSet};

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::api::{CaseMaterial, Verdict};
use crate::ui::components::case_view::{date_words, size_text};
use crate::ui::endpoints::cases::{self as endpoints, file_url};

const MAX_BYTES: f64 = 20.0 * 1024.0 * 1024.0;

/// Errors of materials are kept under `material:<id>`, the key the server uses.
pub fn error_key(material_id: &str) -> String {
    format!("material:{material_id}")
}

/// The file just chosen in the `<input type="file">` of a change event. The input is emptied,
/// so choosing the same file again works too.
pub fn chosen_file(ev: &leptos::ev::Event) -> Option<web_sys::File> {
    let input = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())?;
    let file = input.files().and_then(|f| f.get(0))?;
    input.set_value("");
    Some(file)
}

#[component]
pub fn MaterialUploads(
    /// The application's API address; files go to `{base}/materials/{material_id}`.
    base: String,
    materials: RwSignal<Vec<CaseMaterial>>,
    errors: RwSignal<BTreeMap<String, String>>,
    /// Uploads are possible (a draft or a returned case of its owner).
    editable: bool,
) -> impl IntoView {
    let busy = RwSignal::new(BTreeSet::<String>::new());
    // Upload id → object URL of the picture the user chose on this device.
    let previews = RwSignal::new(BTreeMap::<String, String>::new());
    on_cleanup(move || {
        previews.with_untracked(|p| {
            for url in p.values() {
                let _ = web_sys::Url::revoke_object_url(url);
            }
        })
    });
    let base = StoredValue::new(base);
    // The list is rebuilt only when the materials themselves change (a new 情形 answer), not on
    // every upload: an upload updates its own entry.
    let ids = Memo::new(move |_| {
        materials.with(|ms| ms.iter().map(|m| m.material_id.clone()).collect::<Vec<_>>())
    });
    let items = move || {
        // Read, not only tracked: a memo never read has not subscribed to `materials` yet.
        ids.with(|_| ());
        materials.with_untracked(|ms| {
            ms.iter()
                .map(|m| material_view(m, base, materials, errors, busy, previews, editable))
                .collect_view()
        })
    };
    view! { <ul class="uploads">{items}</ul> }
}

fn material_view(
    m: &CaseMaterial,
    base: StoredValue<String>,
    materials: RwSignal<Vec<CaseMaterial>>,
    errors: RwSignal<BTreeMap<String, String>>,
    busy: RwSignal<BTreeSet<String>>,
    previews: RwSignal<BTreeMap<String, String>>,
    editable: bool,
) -> AnyView {
    let mid = m.material_id.clone();
    let key = error_key(&mid);
    let name = m.name.clone();
    let input_id = format!("file-{mid}");
    let error_id = format!("m-{mid}-error");
    let this = {
        let mid = mid.clone();
        move || materials.with(|ms| ms.iter().find(|x| x.material_id == mid).cloned())
    };
    let error = {
        let key = key.clone();
        move || errors.with(|e| e.get(&key).cloned())
    };
    let class = {
        let error = error.clone();
        move || {
            if error().is_some() {
                "upload upload--error"
            } else {
                "upload"
            }
        }
    };
    let is_busy = {
        let mid = mid.clone();
        move || busy.with(|b| b.contains(&mid))
    };
    let has_upload = {
        let this = this.clone();
        move || this().is_some_and(|m| m.uploads.iter().any(|u| u.current))
    };

    let on_change = {
        let (mid, key) = (mid.clone(), key.clone());
        move |ev: leptos::ev::Event| {
            let Some(file) = chosen_file(&ev) else {
                return;
            };
            if file.size() > MAX_BYTES {
                errors.update(|e| {
                    e.insert(
                        key.clone(),
                        "文件不能超过 20 MB，请换一个较小的文件（如分页拍照）".into(),
                    );
                });
                return;
            }
            errors.update(|e| {
                e.remove(&key);
            });
            busy.update(|b| {
                b.insert(mid.clone());
            });
            let preview = file
                .type_()
                .starts_with("image/")
                .then(|| web_sys::Url::create_object_url_with_blob(&file).ok())
                .flatten();
            let (mid, key) = (mid.clone(), key.clone());
            leptos::task::spawn_local(async move {
                match endpoints::upload(&base.get_value(), &mid, &file).await {
                    Ok(info) => {
                        if let Some(url) = preview {
                            previews.update(|p| {
                                p.insert(info.id.clone(), url);
                            });
                        }
                        materials.update(|ms| {
                            if let Some(m) = ms.iter_mut().find(|m| m.material_id == mid) {
                                m.uploads.iter_mut().for_each(|u| u.current = false);
                                m.uploads.insert(0, info);
                                m.verdict = Verdict::Pending;
                            }
                        });
                    }
                    Err(failure) => {
                        if let Some(url) = preview {
                            let _ = web_sys::Url::revoke_object_url(&url);
                        }
                        errors.update(|e| {
                            e.insert(key, failure.message);
                        });
                    }
                }
                busy.update(|b| {
                    b.remove(&mid);
                });
            });
        }
    };

    // 自动获取: the system supplies it (rules::auto_fetch); nothing to upload.
    let fetched = m.auto_fetched.clone();
    let mut badges = vec![if fetched.is_some() {
        ("badge badge--good", "自动获取")
    } else if m.required {
        ("badge badge--need", "必传")
    } else {
        ("badge", "容缺可后补")
    }];
    if m.pledge_allowed {
        badges.push(("badge badge--good", "可告知承诺"));
    }
    let badges = badges
        .into_iter()
        .map(|(c, t)| view! { <li class=c>{t}</li> })
        .collect_view();

    let verdict = {
        let this = this.clone();
        move || {
            let m = this()?;
            let text = match m.verdict {
                Verdict::Rejected => {
                    format!("不合格：{}。请重新上传。", m.reason.unwrap_or_default())
                }
                Verdict::Tolerated => format!(
                    "容缺受理：请于 {} 前补交{}",
                    date_words(&m.deadline.unwrap_or_default()),
                    m.reason.map(|r| format!("（{r}）")).unwrap_or_default()
                ),
                Verdict::Accepted => "审核合格".to_string(),
                Verdict::Pending => return None,
            };
            let class = if m.verdict == Verdict::Rejected {
                "upload__verdict upload__verdict--bad"
            } else {
                "upload__verdict"
            };
            Some(view! { <p class=class>{text}</p> })
        }
    };

    let current = {
        let name = name.clone();
        move || {
            let m = this()?;
            let older = m.uploads.iter().filter(|u| !u.current).count();
            let u = m.uploads.into_iter().find(|u| u.current)?;
            let picture = u.content_type.starts_with("image/").then(|| {
                let src = previews
                    .with(|p| p.get(&u.id).cloned())
                    .unwrap_or_else(|| file_url(&u.id));
                view! { <img class="upload__thumb" src=src alt=format!("{}的预览", name) width="96" height="96"/> }
            });
            let kind = if u.content_type == "application/pdf" {
                "PDF 文件"
            } else {
                "图片"
            };
            Some(view! {
                <div class="upload__current">
                    {picture}
                    <p>
                        <span class="upload__ok">{if u.fetched.is_some() { "已自动获取" } else { "已上传" }}</span>
                        " "
                        {u.file_name.clone()}
                        <br/>
                        <span class="small">{format!("{kind} · {}", size_text(u.size))}</span>
                        {(older > 0).then(|| view! { <br/><span class="small">{format!("历史版本 {older} 个")}</span> })}
                    </p>
                </div>
            })
        }
    };

    // Two ways in: the camera (phones only, see the stylesheet) and a file from the device.
    // A material already judged 合格 needs nothing more (a new file would undo the verdict).
    // A fetched material is uploaded only if the reviewer found it 不合格.
    let picker = (editable
        && m.verdict != Verdict::Accepted
        && (fetched.is_none() || m.verdict == Verdict::Rejected))
        .then(|| {
        let input = |id: String, camera: bool, labels: (&'static str, &'static str)| {
            let has_upload = has_upload.clone();
            let label = move || if has_upload() { labels.1 } else { labels.0 };
            view! {
                <span class=if camera { "upload__way upload__way--camera" } else { "upload__way" }>
                    <input
                        id=id.clone()
                        class="file-input"
                        type="file"
                        accept="application/pdf,image/jpeg,image/png"
                        capture=camera.then_some("environment")
                        aria-describedby=error_id.clone()
                        disabled=is_busy.clone()
                        on:change=on_change.clone()
                    />
                    <label for=id class="button">
                        {label}
                        <span class="visually-hidden">{format!("：{name}")}</span>
                    </label>
                </span>
            }
        };
        view! {
            <div class="upload__pick">
                {input(format!("{input_id}-camera"), true, ("拍照上传", "重新拍照"))}
                {input(input_id.clone(), false, ("上传文件", "重新上传"))}
                <p class="small">"PDF、JPG 或 PNG，不超过 20 MB"</p>
            </div>
        }
    });

    view! {
        <li class=class id=format!("m-{mid}") tabindex="-1">
            <h3 class="upload__name">{m.name.clone()}</h3>
            <ul class="badges">{badges}</ul>
            {m.note.clone().map(|n| view! { <p class="material__note">{n}</p> })}
            {fetched.map(|f| view! { <p class="material__note material__note--fetched">{f}</p> })}
            {verdict}
            {current}
            {picker}
            {move || is_busy().then(|| view! { <p class="upload__busy" role="status">"正在上传…"</p> })}
            <p class="field__error" id=error_id>{error}</p>
        </li>
    }
    .into_any()
}
