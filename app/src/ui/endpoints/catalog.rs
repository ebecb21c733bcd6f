//! Typed calls of the catalog area (see [`crate::ui::http`]): the overview, item lists, guides,
//! blank forms and the QR code address.

use std::cell::RefCell;

use crate::api::{CatalogOverview, Form, ItemDetail, ItemList};
use crate::ui::http::{self, encode, ApiResult};

thread_local! {
    /// The catalog overview changes only with a deployment: fetch it once per visit.
    static CATALOG: RefCell<Option<CatalogOverview>> = const { RefCell::new(None) };
}

/// `GET /api/catalog` → `CatalogOverview` (fetched once per visit).
pub async fn catalog() -> ApiResult<CatalogOverview> {
    if let Some(cached) = CATALOG.with_borrow(|c| c.clone()) {
        return Ok(cached);
    }
    let overview = http::get::<CatalogOverview>("/api/catalog").await?;
    CATALOG.set(Some(overview.clone()));
    Ok(overview)
}

/// What to list: a search, a theme or a department, with paging.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ItemQuery {
    pub q: Option<String>,
    pub theme: Option<String>,
    pub department: Option<String>,
    pub limit: usize,
    pub offset: usize,
}

impl ItemQuery {
    /// `/api/items?limit=…&offset=…` with the filters that are set.
    fn url(&self) -> String {
        let mut url = format!("/api/items?limit={}&offset={}", self.limit, self.offset);
        for (key, value) in [
            ("&q=", &self.q),
            ("&theme=", &self.theme),
            ("&department=", &self.department),
        ] {
            if let Some(value) = value {
                url.push_str(key);
                url.push_str(&encode(value));
            }
        }
        url
    }
}

/// `GET /api/items?…` → `ItemList`.
pub async fn items(query: ItemQuery) -> ApiResult<ItemList> {
    http::get(&query.url()).await
}

/// `GET /api/items/{code}` → `ItemDetail` (a 404 failure when there is no such item).
pub async fn item(code: String) -> ApiResult<ItemDetail> {
    http::get(&format!("/api/items/{}", encode(&code))).await
}

/// `GET /api/forms/{code}` → `Form` (a 404 failure when there is no such form).
pub async fn form(code: String) -> ApiResult<Form> {
    http::get(&format!("/api/forms/{}", encode(&code))).await
}

/// The address of the QR code image (`GET /api/qr`) for an absolute URL.
pub fn qr_src(absolute_url: &str) -> String {
    format!("/api/qr?text={}", encode(absolute_url))
}
