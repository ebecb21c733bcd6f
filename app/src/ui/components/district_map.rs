//! The district drawn as inline SVG from our own data (`GET /api/map`): no map tiles, so it works
//! offline and sends no one's position anywhere.
//!
//! Latitude/longitude are projected equirectangularly onto a 1000-unit-wide plane (longitude
//! shrunk by the cosine of the middle latitude). Zooming and panning change only the `viewBox`;
//! markers and labels are drawn in screen pixels (scaled by units per pixel), so they keep their
//! size, and markers closer than [`CLUSTER_PX`] on screen merge into a count badge that zooms in
//! when tapped. Pointer drag pans, two fingers or the wheel zoom, and the +/− buttons do both for
//! everyone else; once the map has the keyboard focus, the arrow keys pan and `+`/`-` zoom. The
//! list beside the map is the accessible way through the same sites.
//!
//! To keep the first render short (the list comes first), the drawn layers are mounted a frame
//! later, and drags and pinches change the view at most once per animation frame.

use leptos::prelude::*;
use leptos::svg;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::api::{DistrictMap, SiteSummary};
use crate::ui::components::site_card::{level_class, level_path, LevelIcon};

/// Width of the projected plane, in SVG units.
pub const W: f64 = 1000.0;
/// Margin around the district, so markers on its edge are not cut off.
const PAD: f64 = 36.0;
/// Markers nearer than this on screen are drawn as one cluster.
const CLUSTER_PX: f64 = 40.0;
const MAX_ZOOM: f64 = 8.0;
/// How far one arrow key press pans, in screen pixels.
const KEY_PAN_PX: f64 = 60.0;

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

/// An SVG path `d` through the projected `points`.
fn path_d(proj: &Projection, points: &[[f64; 2]], closed: bool) -> String {
    let mut d = String::with_capacity(points.len() * 14 + 1);
    for (i, &[lat, lng]) in points.iter().enumerate() {
        let (x, y) = proj.xy(lat, lng);
        d.push_str(&format!("{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" }));
    }
    if closed {
        d.push('Z');
    }
    d
}

/// The static layer: district, streets, roads, outline.
fn base_layer(map: &DistrictMap, proj: &Projection) -> AnyView {
    let outline = path_d(proj, &map.outline, true);
    let streets = map
        .streets
        .iter()
        .enumerate()
        .map(|(i, street)| {
            view! {
                <path
                    class=format!("map-street map-street--{}", i % 4)
                    d=path_d(proj, &street.polygon, true)
                ></path>
            }
        })
        .collect_view();
    let roads = [false, true]
        .into_iter()
        .flat_map(|main| {
            map.roads
                .iter()
                .filter(move |r| (r.kind == crate::api::RoadKind::Main) == main)
                .map(move |road| {
                    view! {
                        <path
                            class=if main { "map-road map-road--main" } else { "map-road" }
                            d=path_d(proj, &road.points, false)
                        ></path>
                    }
                })
        })
        .collect_view();
    view! {
        <path class="map-district" d=outline.clone()></path>
        {streets}
        {roads}
        <path class="map-outline" d=outline></path>
    }
    .into_any()
}

/// `translate(x,y) scale(upp)`: draw in screen pixels around a map point.
fn at(x: f64, y: f64, upp: f64) -> String {
    format!("translate({x:.1},{y:.1}) scale({upp:.4})")
}

/// A name drawn on the map, centred at `(x, y)` in map units.
#[derive(Debug, Clone, PartialEq)]
struct Label {
    road: bool,
    name: String,
    x: f64,
    y: f64,
}

/// Street and main-road names with their anchors (computed once per map).
fn label_anchors(map: &DistrictMap, proj: &Projection) -> Vec<Label> {
    let streets = map.streets.iter().map(|street| {
        let (lat, lng) = centroid(&street.polygon);
        let (x, y) = proj.xy(lat, lng);
        Label {
            road: false,
            name: street.name.clone(),
            x,
            y,
        }
    });
    let roads = map
        .roads
        .iter()
        .filter(|r| r.kind == crate::api::RoadKind::Main)
        .filter_map(|road| {
            let &[lat, lng] = road.points.get(road.points.len() / 2)?;
            let (x, y) = proj.xy(lat, lng);
            Some(Label {
                road: true,
                name: road.name.clone(),
                x,
                y,
            })
        });
    streets.chain(roads).collect()
}

/// Street and main-road names (kept at a readable size whatever the zoom).
fn labels_layer(labels: &[Label], upp: f64) -> AnyView {
    labels
        .iter()
        .map(|l| {
            let (class, dy) = if l.road {
                ("map-label map-label--road", -6.0)
            } else {
                ("map-label", 26.0)
            };
            view! {
                <text class=class text-anchor="middle" transform=at(l.x, l.y + dy * upp, upp)>
                    {l.name.clone()}
                </text>
            }
        })
        .collect_view()
        .into_any()
}

