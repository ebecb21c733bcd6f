//! The district drawn as inline SVG from our own data (`GET /api/map`): no map tiles, so it works
//! offline and sends no one's position anywhere.
//!
//! Latitude/longitude are projected equirectangularly onto a 1000-unit-wide plane (longitude
//! shrunk by the cosine of the middle latitude). Zooming and panning change only the `viewBox`;
//! markers and labels are drawn in screen pixels (scaled by units per pixel), so they keep their
//! size, and markers closer than [`CLUSTER_PX`] on screen merge into a count badge that zooms in
//! when tapped. Pointer drag pans, two fingers or the wheel zoom, and the +/− buttons do both for
//! everyone else. The list beside the map is the accessible way through the same sites.

use leptos::prelude::*;
use leptos::svg;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::api::{DistrictMap, SiteSummary};
use crate::ui::components::site_card::{level_class, level_path};
use crate::ui::markup::Html;

/// Width of the projected plane, in SVG units.
pub const W: f64 = 1000.0;
/// Margin around the district, so markers on its edge are not cut off.
const PAD: f64 = 36.0;
/// Markers nearer than this on screen are drawn as one cluster.
const CLUSTER_PX: f64 = 40.0;
const MAX_ZOOM: f64 = 8.0;

/// Equirectangular projection of the district's bbox onto `W` × `h` units (with a margin of
/// `PAD`), north up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Projection {
    min_lng: f64,
    max_lat: f64,
    lat_span: f64,
    lng_span: f64,
    pub h: f64,
}

impl Projection {
    pub fn new([min_lat, min_lng, max_lat, max_lng]: [f64; 4]) -> Projection {
        let lat_span = (max_lat - min_lat).max(1e-6);
        let lng_span = (max_lng - min_lng).max(1e-6);
        let shrink = ((min_lat + max_lat) / 2.0).to_radians().cos().max(0.01);
        let inner = W - 2.0 * PAD;
        Projection {
            min_lng,
            max_lat,
            lat_span,
            lng_span,
            h: inner * lat_span / (lng_span * shrink) + 2.0 * PAD,
        }
    }

    pub fn xy(&self, lat: f64, lng: f64) -> (f64, f64) {
        (
            PAD + (lng - self.min_lng) / self.lng_span * (W - 2.0 * PAD),
            PAD + (self.max_lat - lat) / self.lat_span * (self.h - 2.0 * PAD),
        )
    }
}

/// The area centroid of a `[lat, lng]` polygon (the vertex mean if it is degenerate).
pub fn centroid(polygon: &[[f64; 2]]) -> (f64, f64) {
    let n = polygon.len();
    if n == 0 {
        return (0.0, 0.0);
    }
    let (mut area, mut lat, mut lng) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let [y0, x0] = polygon[i];
        let [y1, x1] = polygon[(i + 1) % n];
        let cross = x0 * y1 - x1 * y0;
        area += cross;
        lng += (x0 + x1) * cross;
        lat += (y0 + y1) * cross;
    }
    if area.abs() < 1e-12 {
        let k = n as f64;
        let sum = polygon
            .iter()
            .fold((0.0, 0.0), |(a, b), [y, x]| (a + y, b + x));
        return (sum.0 / k, sum.1 / k);
    }
    (lat / (3.0 * area), lng / (3.0 * area))
}

fn path(h: &mut Html, proj: &Projection, points: &[[f64; 2]], closed: bool) {
    for (i, &[lat, lng]) in points.iter().enumerate() {
        let (x, y) = proj.xy(lat, lng);
        h.raw(&format!("{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" }));
    }
    if closed {
        h.raw("Z");
    }
}

/// The static layer: district, streets, roads, outline.
fn base_svg(map: &DistrictMap, proj: &Projection) -> String {
    let mut h = Html::new();
    h.raw("<path class=\"map-district\" d=\"");
    path(&mut h, proj, &map.outline, true);
    h.raw("\"/>");
    for (i, street) in map.streets.iter().enumerate() {
        h.raw(&format!("<path class=\"map-street map-street--{}\" d=\"", i % 4));
        path(&mut h, proj, &street.polygon, true);
        h.raw("\"/>");
    }
    for main in [false, true] {
        for road in map.roads.iter().filter(|r| (r.kind == crate::api::RoadKind::Main) == main) {
            h.raw(if main {
                "<path class=\"map-road map-road--main\" d=\""
            } else {
                "<path class=\"map-road\" d=\""
            });
            path(&mut h, proj, &road.points, false);
            h.raw("\"/>");
        }
    }
    h.raw("<path class=\"map-outline\" d=\"");
    path(&mut h, proj, &map.outline, true);
    h.raw("\"/>");
    h.finish()
}

