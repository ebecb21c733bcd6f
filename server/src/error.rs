//! The API's one error type and its single JSON shape (`app::api::ApiError`).

use std::collections::BTreeMap;

use app::api::ApiError;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A query parameter, path segment or body field is malformed (400), naming it.
    #[error("{message}")]
    BadRequest { field: String, message: String },
    /// The thing asked for does not exist (404).
    #[error("{message}")]
    NotFound { message: String },
    /// Several fields are wrong at once (400): every one is named in `fields`.
    #[error("{message}")]
    Fields {
        message: String,
        fields: BTreeMap<String, String>,
    },
    /// Not signed in, or the sign-in failed (401).
    #[error("{message}")]
    Unauthorized { message: String },
    /// Well-formed but cannot be answered (422), e.g. a year whose holidays are not published.
    #[error("{message}")]
    Unprocessable { code: &'static str, message: String },
    /// The request conflicts with the current state (409), e.g. an invalid case transition.
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// Too many attempts (429); `retry_after` seconds until one is accepted again.
    #[error("{message}")]
    TooManyRequests { message: String, retry_after: u64 },
    /// Refused whoever is asking (403), e.g. a state change sent from another website.
    #[error("{message}")]
    Forbidden { message: String },
    /// Locked after too many wrong codes (423).
    #[error("{message}")]
    Locked { message: String },
    /// An upload over the size limit (413).
    #[error("{message}")]
    PayloadTooLarge { message: String },
    /// An upload whose content is not an accepted file type (415).
    #[error("{message}")]
    UnsupportedType { message: String },
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("internal: {0}")]
    Internal(String),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn bad_param(field: &str, message: impl Into<String>) -> Self {
        AppError::BadRequest {
            field: field.to_string(),
            message: message.into(),
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        AppError::NotFound {
            message: message.into(),
        }
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        AppError::Unauthorized {
            message: message.into(),
        }
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        AppError::Conflict {
            code,
            message: message.into(),
        }
    }

    /// Field id → message; the overall message lists how many need attention.
    pub fn fields(fields: BTreeMap<String, String>) -> Self {
        let message = match fields.values().next() {
            Some(only) if fields.len() == 1 => only.clone(),
            _ => format!("有 {} 处需要修改，请按提示逐项更正", fields.len()),
        };
        AppError::Fields { message, fields }
    }

    pub fn unprocessable(code: &'static str, message: impl Into<String>) -> Self {
        AppError::Unprocessable {
            code,
            message: message.into(),
        }
    }

    fn status_and_body(&self) -> (StatusCode, ApiError) {
        match self {
            AppError::BadRequest { field, message } => (
                StatusCode::BAD_REQUEST,
                ApiError {
                    code: "invalid_field".into(),
                    message: message.clone(),
                    fields: Some(BTreeMap::from([(field.clone(), message.clone())])),
                },
            ),
            AppError::NotFound { message } => (
                StatusCode::NOT_FOUND,
                ApiError {
                    code: "not_found".into(),
                    message: message.clone(),
                    fields: None,
                },
            ),
            AppError::Fields { message, fields } => (
                StatusCode::BAD_REQUEST,
                ApiError {
                    code: "invalid_field".into(),
                    message: message.clone(),
                    fields: Some(fields.clone()),
                },
            ),
            AppError::Unauthorized { message } => {
                (StatusCode::UNAUTHORIZED, plain("unauthorized", message))
            }
            AppError::Unprocessable { code, message } => {
                (StatusCode::UNPROCESSABLE_ENTITY, plain(code, message))
            }
            AppError::Conflict { code, message } => (StatusCode::CONFLICT, plain(code, message)),
            AppError::TooManyRequests { message, .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                plain("rate_limited", message),
            ),
            AppError::Forbidden { message } => (StatusCode::FORBIDDEN, plain("forbidden", message)),
            AppError::Locked { message } => (StatusCode::LOCKED, plain("locked", message)),
            AppError::PayloadTooLarge { message } => {
                (StatusCode::PAYLOAD_TOO_LARGE, plain("too_large", message))
            }
            AppError::UnsupportedType { message } => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                plain("unsupported_type", message),
            ),
            AppError::Database(_) | AppError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                ApiError {
                    code: "internal".into(),
                    message: "服务暂时出现问题，请稍后再试；如需帮助请拨打 12345。".into(),
                    fields: None,
                },
            ),
        }
    }
}

fn plain(code: &str, message: &str) -> ApiError {
    ApiError {
        code: code.into(),
        message: message.into(),
        fields: None,
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, body) = self.status_and_body();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let mut response = (status, Json(body)).into_response();
        if let AppError::TooManyRequests { retry_after, .. } = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after.max(1)));
        }
        response
    }
}

/// The answer for any `/api/...` path that no route handles.
pub async fn api_not_found() -> AppError {
    AppError::not_found("没有这个接口，请检查地址是否正确")
}
