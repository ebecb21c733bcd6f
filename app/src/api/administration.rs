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