/// `transform="translate(x,y) scale(upp)"`: draw in screen pixels around a map point.
fn at(h: &mut Html, x: f64, y: f64, upp: f64) {
    h.raw(&format!(" transform=\"translate({x:.1},{y:.1}) scale({upp:.4})\""));
}

/// Street and main-road names (kept at a readable size whatever the zoom).
fn labels_svg(h: &mut Html, map: &DistrictMap, proj: &Projection, upp: f64) {
    for street in &map.streets {
        let (lat, lng) = centroid(&street.polygon);
        let (x, y) = proj.xy(lat, lng);
        h.raw("<text class=\"map-label\" text-anchor=\"middle\"");
        at(h, x, y + 26.0 * upp, upp);
        h.raw(">").text(&street.name).raw("</text>");
    }
    for road in map
        .roads
        .iter()
        .filter(|r| r.kind == crate::api::RoadKind::Main)
    {
        if let Some(&[lat, lng]) = road.points.get(road.points.len() / 2) {
            let (x, y) = proj.xy(lat, lng);
            h.raw("<text class=\"map-label map-label--road\" text-anchor=\"middle\"");
            at(h, x, y - 6.0 * upp, upp);
            h.raw(">").text(&road.name).raw("</text>");
        }
    }
}

/// Sites merged greedily: each joins the first group within `cell` units, else starts one.
fn cluster(points: &[(f64, f64)], cell: f64) -> Vec<Vec<usize>> {
    let mut groups: Vec<(f64, f64, Vec<usize>)> = Vec::new();
    for (i, &(x, y)) in points.iter().enumerate() {
        let near = groups
            .iter_mut()
            .find(|(gx, gy, _)| (gx - x).hypot(gy - y) < cell);
        match near {
            Some((_, _, members)) => members.push(i),
            None => groups.push((x, y, vec![i])),
        }
    }
    groups.into_iter().map(|(_, _, m)| m).collect()
}

fn markers_svg(
    sites: &[SiteSummary],
    proj: &Projection,
    upp: f64,
    zoom: f64,
    selected: Option<&str>,
    here: Option<(f64, f64)>,
) -> String {
    let mut h = Html::new();
    if let Some((lat, lng)) = here {
        let (x, y) = proj.xy(lat, lng);
        h.raw("<g class=\"map-here\" aria-hidden=\"true\"");
        at(&mut h, x, y, upp);
        h.raw("><circle r=\"11\"/><circle class=\"map-here__dot\" r=\"5\"/></g>");
    }
    let points: Vec<(f64, f64)> = sites.iter().map(|s| proj.xy(s.lat, s.lng)).collect();
    let cell = if zoom >= MAX_ZOOM { 0.0 } else { CLUSTER_PX * upp };
    let mut chosen = None;
    for group in cluster(&points, cell) {
        if let [one] = group[..] {
            let s = &sites[one];
            if selected == Some(s.code.as_str()) {
                chosen = Some(one);
                continue;
            }
            marker(&mut h, s, points[one], upp, false);
        } else {
            let k = group.len() as f64;
            let (x, y) = group
                .iter()
                .fold((0.0, 0.0), |(a, b), &i| (a + points[i].0 / k, b + points[i].1 / k));
            h.raw(&format!(
                "<g class=\"mk mk--cluster\" role=\"button\" tabindex=\"0\" data-x=\"{x:.1}\" data-y=\"{y:.1}\" aria-label=\"这里有 {} 个服务点，点击放大查看\"",
                group.len()
            ));
            at(&mut h, x, y, upp);
            h.raw(&format!(
                "><circle class=\"mk__hit\" r=\"22\"/><circle class=\"mk__cluster\" r=\"17\"/><text class=\"mk__count\" text-anchor=\"middle\" dy=\"6\">{}</text></g>",
                group.len()
            ));
        }
    }
    // The chosen site last, on top of the others.
    if let Some(i) = chosen {
        marker(&mut h, &sites[i], points[i], upp, true);
    }
    h.finish()
}

fn marker(h: &mut Html, s: &SiteSummary, (x, y): (f64, f64), upp: f64, chosen: bool) {
    h.raw("<g class=\"mk mk--")
        .raw(level_class(s.level))
        .raw(if chosen { " mk--on\"" } else { "\"" })
        .raw(" role=\"button\" tabindex=\"0\"")
        .attr("data-code", &s.code)
        .attr("aria-label", &format!("{}（{}）", s.name, s.level.label()));
    if chosen {
        h.raw(" aria-pressed=\"true\"");
    }
    at(h, x, y, upp);
    h.raw("><circle class=\"mk__hit\" r=\"22\"/><path class=\"mk__shape\" d=\"")
        .raw(level_path(s.level))
        .raw("\"/></g>");
}

