use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The one JSON shape of every error the API returns.
///
/// `message` is a Chinese sentence meant for people; `code` is stable for programs;
/// `fields` maps a field or query parameter name to a Chinese message naming it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, String>>,
}