/// Sites merged greedily: each joins the first group within `cell` units, else starts one.
/// Groups are looked up in a grid of `cell`-sized buckets, so this stays linear in the sites.
fn cluster(points: &[(f64, f64)], cell: f64) -> Vec<Vec<usize>> {
    let mut groups: Vec<(f64, f64, Vec<usize>)> = Vec::new();
    if cell <= 0.0 {
        return (0..points.len()).map(|i| vec![i]).collect();
    }
    let bucket = |x: f64, y: f64| ((x / cell).floor() as i64, (y / cell).floor() as i64);
    let mut grid: std::collections::HashMap<(i64, i64), Vec<usize>> = Default::default();
    for (i, &(x, y)) in points.iter().enumerate() {
        let (bx, by) = bucket(x, y);
        // The first group (in creation order) whose anchor is within `cell`: only anchors in
        // the 3 × 3 buckets around can be.
        let mut near: Option<usize> = None;
        for gx in bx - 1..=bx + 1 {
            for gy in by - 1..=by + 1 {
                for &g in grid.get(&(gx, gy)).into_iter().flatten() {
                    let (ax, ay, _) = &groups[g];
                    if (ax - x).hypot(ay - y) < cell && near.is_none_or(|n| g < n) {
                        near = Some(g);
                    }
                }
            }
        }
        match near {
            Some(g) => groups[g].2.push(i),
            None => {
                grid.entry((bx, by)).or_default().push(groups.len());
                groups.push((x, y, vec![i]));
            }
        }
    }
    groups.into_iter().map(|(_, _, m)| m).collect()
}

/// One thing drawn in the marker layer, in map units.
#[derive(Debug, Clone, PartialEq)]
enum Mark {
    Here {
        x: f64,
        y: f64,
    },
    Site {
        index: usize,
        x: f64,
        y: f64,
        chosen: bool,
    },
    Cluster {
        x: f64,
        y: f64,
        count: usize,
    },
}

/// Where the markers go at this zoom: the citizen's position first, then sites and clusters,
/// the chosen site last (on top of the others).
fn layout(
    sites: &[SiteSummary],
    proj: &Projection,
    upp: f64,
    zoom: f64,
    selected: Option<&str>,
    here: Option<(f64, f64)>,
) -> Vec<Mark> {
    let mut marks = Vec::new();
    if let Some((lat, lng)) = here {
        let (x, y) = proj.xy(lat, lng);
        marks.push(Mark::Here { x, y });
    }
    let points: Vec<(f64, f64)> = sites.iter().map(|s| proj.xy(s.lat, s.lng)).collect();
    let cell = if zoom >= MAX_ZOOM {
        0.0
    } else {
        CLUSTER_PX * upp
    };
    let mut chosen = None;
    for group in cluster(&points, cell) {
        if let [one] = group[..] {
            if selected == Some(sites[one].code.as_str()) {
                chosen = Some(one);
                continue;
            }
            let (x, y) = points[one];
            marks.push(Mark::Site {
                index: one,
                x,
                y,
                chosen: false,
            });
        } else {
            let k = group.len() as f64;
            let (x, y) = group.iter().fold((0.0, 0.0), |(a, b), &i| {
                (a + points[i].0 / k, b + points[i].1 / k)
            });
            marks.push(Mark::Cluster {
                x,
                y,
                count: group.len(),
            });
        }
    }
    if let Some(i) = chosen {
        let (x, y) = points[i];
        marks.push(Mark::Site {
            index: i,
            x,
            y,
            chosen: true,
        });
    }
    marks
}

fn mark_view(mark: &Mark, sites: &[SiteSummary], upp: f64) -> AnyView {
    match *mark {
        Mark::Here { x, y } => view! {
            <g class="map-here" aria-hidden="true" transform=at(x, y, upp)>
                <circle r="11"></circle>
                <circle class="map-here__dot" r="5"></circle>
            </g>
        }
        .into_any(),
        Mark::Cluster { x, y, count } => view! {
            <g
                class="mk mk--cluster"
                role="button"
                tabindex="0"
                data-x=format!("{x:.1}")
                data-y=format!("{y:.1}")
                aria-label=format!("这里有 {count} 个服务点，点击放大查看")
                transform=at(x, y, upp)
            >
                <circle class="mk__hit" r="22"></circle>
                <circle class="mk__cluster" r="17"></circle>
                <text class="mk__count" text-anchor="middle" dy="6">{count.to_string()}</text>
            </g>
        }
        .into_any(),
        Mark::Site {
            index,
            x,
            y,
            chosen,
        } => {
            let s = &sites[index];
            let class = format!(
                "mk mk--{}{}",
                level_class(s.level),
                if chosen { " mk--on" } else { "" }
            );
            view! {
                <g
                    class=class
                    role="button"
                    tabindex="0"
                    data-code=s.code.clone()
                    aria-label=format!("{}（{}）", s.name, s.level.label())
                    aria-pressed=chosen.then_some("true")
                    transform=at(x, y, upp)
                >
                    <circle class="mk__hit" r="22"></circle>
                    <path class="mk__shape" d=level_path(s.level)></path>
                </g>
            }
            .into_any()
        }
    }
}

