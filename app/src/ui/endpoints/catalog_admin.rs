//! Typed calls of catalog management (managers): the item list, the editor, drafts,
//! publication and versions (see [`crate::ui::http`]).

use crate::api::{
    CatalogAdminList, CatalogEditor, DraftSave, ItemGuide, PublishRequest, Published,
};
use crate::ui::http::{self, encode, ApiResult};

fn item_url(code: &str, suffix: &str) -> String {
    format!("/api/admin/catalog/items/{}{suffix}", encode(code))
}

/// `GET /api/admin/catalog/items?q=&drafts=`.
pub async fn items(q: &str, drafts_only: bool) -> ApiResult<CatalogAdminList> {
    let mut params = Vec::new();
    if !q.trim().is_empty() {
        params.push(format!("q={}", encode(q.trim())));
    }
    if drafts_only {
        params.push("drafts=1".to_string());
    }
    http::get(&format!("/api/admin/catalog/items?{}", params.join("&"))).await
}

/// `GET /api/admin/catalog/items/{code}`.
pub async fn editor(code: &str) -> ApiResult<CatalogEditor> {
    http::get(&item_url(code, "")).await
}

/// `PUT /api/admin/catalog/items/{code}/draft`.
pub async fn save_draft(guide: &ItemGuide) -> ApiResult<CatalogEditor> {
    http::put(
        &item_url(&guide.code, "/draft"),
        &DraftSave {
            guide: guide.clone(),
        },
    )
    .await
}

/// `DELETE /api/admin/catalog/items/{code}/draft`.
pub async fn discard_draft(code: &str) -> ApiResult<()> {
    http::delete(&item_url(code, "/draft")).await
}

/// `POST /api/admin/catalog/items/{code}/publish`.
pub async fn publish(code: &str, note: &str) -> ApiResult<Published> {
    http::post(
        &item_url(code, "/publish"),
        &PublishRequest { note: note.into() },
    )
    .await
}

/// `POST /api/admin/catalog/items/{code}/versions/{version}/restore`.
pub async fn restore(code: &str, version: i64, note: &str) -> ApiResult<Published> {
    http::post(
        &item_url(code, &format!("/versions/{version}/restore")),
        &PublishRequest { note: note.into() },
    )
    .await
}
