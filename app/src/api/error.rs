use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The one JSON shape of every error the API returns.
///
/// `message` is a Chinese sentence meant for people; `code` is stable for programs;
/// `fields` maps a field or query parameter name to a Chinese message naming it;
/// `request_id` is the request's `X-Request-Id`, also found in the server's log lines, so a
/// complaint quoting it can be traced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}
