//! The 15分钟政务服务圈: which parts of the district lie within a 15-minute walk of a site.
//!
//! The district's bbox is cut into cells of about 100 m (coarser if that would exceed
//! [`MAX_CELLS`]); a cell counts when its centre lies inside the district outline, and is covered
//! when some site is within [`WALK_LIMIT_MINUTES`] by [`walk_minutes`]. Computed once when the
//! sites are loaded.

use app::api::{CellRun, Coverage, DistrictMap, Site, StreetCoverage};
use app::rules::geo::{distance_m, point_in_polygon, walk_minutes, EARTH_RADIUS_M};

pub const WALK_LIMIT_MINUTES: u32 = 15;
pub const TARGET_CELL_M: f64 = 100.0;
pub const MAX_CELLS: u64 = 10_000;

pub fn compute(map: &DistrictMap, sites: &[Site]) -> Coverage {
    let [min_lat, min_lng, max_lat, max_lng] = map.bbox;
    let metres_per_degree = EARTH_RADIUS_M * std::f64::consts::PI / 180.0;
    let mid_lat = ((min_lat + max_lat) / 2.0).to_radians();
    let span_lat = (max_lat - min_lat).max(0.0);
    let span_lng = (max_lng - min_lng).max(0.0);
    let mut cell_m = TARGET_CELL_M;
    let (cell_lat, cell_lng, rows, cols) = loop {
        let cell_lat = cell_m / metres_per_degree;
        let cell_lng = cell_m / (metres_per_degree * mid_lat.cos().max(0.01));
        let rows = ((span_lat / cell_lat).ceil() as u64).max(1);
        let cols = ((span_lng / cell_lng).ceil() as u64).max(1);
        if rows * cols <= MAX_CELLS {
            break (cell_lat, cell_lng, rows as u32, cols as u32);
        }
        cell_m *= 1.25;
    };

    // A site can only cover cells within this straight-line radius (with a margin); a cheap box
    // test skips the others before the haversine.
    let reach_m = (1..100_000)
        .map(f64::from)
        .find(|&m| walk_minutes(m) > WALK_LIMIT_MINUTES)
        .unwrap_or(1e5)
        * 1.05;
    let reach_lat = reach_m / metres_per_degree;
    let reach_lng = reach_m / (metres_per_degree * mid_lat.cos().max(0.01));

    let mut streets: Vec<(u32, u32)> = vec![(0, 0); map.streets.len()];
    let (mut cells, mut covered) = (0u32, 0u32);
    let mut uncovered = Vec::new();
    for row in 0..rows {
        let lat = min_lat + (f64::from(row) + 0.5) * cell_lat;
        let mut run: Option<CellRun> = None;
        for col in 0..cols {
            let lng = min_lng + (f64::from(col) + 0.5) * cell_lng;
            let inside = point_in_polygon(lat, lng, &map.outline);
            let mut is_uncovered = false;
            if inside {
                cells += 1;
                let ok = sites.iter().any(|s| {
                    (s.lat - lat).abs() <= reach_lat
                        && (s.lng - lng).abs() <= reach_lng
                        && walk_minutes(distance_m(lat, lng, s.lat, s.lng)) <= WALK_LIMIT_MINUTES
                });
                if ok {
                    covered += 1;
                } else {
                    is_uncovered = true;
                }
                if let Some(i) = map
                    .streets
                    .iter()
                    .position(|s| point_in_polygon(lat, lng, &s.polygon))
                {
                    streets[i].0 += 1;
                    streets[i].1 += u32::from(ok);
                }
            }
            match (&mut run, is_uncovered) {
                (Some(r), true) => r.len += 1,
                (None, true) => run = Some(CellRun { row, col, len: 1 }),
                (Some(_), false) => uncovered.extend(run.take()),
                (None, false) => {}
            }
        }
        uncovered.extend(run);
    }
    let share = |covered: u32, cells: u32| {
        if cells == 0 {
            0.0
        } else {
            f64::from(covered) / f64::from(cells)
        }
    };
    Coverage {
        walk_minutes: WALK_LIMIT_MINUTES,
        covered_share: share(covered, cells),
        origin: [min_lat, min_lng],
        cell_lat,
        cell_lng,
        rows,
        cols,
        cells,
        uncovered,
        streets: map
            .streets
            .iter()
            .zip(streets)
            .map(|(s, (cells, covered))| StreetCoverage {
                name: s.name.clone(),
                covered_share: share(covered, cells),
                cells,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sites::store;

    #[test]
    fn demo_district_is_mostly_covered_on_a_100_m_grid() {
        let (sites, map) = store::demo().unwrap();
        let coverage = compute(&map, &sites);
        assert!(u64::from(coverage.rows) * u64::from(coverage.cols) <= MAX_CELLS);
        // About 100 m per cell.
        let height = distance_m(34.2, 108.95, 34.2 + coverage.cell_lat, 108.95);
        assert!((99.0..=101.0).contains(&height), "{height}");
        assert!(coverage.cells > 1000);
        assert!(
            (0.5..=1.0).contains(&coverage.covered_share),
            "{}",
            coverage.covered_share
        );
        let uncovered: u32 = coverage.uncovered.iter().map(|r| r.len).sum();
        let expected =
            coverage.cells - (coverage.covered_share * f64::from(coverage.cells)).round() as u32;
        assert_eq!(uncovered, expected);
        assert_eq!(coverage.streets.len(), 8);
        assert!(coverage
            .streets
            .iter()
            .all(|s| s.cells > 0 && s.covered_share > 0.0));
        // Every uncovered cell really is more than 15 minutes from every site.
        for run in &coverage.uncovered {
            for col in run.col..run.col + run.len {
                let lat = coverage.origin[0] + (f64::from(run.row) + 0.5) * coverage.cell_lat;
                let lng = coverage.origin[1] + (f64::from(col) + 0.5) * coverage.cell_lng;
                assert!(point_in_polygon(lat, lng, &map.outline));
                assert!(sites
                    .iter()
                    .all(|s| walk_minutes(distance_m(lat, lng, s.lat, s.lng)) > 15));
            }
        }
    }
}
