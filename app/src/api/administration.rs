//! Centre administration by the managers: staff accounts, holiday years, search vocabulary.

use serde::{Deserialize, Serialize};

use super::StaffRole;

/// One staff account as the manager's page lists it (never its password).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffAccount {
    pub username: String,
    pub display_name: String,
    pub role: StaffRole,
    /// Department code for reviewers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department_name: Option<String>,
    /// A disabled account cannot sign in.
    pub enabled: bool,
    /// A one-time password was set: the person chooses their own at the next sign-in.
    pub must_change_password: bool,
    /// RFC 3339 UTC.
    pub created_at: String,
}

/// `GET /api/admin/staff`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffAccountList {
    pub accounts: Vec<StaffAccount>,
}

/// `POST /api/admin/staff`: a new account; the server sets a one-time password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewStaffAccount {
    pub username: String,
    pub display_name: String,
    pub role: StaffRole,
    /// Department code; required for reviewers, none for managers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
}

/// `PUT /api/admin/staff/{username}/status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffAccountStatus {
    pub enabled: bool,
}

/// A one-time password, shown once to the manager (new account or reset). Only its hash is
/// stored; the person must choose a new password when they first sign in with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OneTimePassword {
    pub account: StaffAccount,
    pub one_time_password: String,
}

/// One search text of the last days, as the manager's search page lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchTerm {
    pub text: String,
    /// How often it was searched in the period.
    pub searches: u32,
    /// How many items and 一件事 it finds now (with the words managers added).
    pub results: u32,
    /// The last Beijing day it was searched, `YYYY-MM-DD`.
    pub last_day: String,
}

/// An everyday word a manager taught the search: searching it finds the item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchWord {
    pub word: String,
    pub item_code: String,
    pub item_name: String,
    pub added_by: String,
    /// RFC 3339 UTC.
    pub added_at: String,
}

/// `POST /api/admin/search/words`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewSearchWord {
    pub word: String,
    pub item_code: String,
}

/// `GET /api/admin/search`: what people searched in the last `days` days (no person is
/// recorded: only the words, their counts and the day), and the words managers added.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchInsights {
    pub days: u32,
    /// Most searched first.
    pub top: Vec<SearchTerm>,
    /// Searches that find nothing now, most searched first.
    pub not_found: Vec<SearchTerm>,
    pub words: Vec<SearchWord>,
}
