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

/// One year's holiday schedule as a manager enters it from the State Council's notice (and as
/// every known year is sent to the browser): each 放假 range and each 调休上班 day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HolidayYear {
    pub year: i32,
    /// The notice's document number, e.g. `国办发明电〔2026〕7号`.
    pub notice_number: String,
    /// The notice's title, e.g. `国务院办公厅关于2027年部分节假日安排的通知`.
    pub notice_title: String,
    /// Each holiday's rest days (调休 rest days included), in date order.
    pub holidays: Vec<HolidayRange>,
    /// 调休上班: the Saturdays and Sundays that are working days, `YYYY-MM-DD`.
    pub work_days: Vec<String>,
}

/// The rest days of one holiday, `first` to `last` inclusive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HolidayRange {
    /// e.g. `春节`.
    pub name: String,
    /// `YYYY-MM-DD`.
    pub first: String,
    /// `YYYY-MM-DD`.
    pub last: String,
}

/// A year the calendar knows, with where its schedule came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KnownYear {
    pub schedule: HolidayYear,
    /// Where the schedule came from, in Chinese: shipped with this version, `HOLIDAYS_FILE`, or
    /// entered by a manager.
    pub source: String,
    /// The manager who entered it (entered years only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entered_by: Option<String>,
    /// RFC 3339 UTC (entered years only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entered_at: Option<String>,
}

/// `GET /api/calendar/years`: every year whose schedule the server counts with, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarYears {
    pub years: Vec<KnownYear>,
}
