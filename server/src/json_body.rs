//! JSON request bodies whose every failure answers in the API's one error shape.
//!
//! axum's `Json` extractor rejects malformed input with plain text; handlers take [`JsonBody`]
//! instead so a client always gets `{code, message, fields}` naming the body.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::Json;
use serde::de::DeserializeOwned;

use crate::error::AppError;

pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(JsonBody(value)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(AppError::bad_param(
                "body",
                "请求内容应为 JSON（Content-Type: application/json）",
            )),
            Err(JsonRejection::JsonDataError(e)) => Err(AppError::bad_param(
                "body",
                format!("请求内容的字段不正确：{}", e.body_text()),
            )),
            Err(JsonRejection::JsonSyntaxError(_)) => {
                Err(AppError::bad_param("body", "请求内容不是有效的 JSON"))
            }
            Err(_) => Err(AppError::PayloadTooLarge {
                message: "请求内容过大或读取失败".into(),
            }),
        }
    }
}
