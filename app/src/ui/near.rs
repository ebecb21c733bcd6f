//! The position the citizen shared for the 政务服务地图 (kept for this browser session only).

const NEAR_KEY: &str = "bst.near";

/// Where distances are measured from, and what it is (`None`: the device's position; a street
/// name: that street's centre).
#[derive(Debug, Clone, PartialEq)]
pub struct Near {
    pub lat: f64,
    pub lng: f64,
    pub street: Option<String>,
}

impl Near {
    pub fn point(&self) -> (f64, f64) {
        (self.lat, self.lng)
    }
}

fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// The position shared earlier in this browser session.
pub fn saved_near() -> Option<Near> {
    let text = session()?.get_item(NEAR_KEY).ok().flatten()?;
    let mut parts = text.splitn(3, ',');
    let lat = parts.next()?.parse().ok()?;
    let lng = parts.next()?.parse().ok()?;
    let street = parts.next().filter(|s| !s.is_empty()).map(String::from);
    Some(Near { lat, lng, street })
}

/// Remembers (or forgets) the position for this browser session.
pub fn save_near(near: Option<&Near>) {
    if let Some(storage) = session() {
        let _ = match near {
            Some(n) => storage.set_item(
                NEAR_KEY,
                &format!(
                    "{:.6},{:.6},{}",
                    n.lat,
                    n.lng,
                    n.street.as_deref().unwrap_or("")
                ),
            ),
            None => storage.remove_item(NEAR_KEY),
        };
    }
}
