//! Typed calls of the centre administration pages (managers): staff accounts, holiday years,
//! search vocabulary, service sites (see [`crate::ui::http`]).

use crate::api::{
    NewStaffAccount, OneTimePassword, StaffAccount, StaffAccountList, StaffAccountStatus,
};
use crate::ui::http::{self, encode, ApiResult};

/// `GET /api/admin/staff`: every staff account.
pub async fn staff_accounts() -> ApiResult<StaffAccountList> {
    http::get("/api/admin/staff").await
}

/// `POST /api/admin/staff`: a new account with its one-time password.
pub async fn create_staff(body: &NewStaffAccount) -> ApiResult<OneTimePassword> {
    http::post("/api/admin/staff", body).await
}

/// `PUT /api/admin/staff/{username}/status`: disable or enable.
pub async fn set_staff_enabled(username: &str, enabled: bool) -> ApiResult<StaffAccount> {
    http::put(
        &format!("/api/admin/staff/{}/status", encode(username)),
        &StaffAccountStatus { enabled },
    )
    .await
}

/// `POST /api/admin/staff/{username}/password-reset`: a new one-time password.
pub async fn reset_staff_password(username: &str) -> ApiResult<OneTimePassword> {
    http::post_empty(&format!(
        "/api/admin/staff/{}/password-reset",
        encode(username)
    ))
    .await
}

/// `GET /api/admin/search`: top searches, searches that found nothing, the words added.
pub async fn search_insights() -> ApiResult<crate::api::SearchInsights> {
    http::get("/api/admin/search").await
}

/// `POST /api/admin/search/words`: an everyday word for an item.
pub async fn add_search_word(
    body: &crate::api::NewSearchWord,
) -> ApiResult<crate::api::SearchWord> {
    http::post("/api/admin/search/words", body).await
}

/// `GET /api/admin/sites`: every service site with today's hours and its queues.
pub async fn sites() -> ApiResult<crate::api::ManagedSiteList> {
    http::get("/api/admin/sites").await
}

/// `GET /api/admin/sites/{code}`: one site in the form's shape.
pub async fn site(code: String) -> ApiResult<crate::api::ManagedSite> {
    http::get(&format!("/api/admin/sites/{}", encode(&code))).await
}

/// `PUT /api/admin/sites/{code}`: saves the settings; citizens see them at once.
pub async fn save_site(
    code: &str,
    settings: &crate::api::SiteSettings,
) -> ApiResult<crate::api::ManagedSite> {
    http::put(&format!("/api/admin/sites/{}", encode(code)), settings).await
}

/// `DELETE /api/admin/search/words/{item_code}/{word}`: the search no longer finds the item by
/// the word.
pub async fn delete_search_word(item_code: &str, word: &str) -> ApiResult<()> {
    http::delete(&format!(
        "/api/admin/search/words/{}/{}",
        encode(item_code),
        encode(word)
    ))
    .await
}
