//! "附近": the 使用我的位置 button (the browser asks the citizen's permission) and, for when
//! that is refused or unavailable, the choice of one's street, whose centre stands in for the
//! position. The position stays in this browser session only (see [`near::save_near`]).

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::api::StreetArea;
use crate::rules::geo::distance_m;
use crate::ui::components::district_map::centroid;
use crate::ui::near::{self, Near};

/// Farther than this from every street centre, the position is taken as outside the district.
const FAR_M: f64 = 6_000.0;

#[wasm_bindgen]
extern "C" {
    /// The browser's `GeolocationPosition`.
    type GeoPosition;
    #[wasm_bindgen(method, getter)]
    fn coords(this: &GeoPosition) -> GeoCoordinates;

    /// The browser's `GeolocationCoordinates`.
    type GeoCoordinates;
    #[wasm_bindgen(method, getter)]
    fn latitude(this: &GeoCoordinates) -> f64;
    #[wasm_bindgen(method, getter)]
    fn longitude(this: &GeoCoordinates) -> f64;

    /// The browser's `GeolocationPositionError`.
    type GeoError;
    #[wasm_bindgen(method, getter)]
    fn code(this: &GeoError) -> f64;
}

/// Asks the browser for the position once; `done` gets `(lat, lng)` or the error code
/// (1 = refused, 2 = unavailable, 3 = timed out, 0 = no geolocation at all).
fn locate(done: impl FnOnce(Result<(f64, f64), u16>) + 'static) {
    let geolocation = web_sys::window().and_then(|w| w.navigator().geolocation().ok());
    let Some(geolocation) = geolocation else {
        done(Err(0));
        return;
    };
    let done = std::rc::Rc::new(std::cell::Cell::new(Some(done)));
    let on_ok = {
        let done = done.clone();
        Closure::once(move |position: GeoPosition| {
            let coords = position.coords();
            let (lat, lng) = (coords.latitude(), coords.longitude());
            if let Some(f) = done.take() {
                f(if lat.is_finite() && lng.is_finite() {
                    Ok((lat, lng))
                } else {
                    Err(2)
                });
            }
        })
    };
    let on_err = {
        let done = done.clone();
        Closure::once(move |error: GeoError| {
            if let Some(f) = done.take() {
                let code = error.code();
                f(Err(if code.is_finite() { code as u16 } else { 2 }));
            }
        })
    };
    let options = web_sys::PositionOptions::new();
    options.set_enable_high_accuracy(false);
    options.set_timeout(15_000);
    options.set_maximum_age(60_000);
    let asked = geolocation.get_current_position_with_error_callback_and_options(
        on_ok.as_ref().unchecked_ref(),
        Some(on_err.as_ref().unchecked_ref()),
        &options,
    );
    // Called at most once each by the browser; the few bytes are not worth tracking.
    on_ok.forget();
    on_err.forget();
    if asked.is_err() {
        // Nothing will call back (e.g. blocked by policy).
        if let Some(f) = done.take() {
            f(Err(2));
        }
    }
}

/// The position button, the street choice and a status line.
#[component]
pub fn NearPicker(near: RwSignal<Option<Near>>, streets: Vec<StreetArea>) -> impl IntoView {
    let status = RwSignal::new(String::new());
    // The street choice folds away until it is needed (no position, or one chosen before).
    let streets_open =
        RwSignal::new(near.with_untracked(|n| n.as_ref().is_some_and(|n| n.street.is_some())));
    let busy = RwSignal::new(false);
    let centres: Vec<(String, (f64, f64))> = streets
        .iter()
        .map(|s| (s.name.clone(), centroid(&s.polygon)))
        .collect();
    let centres = StoredValue::new(centres);
    let use_position = move |_| {
        busy.set(true);
        status.set("正在获取您的位置，如浏览器询问，请点“允许”……".into());
        locate(move |result| {
            let _ = busy.try_set(false);
            match result {
                Ok((lat, lng)) => {
                    let far = centres.with_value(|c| {
                        c.iter()
                            .all(|(_, (clat, clng))| distance_m(lat, lng, *clat, *clng) > FAR_M)
                    });
                    let here = Near {
                        lat,
                        lng,
                        street: None,
                    };
                    near::save_near(Some(&here));
                    let _ = near.try_set(Some(here));
                    if far {
                        let _ = streets_open.try_set(true);
                    }
                    let _ = status.try_set(if far {
                        "您现在不在示范区内，距离仅供参考。也可以在下面选择您所在的街道。".into()
                    } else {
                        "已按离您由近到远排列。".into()
                    });
                }
                Err(1) => {
                    let _ = streets_open.try_set(true);
                    let _ = status.try_set(
                        "您没有允许使用位置。请在下面选择您所在的街道，我们按街道中心估算距离。"
                            .into(),
                    );
                }
                Err(_) => {
                    let _ = streets_open.try_set(true);
                    let _ = status.try_set(
                        "暂时无法获取您的位置。请在下面选择您所在的街道，我们按街道中心估算距离。"
                            .into(),
                    );
                }
            }
        });
    };
    let choose_street = move |ev: leptos::ev::Event| {
        let name = event_target_value(&ev);
        if name.is_empty() {
            near::save_near(None);
            near.set(None);
            status.set(String::new());
            return;
        }
        let centre = centres.with_value(|c| c.iter().find(|(n, _)| *n == name).map(|(_, p)| *p));
        if let Some((lat, lng)) = centre {
            let here = Near {
                lat,
                lng,
                street: Some(name.clone()),
            };
            near::save_near(Some(&here));
            near.set(Some(here));
            status.set(format!("已按离{name}中心由近到远排列（估算）。"));
        }
    };
    let clear = move |_| {
        near::save_near(None);
        near.set(None);
        status.set("已不再按距离排列。".into());
    };
    let chosen_street = move || near.with(|n| n.as_ref().and_then(|n| n.street.clone()));
    let options = move || {
        let chosen = chosen_street();
        let streets = centres.with_value(|c| {
            c.iter()
                .map(|(name, _)| {
                    let on = chosen.as_deref() == Some(name.as_str());
                    view! { <option value=name.clone() selected=on>{name.clone()}</option> }
                })
                .collect_view()
        });
        view! {
            <option value="">"请选择街道"</option>
            {streets}
        }
    };
    view! {
        <div class="near">
            <div class="near__row">
                <button
                    type="button"
                    class="button button--primary near__locate"
                    on:click=use_position
                    disabled=move || busy.get()
                >
                    <span aria-hidden="true">"◎ "</span>
                    "使用我的位置"
                </button>
                {move || {
                    near.with(|n| n.is_some())
                        .then(|| {
                            view! {
                                <button type="button" class="button button--quiet" on:click=clear>
                                    "不按距离排列"
                                </button>
                            }
                        })
                }}
            </div>
            <p class="near__status" role="status">{move || status.get()}</p>
            <details class="near__streets" prop:open=move || streets_open.get()>
                <summary>"不方便定位？选择您所在的街道"</summary>
                <div class="field">
                    <label class="field__label" for="near-street">"您所在的街道"</label>
                    <select id="near-street" class="input" on:change=choose_street>
                        {options}
                    </select>
                </div>
            </details>
        </div>
    }
}
