//! The client's routes, listed once: the browser's router is generated from
//! [`with_client_routes!`] (`app::ui`), and the server answers the page shell with 200 only for
//! a path one of them matches ([`is_client_route`]); any other path gets the same shell (the
//! friendly 404 page) with HTTP 404.
//!
//! A pattern is the path without its leading `/`; `:name` is one non-empty segment.

/// Calls `$then! { "pattern" => Screen, … }` with every client route, in the router's order.
/// The screen names are [`Screen`]'s variants; `app::ui` maps each to its page.
#[macro_export]
macro_rules! with_client_routes {
    ($then:ident) => {
        $then! {
            "" => Home,
            "search" => Search,
            "themes/:code" => Theme,
            "departments/:code" => Department,
            "items/:code" => Guide,
            "items/:code/print" => Print,
            "forms/:code" => Form,
            "bundles" => Bundles,
            "bundles/:code" => Bundle,
            "bundles/:code/apply" => BundleApplyNew,
            "map" => Map,
            "map/coverage" => Coverage,
            "sites/:code" => Site,
            "sites/:code/book" => Book,
            "appointments" => Appointments,
            "appointments/:id" => Ticket,
            "login" => Login,
            "apply/new" => ApplyNew,
            "apply/:id" => Apply,
            "my" => MyCases,
            "my/cases/:id" => CaseDetail,
            "my/bundles/:id" => MyBundle,
            "my/cases/:id/notice" => Notice,
            "track" => Track,
            "staff/login" => StaffLogin,
            "staff" => StaffQueue,
            "staff/cases/:id" => StaffReview,
            "staff/cases/:id/notice" => StaffNotice,
            "staff/appointments/:id" => DeskTicket,
            "staff/bookings" => DeskDay,
            "manager" => Manager,
            "manager/stats" => ManagerStats,
            "manager/catalog" => ManagerCatalog,
            "manager/catalog/:code" => ManagerCatalogItem,
            "manager/staff" => ManagerStaff,
            "manager/calendar" => ManagerCalendar,
            "manager/search" => ManagerSearch,
            "manager/sites" => ManagerSites,
            "manager/sites/:code" => ManagerSite,
            "manager/bundles" => ManagerBundles,
            "manager/bundles/:code" => ManagerBundle,
        }
    };
}

macro_rules! route_table {
    ($($pattern:tt => $screen:ident),* $(,)?) => {
        /// One page of the client.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Screen {
            $($screen),*
        }

        /// Every route pattern with its screen, in the router's order.
        pub const ROUTES: &[(&str, Screen)] = &[$(($pattern, Screen::$screen)),*];
    };
}

with_client_routes!(route_table);

/// Whether `pattern` (see the module documentation) matches `path` (`/items/X`, with or without
/// a trailing slash; no query).
pub fn pattern_matches(pattern: &str, path: &str) -> bool {
    let path = path.strip_prefix('/').unwrap_or(path);
    let path = path.strip_suffix('/').unwrap_or(path);
    let wanted: Vec<&str> = pattern.split('/').filter(|s| !s.is_empty()).collect();
    let given: Vec<&str> = path.split('/').collect();
    if wanted.is_empty() {
        return path.is_empty();
    }
    wanted.len() == given.len()
        && wanted.iter().zip(&given).all(|(w, g)| {
            if w.starts_with(':') {
                !g.is_empty()
            } else {
                w == g
            }
        })
}

/// The screen the client shows at `path`, if any.
pub fn screen_for(path: &str) -> Option<Screen> {
    ROUTES
        .iter()
        .find(|(pattern, _)| pattern_matches(pattern, path))
        .map(|(_, screen)| *screen)
}

/// `path` is one of the client's pages (the server answers it with the shell and 200).
pub fn is_client_route(path: &str) -> bool {
    screen_for(path).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_pages_match_and_others_do_not() {
        assert_eq!(screen_for("/"), Some(Screen::Home));
        assert_eq!(screen_for(""), Some(Screen::Home));
        assert_eq!(screen_for("/items/SFQ-GA-0002"), Some(Screen::Guide));
        assert_eq!(screen_for("/items/SFQ-GA-0002/print"), Some(Screen::Print));
        assert_eq!(screen_for("/my/cases/abc/notice"), Some(Screen::Notice));
        assert_eq!(screen_for("/staff/"), Some(Screen::StaffQueue));
        assert_eq!(screen_for("/apply/new"), Some(Screen::ApplyNew));
        assert!(!is_client_route("/no-such-page"));
        assert!(!is_client_route("/items"));
        assert!(!is_client_route("/items//print"));
        assert!(!is_client_route("/items/X/print/more"));
        assert!(!is_client_route("/searchx"));
    }

    #[test]
    fn every_pattern_is_listed_once() {
        for (i, (a, _)) in ROUTES.iter().enumerate() {
            assert!(!a.starts_with('/'), "{a}");
            assert!(
                ROUTES[i + 1..].iter().all(|(b, _)| a != b),
                "{a} listed twice"
            );
        }
    }
}
