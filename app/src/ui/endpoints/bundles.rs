//! Typed calls of the bundles area (see [`crate::ui::http`]): the 一件事 guides, a bundle
//! application (create, draft save, progress; its uploads and 一次提交 go through the generic
//! calls of [`crate::ui::endpoints::cases`] under [`application_url`]), the applicant's and the
//! manager's lists, and 企业开办's name check and business scope list.

use std::collections::BTreeMap;

use crate::api::{
    BundleApplication, BundleApplicationDetail, BundleApplicationList, BundleDetail, BundleList,
    BusinessScopeList, NameCheckRequest, NameCheckResult, NewBundleApplication,
};
use crate::ui::http::{self, encode, ApiResult};

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

/// `PUT /api/bundle-applications/{id}` (given as `url`, see [`application_url`]): saves the
/// draft's answers, form and company facts.
pub async fn save(url: &str, draft: &BundleApplication) -> ApiResult<BundleApplicationDetail> {
    http::put(url, draft).await
}

/// `POST /api/name-check`: 企业名称自主申报's instant check.
pub async fn name_check(request: NameCheckRequest) -> ApiResult<NameCheckResult> {
    http::post("/api/name-check", &request).await
}

/// `GET /api/business-scopes` → the standard 经营范围 list.
pub async fn business_scopes() -> ApiResult<BusinessScopeList> {
    http::get("/api/business-scopes").await
}
