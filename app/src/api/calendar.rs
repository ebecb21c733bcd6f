use serde::{Deserialize, Serialize};

/// `GET /api/calendar/due?from=YYYY-MM-DD&working_days=N`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DueDate {
    /// The day the case must be finished by, `YYYY-MM-DD`.
    pub due: String,
    /// Every rest day passed over between acceptance and `due`, in date order.
    pub skipped: Vec<SkippedDay>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SkippedDay {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Why it is not a working day, in Chinese: `周六`, `周日`, `春节`, `国庆节` …
    pub reason: String,
}
