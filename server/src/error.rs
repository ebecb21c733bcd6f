//! The API's one error type and its single JSON shape (`app::api::ApiError`).

use std::collections::BTreeMap;

use app::api::ApiError;
use axum::http::StatusCode;
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
    /// Well-formed but cannot be answered (422), e.g. a year whose holidays are not published.
    #[error("{message}")]
    Unprocessable { code: &'static str, message: String },
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("internal: {0}")]
    Internal(String),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn bad_param(field: &str, message: impl Into<String>) -> Self {
        AppError::BadRequest { field: field.to_string(), message: message.into() }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        AppError::NotFound { message: message.into() }
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
                ApiError { code: "not_found".into(), message: message.clone(), fields: None },
            ),
            AppError::Unprocessable { code, message } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ApiError { code: (*code).into(), message: message.clone(), fields: None },
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

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, body) = self.status_and_body();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        (status, Json(body)).into_response()
    }
}

/// The answer for any `/api/...` path that no route handles.
pub async fn api_not_found() -> AppError {
    AppError::not_found("没有这个接口，请检查地址是否正确")
}