/// `value` as a CSS string (for an attribute selector).
fn css_string(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\a "),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The legend of symbols.
fn legend() -> AnyView {
    let levels = crate::api::SiteLevel::ALL
        .into_iter()
        .map(|level| view! { <li><LevelIcon level/>{level.label()}</li> })
        .collect_view();
    view! {
        <div>
            <ul class="map-legend">
                {levels}
                <li>
                    <span class="map-legend__cluster" aria-hidden="true">"3"</span>
                    "数字：该处服务点个数，点按放大"
                </li>
            </ul>
        </div>
    }
    .into_any()
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

/// What the pointer and the wheel asked for since the last animation frame.
#[derive(Debug, Clone, Copy, Default)]
struct Pending {
    /// Screen pixels to pan by.
    pan: (f64, f64),
    /// The zoom a pinch asks for.
    zoom: Option<f64>,
    /// Wheel zoom: the factor and the point (client pixels) to keep in place.
    wheel: Option<(f64, (f64, f64))>,
    scheduled: bool,
}

/// A move asked for by one event.
#[derive(Debug, Clone, Copy)]
enum Step {
    Pan(f64, f64),
    Pinch(f64),
    Wheel(f64, (f64, f64)),
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
    #[prop(optional)] overlay: Option<AnyView>,
    /// What the map shows, for screen readers.
    label: &'static str,
) -> impl IntoView {
    let proj = Projection::new(map.bbox);
    let h = proj.h;
    let labels = StoredValue::new(label_anchors(&map, &proj));
    let map = StoredValue::new(map);
    let zoom = RwSignal::new(1.0_f64);
    let center = RwSignal::new((W / 2.0, h / 2.0));
    // On-screen width of the SVG, kept current by a ResizeObserver.
    let width = RwSignal::new(360.0_f64);
    let svg_ref = NodeRef::<svg::Svg>::new();
    let gesture = StoredValue::new(Gesture::default());
    let pending = StoredValue::new(Pending::default());
    // The drawn layers wait a frame, so the page (the list first) shows without a long task.
    let drawn = RwSignal::new(false);
    request_animation_frame(move || {
        set_timeout(
            move || {
                let _ = drawn.try_set(true);
            },
            std::time::Duration::ZERO,
        )
    });

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
        let callback = Closure::<dyn FnMut()>::new(move || measure(&target));
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
        format!(
            "{:.1} {:.1} {:.1} {:.1}",
            cx - hw,
            cy - hh,
            2.0 * hw,
            2.0 * hh
        )
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
    // Pans by `(dx, dy)` screen pixels.
    let pan_by = move |(dx, dy): (f64, f64)| {
        let u = upp.get_untracked();
        let (cx, cy) = center.get_untracked();
        center.set(clamp((cx - dx * u, cy - dy * u), zoom.get_untracked()));
    };
    // Drags and pinches: the moves of one frame are applied together.
    let apply_pending = move || {
        let Some(p) = pending.try_update_value(std::mem::take) else {
            return;
        };
        if let Some((factor, focus)) = p.wheel {
            zoom_by(factor, Some(focus));
        }
        if let Some(z) = p.zoom {
            let z = z.clamp(1.0, MAX_ZOOM);
            zoom.set(z);
            center.set(clamp(center.get_untracked(), z));
        }
        if p.pan != (0.0, 0.0) {
            pan_by(p.pan);
        }
    };
    let schedule = move |step: Step| {
        let mut first = false;
        pending.update_value(|p| {
            match step {
                Step::Pan(dx, dy) => p.pan = (p.pan.0 + dx, p.pan.1 + dy),
                Step::Pinch(z) => p.zoom = Some(z),
                Step::Wheel(factor, focus) => {
                    let before = p.wheel.map_or(1.0, |(f, _)| f);
                    p.wheel = Some((before * factor, focus));
                }
            }
            first = !p.scheduled;
            p.scheduled = true;
        });
        if first {
            request_animation_frame(apply_pending);
        }
    };

    // Where the markers go; recomputed on zoom, resize, filter and selection, not while panning.
    let marks = Memo::new(move |_| {
        let (u, z) = (upp.get(), zoom.get());
        let chosen = selected.get();
        let here = here.get();
        sites.with(|s| layout(s, &proj, u, z, chosen.as_deref(), here))
    });
    let markers = move || {
        let u = upp.get();
        marks.with(|m| sites.with(|s| m.iter().map(|mark| mark_view(mark, s, u)).collect_view()))
    };

    // Back to the marker (or the map) after the layer was redrawn, so the keyboard focus stays.
    let refocus = move |code: Option<String>| {
        request_animation_frame(move || {
            let Some(el) = svg_ref.get_untracked() else {
                return;
            };
            let marker = code.and_then(|c| {
                el.query_selector(&format!(".mk[data-code={}]", css_string(&c)))
                    .ok()
                    .flatten()
            });
            let _ = match marker {
                Some(marker) => marker.unchecked_into::<web_sys::SvgElement>().focus(),
                None => el.focus(),
            };
        });
    };
    // A marker shows its card; a cluster zooms in. The code of the site chosen, if any.
    let activate = move |target: Option<web_sys::EventTarget>| -> Option<Option<String>> {
        let el = target.and_then(|t| t.dyn_into::<web_sys::Element>().ok())?;
        let mk = el.closest(".mk").ok()??;
        if let Some(code) = mk.get_attribute("data-code") {
            selected.set(Some(code.clone()));
            return Some(Some(code));
        }
        let read = |k: &str| mk.get_attribute(k).and_then(|v| v.parse::<f64>().ok());
        if let (Some(x), Some(y)) = (read("data-x"), read("data-y")) {
            let z = (zoom.get_untracked() * 2.0).min(MAX_ZOOM);
            zoom.set(z);
            center.set(clamp((x, y), z));
        }
        Some(None)
    };
    let on_click = move |ev: web_sys::MouseEvent| {
        if gesture.with_value(|g| g.moved) {
            return;
        }
        activate(ev.target());
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        if ev.alt_key() || ev.ctrl_key() || ev.meta_key() {
            return;
        }
        let step = KEY_PAN_PX;
        match ev.key().as_str() {
            "Enter" | " " => {
                if let Some(code) = activate(ev.target()) {
                    ev.prevent_default();
                    refocus(code);
                }
                return;
            }
            // The map moves under the view: → shows what lies east.
            "ArrowLeft" => pan_by((step, 0.0)),
            "ArrowRight" => pan_by((-step, 0.0)),
            "ArrowUp" => pan_by((0.0, step)),
            "ArrowDown" => pan_by((0.0, -step)),
            "+" | "=" => zoom_by(1.6, None),
            "-" | "_" => zoom_by(0.625, None),
            _ => return,
        }
        ev.prevent_default();
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
        let (id, x, y) = (
            ev.pointer_id(),
            f64::from(ev.client_x()),
            f64::from(ev.client_y()),
        );
        let mut pan = None;
        let mut pinch_zoom = None;
        let mut capture = false;
        gesture.update_value(|g| {
            let Some(i) = g.pointers.iter().position(|p| p.0 == id) else {
                return;
            };
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
            schedule(Step::Pinch(z));
        }
        if let Some((dx, dy)) = pan {
            schedule(Step::Pan(dx, dy));
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
        schedule(Step::Wheel(
            factor,
            (f64::from(ev.client_x()), f64::from(ev.client_y())),
        ));
    };
    let reset = move |_| {
        zoom.set(1.0);
        center.set((W / 2.0, h / 2.0));
    };

    let overlay = StoredValue::new_local(overlay);
    view! {
        <div class="dmap">
            <div class="dmap__frame">
                <svg
                    node_ref=svg_ref
                    class="dmap__svg"
                    viewBox=view_box
                    role="group"
                    tabindex="0"
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
                    <g>
                        {move || {
                            drawn.get().then(|| map.with_value(|m| base_layer(m, &proj)))
                        }}
                    </g>
                    <g>{move || drawn.get().then(|| overlay.try_update_value(Option::take).flatten())}</g>
                    <g>
                        {move || drawn.get().then(|| labels.with_value(|l| labels_layer(l, upp.get())))}
                        {move || drawn.get().then(markers)}
                    </g>
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
            <p class="hint dmap__hint">
                "用键盘：按 Tab 键选中地图后，方向键移动地图，+ 和 - 键缩放，回车键查看所选标记。"
            </p>
            {legend()}
        </div>
    }
}
