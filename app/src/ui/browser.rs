//! Small wrappers around what the browser offers: the page title, storage on this device,
//! today's date in Beijing, the clipboard and printing.

use wasm_bindgen::prelude::*;

use crate::rules::date::Date;

fn window() -> web_sys::Window {
    web_sys::window().expect("running in a browser window")
}

/// Sets `document.title` to "`page` - 办事通".
pub fn set_title(page: &str) {
    if let Some(document) = window().document() {
        document.set_title(&format!("{page} - 办事通"));
    }
}

fn storage() -> Option<web_sys::Storage> {
    // Storage may be refused (private browsing, disabled cookies): then nothing is remembered.
    window().local_storage().ok().flatten()
}

/// A value remembered on this device, if any.
pub fn load(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Remembers a value on this device; `None` forgets it.
pub fn store(key: &str, value: Option<&str>) {
    if let Some(storage) = storage() {
        let _ = match value {
            Some(value) => storage.set_item(key, value),
            None => storage.remove_item(key),
        };
    }
}

/// Sets (or with `None` removes) a year-long, site-wide cookie that only the server reads.
pub fn set_cookie(name: &str, value: Option<&str>) {
    use wasm_bindgen::JsCast;
    let Some(document) = window()
        .document()
        .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
    else {
        return;
    };
    let cookie = match value {
        Some(value) => format!("{name}={value}; path=/; max-age=31536000; samesite=lax"),
        None => format!("{name}=; path=/; max-age=0; samesite=lax"),
    };
    let _ = document.set_cookie(&cookie);
}

/// A value remembered for this tab only (session storage), if any.
pub fn session_load(key: &str) -> Option<String> {
    window()
        .session_storage()
        .ok()
        .flatten()?
        .get_item(key)
        .ok()
        .flatten()
}

/// Remembers a value for this tab only; `None` forgets it.
pub fn session_store(key: &str, value: Option<&str>) {
    if let Some(storage) = window().session_storage().ok().flatten() {
        let _ = match value {
            Some(value) => storage.set_item(key, value),
            None => storage.remove_item(key),
        };
    }
}

/// Today's date in Beijing time (UTC+8), whatever the device's time zone.
pub fn today_in_beijing() -> Date {
    Date::from_unix_seconds_beijing(now_unix())
}

/// Seconds since the Unix epoch by the device's clock.
pub fn now_unix() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// `https://host:port` of the current page.
pub fn origin() -> String {
    window().location().origin().unwrap_or_default()
}

/// Adds or removes a class on `<html>`.
pub fn set_root_class(class: &str, on: bool) {
    if let Some(root) = window().document().and_then(|d| d.document_element()) {
        let list = root.class_list();
        let _ = if on {
            list.add_1(class)
        } else {
            list.remove_1(class)
        };
    }
}

/// Opens the browser's print dialog.
pub fn print() {
    let _ = window().print();
}

/// Copies `text` to the clipboard and calls `done(true)` when it worked, `done(false)` when the
/// browser refused (no clipboard access, insecure page …).
pub fn copy_to_clipboard(text: &str, done: impl FnOnce(bool) + 'static) {
    // `navigator.clipboard` is missing on insecure pages: look before touching it.
    let navigator = window().navigator();
    let clipboard = navigator.clipboard();
    let present = JsValue::from(clipboard.clone());
    if present.is_undefined() || present.is_null() {
        done(false);
        return;
    }
    let promise = clipboard.write_text(text);
    let done = std::rc::Rc::new(std::cell::Cell::new(Some(done)));
    let on_ok: Closure<dyn FnMut(JsValue)> = {
        let done = done.clone();
        Closure::once(move |_: JsValue| {
            if let Some(f) = done.take() {
                f(true)
            }
        })
    };
    let on_err: Closure<dyn FnMut(JsValue)> = Closure::once(move |_: JsValue| {
        if let Some(f) = done.take() {
            f(false)
        }
    });
    let _ = promise.then2(&on_ok, &on_err);
    // Called at most once each by the promise; the few bytes are not worth tracking.
    on_ok.forget();
    on_err.forget();
}

/// A `tel:` link target for a phone number as printed (`0000-8801 1001` → `tel:0000-88011001`).
pub fn tel_href(phone: &str) -> String {
    let digits: String = phone
        .chars()
        .filter(|c| c.is_ascii_digit() || matches!(c, '+' | '-'))
        .collect();
    format!("tel:{digits}")
}

/// Back to the top of the page (after a page's content changed in place).
pub fn scroll_to_top() {
    if let Some(w) = web_sys::window() {
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// Moves the focus to the element `id` once the page has drawn it (a field that just appeared).
pub fn focus_id(id: &'static str) {
    leptos::prelude::request_animation_frame(move || {
        let element = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id))
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok());
        if let Some(element) = element {
            let _ = element.focus();
        }
    });
}
