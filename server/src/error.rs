//! The API's one error type and its single JSON shape (`app::api::ApiError`).
//!
//! Handlers answer errors through [`AppError`]. What axum and tower answer by themselves — 405
//! for a wrong method, 413 from the body limit, a path segment that cannot be read, a panic —
//! is rewritten into the same shape by [`api_answers`] and [`panic_answer`], which also mark
//! every API answer `Cache-Control: no-store` unless it chose its own caching.

use std::any::Any;
use std::collections::BTreeMap;

use app::api::ApiError;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
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
    /// Well-formed but one field's value cannot be answered (422), naming it, e.g. a statistics
    /// period that ends before it starts.
    #[error("{message}")]
    UnprocessableField { field: String, message: String },
    /// Well-formed but several fields' values cannot be accepted (422), every one named in
    /// `fields`, e.g. a new staff account or a holiday year entered by a manager.
    #[error("{message}")]
    InvalidFields {
        message: String,
        fields: BTreeMap<String, String>,
    },
    /// The request conflicts with the current state (409), e.g. an invalid case transition.
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// Too many attempts (429); `retry_after` seconds until one is accepted again.
    #[error("{message}")]
    TooManyRequests { message: String, retry_after: u64 },
    /// Refused whoever is asking (403), e.g. a state change sent from another website.
    #[error("{message}")]
    Forbidden { message: String },
    /// Refused whoever is asking because of one field's value (403), naming it, e.g. a
    /// 统一社会信用代码 this phone may not act for.
    #[error("{message}")]
    ForbiddenField {
        code: &'static str,
        field: &'static str,
        message: String,
    },
    /// Locked after too many wrong codes (423).
    #[error("{message}")]
    Locked { message: String },
    /// An upload over the size limit (413).
    #[error("{message}")]
    PayloadTooLarge { message: String },
    /// An upload that would pass an upload quota (413, code `quota_exceeded`).
    #[error("{message}")]
    QuotaExceeded { message: String },
    /// An upload whose content is not an accepted file type (415).
    #[error("{message}")]
    UnsupportedType { message: String },
    /// This server cannot serve now (503), e.g. readiness when the database does not answer.
    #[error("{message}")]
    Unavailable {
        code: &'static str,
        message: String,
        fields: BTreeMap<String, String>,
    },
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
        AppError::Fields {
            message: fields_message(&fields),
            fields,
        }
    }

    /// Field id → message, answered 422; the overall message as in [`AppError::fields`].
    pub fn invalid(fields: BTreeMap<String, String>) -> Self {
        AppError::InvalidFields {
            message: fields_message(&fields),
            fields,
        }
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
                    request_id: None,
                },
            ),
            AppError::NotFound { message } => (
                StatusCode::NOT_FOUND,
                ApiError {
                    code: "not_found".into(),
                    message: message.clone(),
                    fields: None,
                    request_id: None,
                },
            ),
            AppError::Fields { message, fields } => (
                StatusCode::BAD_REQUEST,
                ApiError {
                    code: "invalid_field".into(),
                    message: message.clone(),
                    fields: Some(fields.clone()),
                    request_id: None,
                },
            ),
            AppError::Unauthorized { message } => {
                (StatusCode::UNAUTHORIZED, plain("unauthorized", message))
            }
            AppError::Unprocessable { code, message } => {
                (StatusCode::UNPROCESSABLE_ENTITY, plain(code, message))
            }
            AppError::UnprocessableField { field, message } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ApiError {
                    code: "invalid_field".into(),
                    message: message.clone(),
                    fields: Some(BTreeMap::from([(field.clone(), message.clone())])),
                    request_id: None,
                },
            ),
            AppError::InvalidFields { message, fields } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ApiError {
                    code: "invalid_field".into(),
                    message: message.clone(),
                    fields: Some(fields.clone()),
                    request_id: None,
                },
            ),
            AppError::Conflict { code, message } => (StatusCode::CONFLICT, plain(code, message)),
            AppError::TooManyRequests { message, .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                plain("rate_limited", message),
            ),
            AppError::Forbidden { message } => (StatusCode::FORBIDDEN, plain("forbidden", message)),
            AppError::ForbiddenField {
                code,
                field,
                message,
            } => (
                StatusCode::FORBIDDEN,
                ApiError {
                    code: (*code).into(),
                    message: message.clone(),
                    fields: Some(BTreeMap::from([(field.to_string(), message.clone())])),
                    request_id: None,
                },
            ),
            AppError::Locked { message } => (StatusCode::LOCKED, plain("locked", message)),
            AppError::PayloadTooLarge { message } => {
                (StatusCode::PAYLOAD_TOO_LARGE, plain("too_large", message))
            }
            AppError::QuotaExceeded { message } => (
                StatusCode::PAYLOAD_TOO_LARGE,
                plain("quota_exceeded", message),
            ),
            AppError::UnsupportedType { message } => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                plain("unsupported_type", message),
            ),
            AppError::Unavailable {
                code,
                message,
                fields,
            } => (
                StatusCode::SERVICE_UNAVAILABLE,
                ApiError {
                    code: (*code).into(),
                    message: message.clone(),
                    fields: Some(fields.clone()),
                    request_id: None,
                },
            ),
            AppError::Database(_) | AppError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                ApiError {
                    code: "internal".into(),
                    message: INTERNAL_MESSAGE.into(),
                    fields: None,
                    request_id: None,
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
        request_id: None,
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

/// An answer in the one error shape, as the OpenAPI document describes it.
pub fn documented_error(description: &str) -> utoipa::openapi::Response {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ApiError")))
                .build(),
        )
        .build()
}

