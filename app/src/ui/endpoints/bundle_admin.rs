//! Typed calls of bundle management (managers): the bundle list, the editor, drafts,
//! publication and versions (see [`crate::ui::http`]).

use crate::api::{
    Bundle, BundleAdminList, BundleDraftSave, BundleEditor, PublishRequest, Published,
};
use crate::ui::http::{self, encode, ApiResult};

fn bundle_url(code: &str, suffix: &str) -> String {
    format!("/api/admin/catalog/bundles/{}{suffix}", encode(code))
}

/// `GET /api/admin/catalog/bundles`.
pub async fn bundles() -> ApiResult<BundleAdminList> {
    http::get("/api/admin/catalog/bundles").await
}

/// `GET /api/admin/catalog/bundles/{code}`.
pub async fn editor(code: &str) -> ApiResult<BundleEditor> {
    http::get(&bundle_url(code, "")).await
}

/// `PUT /api/admin/catalog/bundles/{code}/draft`.
pub async fn save_draft(bundle: &Bundle) -> ApiResult<BundleEditor> {
    http::put(
        &bundle_url(&bundle.code, "/draft"),
        &BundleDraftSave {
            bundle: bundle.clone(),
        },
    )
    .await
}

/// `DELETE /api/admin/catalog/bundles/{code}/draft`.
pub async fn discard_draft(code: &str) -> ApiResult<()> {
    http::delete(&bundle_url(code, "/draft")).await
}

/// `POST /api/admin/catalog/bundles/{code}/publish`.
pub async fn publish(code: &str, note: &str) -> ApiResult<Published> {
    http::post(
        &bundle_url(code, "/publish"),
        &PublishRequest { note: note.into() },
    )
    .await
}

/// `POST /api/admin/catalog/bundles/{code}/versions/{version}/restore`.
pub async fn restore(code: &str, version: i64, note: &str) -> ApiResult<Published> {
    http::post(
        &bundle_url(code, &format!("/versions/{version}/restore")),
        &PublishRequest { note: note.into() },
    )
    .await
}
