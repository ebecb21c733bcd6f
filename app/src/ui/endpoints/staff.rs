//! Typed calls of the staff side: queue, review, supervision (see [`crate::ui::http`]).

use crate::api::{
    AuditLog, CaseDetail, CaseList, Decision, FollowUpList, MaterialReview, Me, RatingFollowUp,
    Rectification, StaffLogin,
};
use crate::ui::endpoints::cases::file_url;
use crate::ui::http::{self, encode, ApiResult};

/// `/api/staff/cases/{id}{suffix}`.
fn case_url(id: &str, suffix: &str) -> String {
    format!("/api/staff/cases/{}{suffix}", encode(id))
}

/// `GET /api/admin/stats?{query}` (managers): the indicators; `query` is already encoded.
pub async fn stats(query: &str) -> ApiResult<crate::api::Stats> {
    http::get(&format!("/api/admin/stats?{query}")).await
}

/// `POST /api/staff/login`: signs a member of staff in (the answer sets the session cookie).
pub async fn sign_in(body: &StaffLogin) -> ApiResult<Me> {
    http::post("/api/staff/login", body).await
}

/// What the queue lists: `status` (`all` for every status), and where set, a search `q`
/// (受理编号, name or phone), one `item` code and one `warning` colour (`red`, `yellow`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueueFilter {
    pub status: String,
    pub q: String,
    pub item: String,
    pub warning: String,
}

/// `GET /api/staff/cases?…`: the queue, most urgent first.
pub async fn queue(filter: &QueueFilter) -> ApiResult<CaseList> {
    let mut params = Vec::new();
    if filter.status != "all" && !filter.status.is_empty() {
        params.push(format!("status={}", encode(&filter.status)));
    }
    for (key, value) in [
        ("q", &filter.q),
        ("item", &filter.item),
        ("warning", &filter.warning),
    ] {
        if !value.is_empty() {
            params.push(format!("{key}={}", encode(value)));
        }
    }
    let url = if params.is_empty() {
        "/api/staff/cases".to_string()
    } else {
        format!("/api/staff/cases?{}", params.join("&"))
    };
    http::get(&url).await
}

/// `GET /api/staff/cases/{id}`.
pub async fn case(id: &str) -> ApiResult<CaseDetail> {
    http::get(&case_url(id, "")).await
}

/// `PUT /api/staff/cases/{id}/materials/{material_id}`: one material's verdict; answers the case.
pub async fn review_material(
    id: &str,
    material_id: &str,
    body: &MaterialReview,
) -> ApiResult<CaseDetail> {
    http::put(
        &case_url(id, &format!("/materials/{}", encode(material_id))),
        body,
    )
    .await
}

/// `POST /api/staff/cases/{id}/decision`: 预审通过, 退回补正 (一次性告知), 不予受理 or 办结.
pub async fn decide(id: &str, body: &Decision) -> ApiResult<CaseDetail> {
    http::post(&case_url(id, "/decision"), body).await
}

/// `GET /api/staff/cases/{id}/audit` (managers).
pub async fn audit_log(id: &str) -> ApiResult<AuditLog> {
    http::get(&case_url(id, "/audit")).await
}

/// `GET /api/files/{upload_id}` as an object URL (revoke it when done).
pub async fn file_preview(upload_id: &str) -> ApiResult<String> {
    http::object_url(&file_url(upload_id)).await
}

/// `GET /api/manager/supervision`: every yellow and red case.
pub async fn supervision() -> ApiResult<CaseList> {
    http::get("/api/manager/supervision").await
}

/// `GET /api/manager/ratings`: 差评 to follow up, unanswered first.
pub async fn bad_ratings() -> ApiResult<FollowUpList> {
    http::get("/api/manager/ratings").await
}

/// `POST /api/manager/ratings/{case_id}/rectification`: the 整改 answer to a 差评.
pub async fn rectify(case_id: &str, body: &Rectification) -> ApiResult<RatingFollowUp> {
    http::post(
        &format!("/api/manager/ratings/{}/rectification", encode(case_id)),
        body,
    )
    .await
}