/// The answer for any `/api/...` path that no route handles.
pub async fn api_not_found() -> AppError {
    AppError::not_found("没有这个接口，请检查地址是否正确")
}

/// Wraps every answer of the router (see [`crate::finish`]):
///
/// - an error answer under `/api/` or `/assets/` that is not already JSON — axum's empty 405,
///   the body limit's plain-text 413, a path rejection's plain-text 400 — becomes the one JSON
///   shape with a Chinese message (keeping headers such as `Allow`);
/// - every `/api/` answer without its own `Cache-Control` gets `no-store`: most carry personal
///   data (sessions, cases, `/api/track`, downloads), and a list of exceptions would drift as
///   routes are added. Public answers that may be cached say so themselves (the QR code).
pub async fn api_answers(request: Request, next: Next) -> Response {
    let request_id = request
        .headers()
        .get(crate::request_id::HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let path = request.uri().path();
    let api = path.starts_with("/api/");
    let shaped = api || path.starts_with("/assets/");
    let method = request.method().clone();
    let mut response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if shaped && (status.is_client_error() || status.is_server_error()) && !is_json {
        let mut shaped = (status, Json(error_for_status(status, &method))).into_response();
        for (name, value) in response.headers() {
            // The body is new: only what describes it goes; `Allow`, `Retry-After` … stay.
            if ![
                header::CONTENT_TYPE,
                header::CONTENT_LENGTH,
                header::CONTENT_ENCODING,
            ]
            .contains(name)
            {
                shaped.headers_mut().insert(name.clone(), value.clone());
            }
        }
        response = shaped;
    }
    if api && !response.headers().contains_key(header::CACHE_CONTROL) {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    match request_id {
        Some(id) if (status.is_client_error() || status.is_server_error()) => {
            with_request_id(response, id).await
        }
        _ => response,
    }
}

/// The largest error body that is given its request id (error bodies are a few hundred bytes).
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// An error answer in the one JSON shape, with `request_id` filled in: whoever phrased the
/// error (a handler's [`AppError`], the shaping above, a panic), the body names the request
/// that the log lines of its span carry. Other answers pass unchanged.
async fn with_request_id(response: Response, id: String) -> Response {
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !is_json || response.headers().contains_key(header::CONTENT_ENCODING) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, ERROR_BODY_LIMIT).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::warn!(error = %e, "could not read an error body");
            return (
                parts.status,
                Json(error_for_status(parts.status, &Method::GET)),
            )
                .into_response();
        }
    };
    let body = match serde_json::from_slice::<ApiError>(&bytes) {
        Ok(mut error) => {
            error.request_id.get_or_insert(id);
            parts.headers.remove(header::CONTENT_LENGTH);
            axum::body::Body::from(serde_json::to_vec(&error).unwrap_or_else(|_| bytes.to_vec()))
        }
        Err(_) => axum::body::Body::from(bytes),
    };
    Response::from_parts(parts, body)
}

/// The JSON body for an error that no handler phrased.
fn error_for_status(status: StatusCode, method: &Method) -> ApiError {
    let (code, message, field) = match status {
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            format!("该接口不支持 {method} 请求，请按接口文档使用正确的请求方法"),
            None,
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "too_large",
            "请求内容过大，超过了该接口允许的大小".to_string(),
            None,
        ),
        StatusCode::REQUEST_TIMEOUT => (
            "timeout",
            "请求超时：没有在规定时间内收到完整的请求，请检查网络后重试".to_string(),
            None,
        ),
        StatusCode::NOT_FOUND => (
            "not_found",
            "没有找到这个地址，请检查是否输入正确".to_string(),
            None,
        ),
        StatusCode::BAD_REQUEST => (
            "invalid_field",
            "请求地址中的参数格式不正确，请检查后重试".to_string(),
            Some("path"),
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "unsupported_type",
            "请求内容的类型不受支持".to_string(),
            None,
        ),
        s if s.is_server_error() => ("internal", INTERNAL_MESSAGE.to_string(), None),
        _ => (
            "bad_request",
            "请求无法处理，请检查后重试".to_string(),
            None,
        ),
    };
    ApiError {
        code: code.into(),
        fields: field.map(|f| BTreeMap::from([(f.to_string(), message.clone())])),
        message,
        request_id: None,
    }
}

const INTERNAL_MESSAGE: &str = "服务暂时出现问题，请稍后再试；如需帮助请拨打 12345。";

/// The answer to a handler that panicked: the one JSON shape, logged, no detail leaked.
pub fn panic_answer(panic: Box<dyn Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("");
    // Logged by `into_response`, as every server error is.
    AppError::Internal(format!("panic: {detail}")).into_response()
}

/// The overall message of a several-field answer: the one message, or how many need attention.
fn fields_message(fields: &BTreeMap<String, String>) -> String {
    match fields.values().next() {
        Some(only) if fields.len() == 1 => only.clone(),
        _ => format!("有 {} 处需要修改，请按提示逐项更正", fields.len()),
    }
}
