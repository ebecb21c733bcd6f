//! Typed calls of the catalog's export and import and the 四级四同 check (managers; see
//! [`crate::ui::http`]).

use crate::api::{ImportReport, StandardCheck};
use crate::ui::http::{self, encode, ApiResult};

/// The download address of the published catalog: `json`, or `csv` with `items`/`materials`.
pub fn export_url(format: &str, part: Option<&str>) -> String {
    match part {
        Some(part) => format!("/api/admin/catalog/export?format={format}&part={part}"),
        None => format!("/api/admin/catalog/export?format={format}"),
    }
}

/// `POST /api/admin/catalog/import?dry_run=` with the chosen file.
pub async fn import(file: &web_sys::File, dry_run: bool) -> ApiResult<ImportReport> {
    http::post_file(
        &format!("/api/admin/catalog/import?dry_run={dry_run}"),
        file,
    )
    .await
}

/// `GET /api/admin/catalog/standard`.
pub async fn standard() -> ApiResult<StandardCheck> {
    http::get("/api/admin/catalog/standard").await
}

/// `PUT /api/admin/catalog/standard?source=` with the chosen CSV or JSON file.
pub async fn load_standard(file: &web_sys::File) -> ApiResult<StandardCheck> {
    http::upload(
        &format!(
            "/api/admin/catalog/standard?source={}",
            encode(&file.name())
        ),
        file,
    )
    .await
}
