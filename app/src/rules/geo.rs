//! Distances and coordinate systems for the 政务服务地图.
//!
//! Sites are stored in WGS-84, the datum GPS receivers and the browser's geolocation report.
//! Maps published in mainland China (高德, 腾讯, and 百度 before its own extra shift) use GCJ-02,
//! an obfuscated datum that moves points by a few hundred metres; a navigation link built from
//! WGS-84 coordinates would send a citizen to the wrong side of the street. The conversion here
//! is the widely used public approximation (Krasovsky ellipsoid constants, a fixed polynomial
//! plus sine series), which agrees with the official transform to within a metre or two.

use std::f64::consts::PI;

/// Mean Earth radius (IUGG), metres.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Walking speed along streets, metres per minute (about 4.8 km/h).
pub const WALK_M_PER_MIN: f64 = 80.0;

/// How much longer a walk along streets is than the straight line.
pub const DETOUR_FACTOR: f64 = 1.25;

/// Semi-major axis of the Krasovsky 1940 ellipsoid used by the GCJ-02 transform.
const GCJ_A: f64 = 6_378_245.0;
/// Its first eccentricity squared (published as 0.00669342162296594323; this is the same f64).
const GCJ_EE: f64 = 0.006_693_421_622_965_943;

/// Great-circle distance in metres between two WGS-84 points (haversine on a sphere).
///
/// Good to about 0.5% anywhere, far better than a walking estimate needs.
pub fn distance_m(a_lat: f64, a_lng: f64, b_lat: f64, b_lng: f64) -> f64 {
    let (phi1, phi2) = (a_lat.to_radians(), b_lat.to_radians());
    let d_phi = (b_lat - a_lat).to_radians();
    let d_lambda = (b_lng - a_lng).to_radians();
    let h = (d_phi / 2.0).sin().powi(2) + phi1.cos() * phi2.cos() * (d_lambda / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

/// Minutes to walk a straight-line distance: streets are taken as 25% longer than the straight
/// line, walked at 80 m per minute, rounded up, and never less than one minute.
pub fn walk_minutes(distance_m: f64) -> u32 {
    let minutes = (distance_m.max(0.0) * DETOUR_FACTOR / WALK_M_PER_MIN).ceil();
    if minutes.is_nan() || minutes < 1.0 {
        1
    } else if minutes >= f64::from(u32::MAX) {
        u32::MAX
    } else {
        minutes as u32
    }
}

/// Whether a point lies outside the rectangle where GCJ-02 applies (roughly China's bounding
/// box); there both datums are the same.
pub fn outside_china(lat: f64, lng: f64) -> bool {
    !(72.004..=137.8347).contains(&lng) || !(0.8293..=55.8271).contains(&lat)
}

fn transform_lat(x: f64, y: f64) -> f64 {
    let mut ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    ret += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    ret += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    ret += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    ret
}

fn transform_lng(x: f64, y: f64) -> f64 {
    let mut ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    ret += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    ret += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    ret += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    ret
}

/// WGS-84 → GCJ-02, as `(lat, lng)`. Points outside China are returned unchanged.
pub fn wgs84_to_gcj02(lat: f64, lng: f64) -> (f64, f64) {
    if outside_china(lat, lng) {
        return (lat, lng);
    }
    let (x, y) = (lng - 105.0, lat - 35.0);
    let rad_lat = lat / 180.0 * PI;
    let magic = 1.0 - GCJ_EE * rad_lat.sin().powi(2);
    let sqrt_magic = magic.sqrt();
    let d_lat =
        (transform_lat(x, y) * 180.0) / ((GCJ_A * (1.0 - GCJ_EE)) / (magic * sqrt_magic) * PI);
    let d_lng = (transform_lng(x, y) * 180.0) / (GCJ_A / sqrt_magic * rad_lat.cos() * PI);
    (lat + d_lat, lng + d_lng)
}

/// GCJ-02 → WGS-84, as `(lat, lng)`, by fixed-point iteration on [`wgs84_to_gcj02`] (the shift
/// varies slowly, so each step gains several digits; the result is within millimetres).
/// Points outside China are returned unchanged.
pub fn gcj02_to_wgs84(lat: f64, lng: f64) -> (f64, f64) {
    if outside_china(lat, lng) {
        return (lat, lng);
    }
    let (mut w_lat, mut w_lng) = (lat, lng);
    for _ in 0..30 {
        let (g_lat, g_lng) = wgs84_to_gcj02(w_lat, w_lng);
        let (e_lat, e_lng) = (g_lat - lat, g_lng - lng);
        w_lat -= e_lat;
        w_lng -= e_lng;
        if e_lat.abs() < 1e-10 && e_lng.abs() < 1e-10 {
            break;
        }
    }
    (w_lat, w_lng)
}

/// Whether a point lies inside a polygon of `[lat, lng]` vertices (even–odd rule, treating
/// degrees as plane coordinates, which is fine at district scale). A point exactly on an edge may
/// fall either way. Used to tell which street (街道) a position is in, and to check site data.
pub fn point_in_polygon(lat: f64, lng: f64, polygon: &[[f64; 2]]) -> bool {
    let mut inside = false;
    let mut j = polygon.len().wrapping_sub(1);
    for (i, &[a_lat, a_lng]) in polygon.iter().enumerate() {
        let [b_lat, b_lng] = polygon[j];
        if (a_lat > lat) != (b_lat > lat) {
            let crossing = (b_lng - a_lng) * (lat - a_lat) / (b_lat - a_lat) + a_lng;
            if lng < crossing {
                inside = !inside;
            }
        }
        j = i;
    }
    inside
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: f64, expected: f64, tolerance: f64) -> bool {
        (actual - expected).abs() <= tolerance
    }

    #[test]
    fn one_degree_of_latitude() {
        // 2πR / 360 = 111 195.08 m.
        let d = distance_m(34.0, 108.95, 35.0, 108.95);
        assert!(close(d, 111_195.08, 0.05), "{d}");
        assert!(close(distance_m(0.0, 0.0, 0.0, 1.0), 111_195.08, 0.05));
    }

    #[test]
    fn longitude_shrinks_with_latitude() {
        // At 60°N a degree of longitude is about half a degree of latitude.
        let d = distance_m(60.0, 10.0, 60.0, 11.0);
        assert!(close(d, 55_597.01, 0.05), "{d}");
    }

    #[test]
    fn nearby_points_in_the_district() {
        // 0.009° north = 1000.76 m; 0.01° east at 34.2° ≈ 1111.95 × cos(34.2°) = 919.67 m.
        assert!(close(
            distance_m(34.20, 108.95, 34.209, 108.95),
            1000.76,
            0.05
        ));
        let east = distance_m(34.20, 108.95, 34.20, 108.96);
        assert!(close(east, 919.67, 0.05), "{east}");
        // Both together: about √(1000.76² + 919.67²) = 1359.1 m.
        let diag = distance_m(34.20, 108.95, 34.209, 108.96);
        assert!(close(diag, 1359.12, 0.05), "{diag}");
        assert_eq!(distance_m(34.2, 108.95, 34.2, 108.95), 0.0);
        assert_eq!(
            distance_m(34.20, 108.95, 34.209, 108.96),
            distance_m(34.209, 108.96, 34.20, 108.95)
        );
    }

    #[test]
    fn antipodes_do_not_produce_nan() {
        let d = distance_m(0.0, 0.0, 0.0, 180.0);
        assert!(close(d, PI * EARTH_RADIUS_M, 1.0), "{d}");
    }

    #[test]
    fn points_in_polygons() {
        // A concave "L": the notch at the top right is outside.
        let l = [
            [0.0, 0.0],
            [2.0, 0.0],
            [2.0, 1.0],
            [1.0, 1.0],
            [1.0, 2.0],
            [0.0, 2.0],
        ];
        assert!(point_in_polygon(0.5, 0.5, &l));
        assert!(point_in_polygon(1.5, 0.5, &l));
        assert!(point_in_polygon(0.5, 1.5, &l));
        assert!(!point_in_polygon(1.5, 1.5, &l));
        assert!(!point_in_polygon(-0.1, 0.5, &l));
        assert!(!point_in_polygon(0.5, 2.1, &l));
        assert!(!point_in_polygon(0.5, 0.5, &[]));
        assert!(!point_in_polygon(0.5, 0.5, &[[0.0, 0.0], [1.0, 1.0]]));
    }

    #[test]
    fn walking_minutes() {
        assert_eq!(walk_minutes(0.0), 1);
        assert_eq!(walk_minutes(10.0), 1);
        assert_eq!(walk_minutes(64.0), 1); // exactly 80 m of street
        assert_eq!(walk_minutes(64.1), 2);
        assert_eq!(walk_minutes(960.0), 15); // the 15-minute service circle: 1200 m of street
        assert_eq!(walk_minutes(1000.0), 16);
        assert_eq!(walk_minutes(-5.0), 1);
        assert_eq!(walk_minutes(f64::NAN), 1);
        assert_eq!(walk_minutes(f64::INFINITY), u32::MAX);
    }

    // Reference values computed independently in Python with the same public formulas.
    const GCJ_REFERENCE: [((f64, f64), (f64, f64)); 4] = [
        // 天安门, Beijing
        ((39.90872, 116.39748), (39.910_123_50, 116.403_723_57)),
        // 外滩, Shanghai
        ((31.23958, 121.49979), (31.237_565_98, 121.504_222_78)),
        // the demo district
        ((34.20, 108.95), (34.198_405_45, 108.954_673_64)),
        // 福田, Shenzhen
        ((22.54286, 114.05956), (22.540_145_67, 114.064_675_86)),
    ];

    #[test]
    fn gcj02_matches_reference_values() {
        for ((lat, lng), (g_lat, g_lng)) in GCJ_REFERENCE {
            let (a_lat, a_lng) = wgs84_to_gcj02(lat, lng);
            assert!(close(a_lat, g_lat, 1e-8), "{lat},{lng}: {a_lat}");
            assert!(close(a_lng, g_lng, 1e-8), "{lat},{lng}: {a_lng}");
        }
    }

    #[test]
    fn gcj02_shift_is_a_few_hundred_metres() {
        let (lat, lng) = (34.2, 108.95);
        let (g_lat, g_lng) = wgs84_to_gcj02(lat, lng);
        let shift = distance_m(lat, lng, g_lat, g_lng);
        assert!((300.0..700.0).contains(&shift), "{shift}");
    }

    #[test]
    fn outside_china_is_unchanged() {
        for (lat, lng) in [
            (51.5, -0.12),
            (-33.86, 151.21),
            (40.71, -74.0),
            (60.0, 100.0),
        ] {
            assert!(outside_china(lat, lng));
            assert_eq!(wgs84_to_gcj02(lat, lng), (lat, lng));
            assert_eq!(gcj02_to_wgs84(lat, lng), (lat, lng));
        }
        assert!(!outside_china(34.2, 108.95));
    }

    #[test]
    fn inverse_round_trips_within_half_a_metre() {
        let mut points = GCJ_REFERENCE.map(|(wgs, _)| wgs).to_vec();
        points.extend([
            (34.17, 108.90),
            (34.23, 109.01),
            (45.75, 126.63),
            (18.25, 109.5),
        ]);
        for (lat, lng) in points {
            let (g_lat, g_lng) = wgs84_to_gcj02(lat, lng);
            let (w_lat, w_lng) = gcj02_to_wgs84(g_lat, g_lng);
            let error = distance_m(lat, lng, w_lat, w_lng);
            assert!(error < 0.5, "{lat},{lng}: {error} m");
        }
        // And from the reference GCJ values back to the WGS inputs.
        for ((lat, lng), (g_lat, g_lng)) in GCJ_REFERENCE {
            let (w_lat, w_lng) = gcj02_to_wgs84(g_lat, g_lng);
            assert!(distance_m(lat, lng, w_lat, w_lng) < 0.5);
        }
    }
}