/// Pointers down on the map, for drag and pinch.
#[derive(Debug, Clone, Default)]
struct Gesture {
    pointers: Vec<(i32, f64, f64)>,
    start: (f64, f64),
    moved: bool,
    /// Finger distance and zoom when the pinch began.
    pinch: Option<(f64, f64)>,
}

fn finger_distance(p: &[(i32, f64, f64)]) -> f64 {
    match p {
        [a, b, ..] => (a.1 - b.1).hypot(a.2 - b.2).max(1.0),
        _ => 1.0,
    }
}

/// The map with markers, legend and zoom buttons. `selected` is the code of the site whose card
/// is open; `overlay` is extra SVG in map units drawn over the streets (the coverage shading);
/// `here` is where the citizen is.
#[component]
pub fn DistrictMapView(
    map: DistrictMap,
    #[prop(into)] sites: Signal<Vec<SiteSummary>>,
    selected: RwSignal<Option<String>>,
    #[prop(into)] here: Signal<Option<(f64, f64)>>,
    #[prop(optional)] overlay: String,
    /// What the map shows, for screen readers.
    label: &'static str,
) -> impl IntoView {
    let proj = Projection::new(map.bbox);
    let h = proj.h;
    let base = base_svg(&map, &proj);
    let map = StoredValue::new(map);
    let zoom = RwSignal::new(1.0_f64);
    let center = RwSignal::new((W / 2.0, h / 2.0));
    // On-screen width of the SVG, kept current by a ResizeObserver.
    let width = RwSignal::new(360.0_f64);
    let svg_ref = NodeRef::<svg::Svg>::new();
    let gesture = StoredValue::new(Gesture::default());

    Effect::new(move |_| {
        let Some(el) = svg_ref.get() else { return };
        let measure = move |el: &web_sys::Element| {
            let w = f64::from(el.client_width());
            if w > 40.0 {
                let _ = width.try_set(w);
            }
        };
        measure(&el);
        let target = el.clone();
        let callback = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| measure(&target));
        if let Ok(observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
            observer.observe(&el);
        }
        // Lives as long as the page: one small closure per map shown.
        callback.forget();
    });

    let clamp = move |(x, y): (f64, f64), z: f64| {
        let (hw, hh) = (W / (2.0 * z), h / (2.0 * z));
        (x.clamp(hw, W - hw), y.clamp(hh, h - hh))
    };
    let upp = Memo::new(move |_| W / (width.get() * zoom.get()));
    let view_box = move || {
        let z = zoom.get();
        let (cx, cy) = center.get();
        let (hw, hh) = (W / (2.0 * z), h / (2.0 * z));
        format!("{:.1} {:.1} {:.1} {:.1}", cx - hw, cy - hh, 2.0 * hw, 2.0 * hh)
    };
    // Zooms by `factor`, keeping the map point under `focus` (client pixels) in place.
    let zoom_by = move |factor: f64, focus: Option<(f64, f64)>| {
        let old = zoom.get_untracked();
        let new = (old * factor).clamp(1.0, MAX_ZOOM);
        let (cx, cy) = center.get_untracked();
        let mut c = (cx, cy);
        if let (Some((fx, fy)), Some(el)) = (focus, svg_ref.get_untracked()) {
            let rect = el.get_bounding_client_rect();
            let (px, py) = (fx - rect.left(), fy - rect.top());
            let u_old = W / (rect.width().max(1.0) * old);
            let u_new = W / (rect.width().max(1.0) * new);
            let (left, top) = (cx - W / (2.0 * old), cy - h / (2.0 * old));
            let (mx, my) = (left + px * u_old, top + py * u_old);
            c = (
                mx - px * u_new + W / (2.0 * new),
                my - py * u_new + h / (2.0 * new),
            );
        }
        zoom.set(new);
        center.set(clamp(c, new));
    };
    let markers = Memo::new(move |_| {
        let (u, z) = (upp.get(), zoom.get());
        let mut layer = Html::new();
        map.with_value(|m| labels_svg(&mut layer, m, &proj, u));
        let mut out = layer.finish();
        out.push_str(&sites.with(|s| {
            markers_svg(s, &proj, u, z, selected.get().as_deref(), here.get())
        }));
        out
    });

    let activate = move |target: Option<web_sys::EventTarget>| {
        let Some(el) = target.and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
            return false;
        };
        let Ok(Some(mk)) = el.closest(".mk") else { return false };
        if let Some(code) = mk.get_attribute("data-code") {
            selected.set(Some(code));
        } else {
            let read = |k: &str| mk.get_attribute(k).and_then(|v| v.parse::<f64>().ok());
            if let (Some(x), Some(y)) = (read("data-x"), read("data-y")) {
                let z = (zoom.get_untracked() * 2.0).min(MAX_ZOOM);
                zoom.set(z);
                center.set(clamp((x, y), z));
            }
        }
        true
    };
    let on_click = move |ev: web_sys::MouseEvent| {
        if gesture.with_value(|g| g.moved) {
            return;
        }
        activate(ev.target());
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let key = ev.key();
        if (key == "Enter" || key == " ") && activate(ev.target()) {
            ev.prevent_default();
        }
    };
    let on_down = move |ev: web_sys::PointerEvent| {
        let (x, y) = (f64::from(ev.client_x()), f64::from(ev.client_y()));
        let z = zoom.get_untracked();
        gesture.update_value(|g| {
            g.pointers.retain(|p| p.0 != ev.pointer_id());
            g.pointers.push((ev.pointer_id(), x, y));
            if g.pointers.len() == 1 {
                g.start = (x, y);
                g.moved = false;
            } else {
                g.pinch = Some((finger_distance(&g.pointers), z));
            }
        });
    };
    let on_move = move |ev: web_sys::PointerEvent| {
        let (id, x, y) = (ev.pointer_id(), f64::from(ev.client_x()), f64::from(ev.client_y()));
        let mut pan = None;
        let mut pinch_zoom = None;
        let mut capture = false;
        gesture.update_value(|g| {
            let Some(i) = g.pointers.iter().position(|p| p.0 == id) else { return };
            let (_, ox, oy) = g.pointers[i];
            g.pointers[i] = (id, x, y);
            if let Some((d0, z0)) = g.pinch {
                g.moved = true;
                pinch_zoom = Some(z0 * finger_distance(&g.pointers) / d0);
            } else {
                if !g.moved && (x - g.start.0).abs() + (y - g.start.1).abs() > 8.0 {
                    g.moved = true;
                    capture = true;
                }
                if g.moved {
                    pan = Some((x - ox, y - oy));
                }
            }
        });
        if capture {
            if let Some(el) = svg_ref.get_untracked() {
                let _ = el.set_pointer_capture(id);
            }
        }
        if let Some(z) = pinch_zoom {
            let z = z.clamp(1.0, MAX_ZOOM);
            zoom.set(z);
            center.set(clamp(center.get_untracked(), z));
        }
        if let Some((dx, dy)) = pan {
            let u = upp.get_untracked();
            let (cx, cy) = center.get_untracked();
            center.set(clamp((cx - dx * u, cy - dy * u), zoom.get_untracked()));
        }
    };
    let on_up = move |ev: web_sys::PointerEvent| {
        gesture.update_value(|g| {
            g.pointers.retain(|p| p.0 != ev.pointer_id());
            if g.pointers.len() < 2 {
                g.pinch = None;
            }
        });
    };
    let on_wheel = move |ev: web_sys::WheelEvent| {
        ev.prevent_default();
        let factor = if ev.delta_y() < 0.0 { 1.25 } else { 0.8 };
        zoom_by(
            factor,
            Some((f64::from(ev.client_x()), f64::from(ev.client_y()))),
        );
    };
    let reset = move |_| {
        zoom.set(1.0);
        center.set((W / 2.0, h / 2.0));
    };

    let mut legend = Html::new();
    legend.open("ul", "map-legend");
    for level in crate::api::SiteLevel::ALL {
        legend.raw("<li>");
        crate::ui::components::site_card::level_icon(&mut legend, level);
        legend.text(level.label()).raw("</li>");
    }
    legend.raw("<li><span class=\"map-legend__cluster\" aria-hidden=\"true\">3</span>数字：该处服务点个数，点按放大</li>");
    legend.close("ul");

    view! {
        <div class="dmap">
            <div class="dmap__frame">
                <svg
                    node_ref=svg_ref
                    class="dmap__svg"
                    viewBox=view_box
                    role="group"
                    aria-label=label
                    on:click=on_click
                    on:keydown=on_key
                    on:pointerdown=on_down
                    on:pointermove=on_move
                    on:pointerup=on_up
                    on:pointercancel=on_up
                    on:wheel=on_wheel
                >
                    <rect class="map-sea" x="-2000" y="-2000" width="5000" height="5000"></rect>
                    <g inner_html=base></g>
                    <g inner_html=overlay></g>
                    <g inner_html=move || markers.get()></g>
                </svg>
            </div>
            <div class="dmap__zoom" role="group" aria-label="地图缩放">
                <button type="button" class="button dmap__btn" on:click=move |_| zoom_by(1.6, None)>
                    <span aria-hidden="true">"＋ "</span>
                    "放大"
                </button>
                <button type="button" class="button dmap__btn" on:click=move |_| zoom_by(0.625, None)>
                    <span aria-hidden="true">"－ "</span>
                    "缩小"
                </button>
                <button type="button" class="button dmap__btn" on:click=reset>"看全图"</button>
            </div>
            <div inner_html=legend.finish()></div>
        </div>
    }
}
