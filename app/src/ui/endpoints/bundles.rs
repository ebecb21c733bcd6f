//! Typed calls of the bundles area (see [`crate::ui::http`]): the 一件事 guides, a bundle
//! application (create, draft save, uploads per material, 一次提交 with an `Idempotency-Key`,
//! progress), 企业开办's name check and business scope list, and the member cases a 一次补正
//! corrects and resubmits.

use std::collections::BTreeMap;

use gloo_net::http::Method;

use crate::api::{
    BundleApplication, BundleApplicationDetail, BundleApplicationList, BundleDetail, BundleList,
    BundleSubmitted, BusinessScopeList, CaseDetail, NameCheckRequest, NameCheckResult,
    NewBundleApplication, Submitted, UploadInfo,
};
use crate::ui::http::{self, encode, ApiResult, Body};

/// `GET /api/bundles` → every 一件事, both audiences.
pub async fn bundles() -> ApiResult<BundleList> {
    http::get("/api/bundles").await
}

/// `GET /api/bundles/{code}?a=…` → the guide tailored to the answers (`a` as in the URL); a 404
/// failure when there is no such bundle.
pub async fn bundle(code: String, a: String) -> ApiResult<BundleDetail> {
    let mut url = format!("/api/bundles/{}", encode(&code));
    if !a.is_empty() {
        url.push_str("?a=");
        url.push_str(&encode(&a));
    }
    http::get(&url).await
}

/// The API address of a bundle application (`suffix` e.g. `/submit`); the draft form saves
/// there and the material uploads go under it.
pub fn application_url(id: &str, suffix: &str) -> String {
    format!("/api/bundle-applications/{}{suffix}", encode(id))
}

/// `POST /api/bundle-applications`: starts a draft with the guide's answers.
pub async fn create(
    bundle_code: String,
    answers: BTreeMap<String, String>,
) -> ApiResult<BundleApplicationDetail> {
    let body = NewBundleApplication {
        bundle_code,
        answers,
    };
    http::post("/api/bundle-applications", &body).await
}

/// `GET /api/bundle-applications` → mine, newest first.
pub async fn my_applications() -> ApiResult<BundleApplicationList> {
    http::get("/api/bundle-applications").await
}

/// `GET /api/manager/bundles` → every submitted one, applicants masked.
pub async fn manager_applications() -> ApiResult<BundleApplicationList> {
    http::get("/api/manager/bundles").await
}

/// `GET /api/bundle-applications/{id}` → the draft or the combined progress.
pub async fn application(id: String) -> ApiResult<BundleApplicationDetail> {
    http::get(&application_url(&id, "")).await
}

/// `PUT /api/bundle-applications/{id}`: saves the draft's answers, form and company facts.
pub async fn save(id: String, draft: BundleApplication) -> ApiResult<BundleApplicationDetail> {
    http::put(&application_url(&id, ""), &draft).await
}

/// `PUT /api/bundle-applications/{id}/materials/{material_id}?name=FILE`: one upload, used by
/// every member that needs the material.
pub async fn upload(id: String, material_id: String, file: web_sys::File) -> ApiResult<UploadInfo> {
    let url = application_url(
        &id,
        &format!(
            "/materials/{}?name={}",
            encode(&material_id),
            encode(&file.name())
        ),
    );
    http::upload(&url, &file).await
}

/// `POST /api/bundle-applications/{id}/submit` with the attempt's `Idempotency-Key`.
pub async fn submit(id: String, key: String) -> ApiResult<BundleSubmitted> {
    http::call(
        Method::POST,
        &application_url(&id, "/submit"),
        Body::None,
        Some(&key),
    )
    .await
}

/// `POST /api/name-check`: 企业名称自主申报's instant check.
pub async fn name_check(request: NameCheckRequest) -> ApiResult<NameCheckResult> {
    http::post("/api/name-check", &request).await
}

/// `GET /api/business-scopes` → the standard 经营范围 list.
pub async fn business_scopes() -> ApiResult<BusinessScopeList> {
    http::get("/api/business-scopes").await
}

fn case_url(id: &str, suffix: &str) -> String {
    format!("/api/applications/{}{suffix}", encode(id))
}

/// `GET /api/applications/{id}`: a returned member case, for its rejected materials.
pub async fn member_case(id: String) -> ApiResult<CaseDetail> {
    http::get(&case_url(&id, "")).await
}

/// `PUT /api/applications/{id}/materials/{material_id}?name=FILE`: a corrected material of one
/// member case.
pub async fn upload_to_case(
    id: String,
    material_id: String,
    file: web_sys::File,
) -> ApiResult<UploadInfo> {
    let url = case_url(
        &id,
        &format!(
            "/materials/{}?name={}",
            encode(&material_id),
            encode(&file.name())
        ),
    );
    http::upload(&url, &file).await
}

/// `POST /api/applications/{id}/submit` with the attempt's `Idempotency-Key`: resubmits one
/// corrected member case.
pub async fn resubmit_case(id: String, key: String) -> ApiResult<Submitted> {
    http::call(Method::POST, &case_url(&id, "/submit"), Body::None, Some(&key)).await
}
