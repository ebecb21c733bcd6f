//! One calm line when the phone loses its connection, gone again when it comes back.

use leptos::prelude::*;

#[component]
pub fn OfflineBanner() -> impl IntoView {
    let online = RwSignal::new(window().navigator().on_line());
    let went_offline = window_event_listener(leptos::ev::offline, move |_| online.set(false));
    let came_back = window_event_listener(leptos::ev::online, move |_| online.set(true));
    on_cleanup(move || {
        went_offline.remove();
        came_back.remove();
    });
    view! {
        <div class="offline-banner" role="status" aria-live="polite">
            <Show when=move || !online.get()>
                <p>
                    <strong>"网络已断开。"</strong>
                    "已经打开的页面和已保存的内容仍可查看；恢复网络后再提交、上传或查询进度。"
                </p>
            </Show>
        </div>
    }
}
