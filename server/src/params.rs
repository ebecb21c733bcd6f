//! Query-string parsing whose every failure names the parameter in Chinese.
//!
//! axum's `Query` extractor answers malformed input with plain text; the API promises its one
//! JSON error shape instead, so handlers read parameters through [`Params`].

use std::collections::HashMap;
use std::ops::RangeInclusive;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use percent_encoding::percent_decode_str;

use crate::error::AppError;

pub struct Params(HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Params::parse(parts.uri.query().unwrap_or(""))
    }
}

impl Params {
    pub fn parse(query: &str) -> Result<Self, AppError> {
        let mut map = HashMap::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| {
                percent_decode_str(&s.replace('+', " "))
                    .decode_utf8()
                    .map(|c| c.into_owned())
                    .map_err(|_| {
                        AppError::bad_param(key, format!("参数 {key} 不是有效的 UTF-8 文本"))
                    })
            };
            map.insert(decode(key)?, decode(value)?);
        }
        Ok(Params(map))
    }

    /// A text parameter; empty counts as absent. `label` is its Chinese name for messages.
    pub fn text(
        &self,
        name: &str,
        label: &str,
        max_chars: usize,
    ) -> Result<Option<String>, AppError> {
        match self.0.get(name).map(|v| v.trim()) {
            None | Some("") => Ok(None),
            Some(v) if v.chars().count() > max_chars => Err(AppError::bad_param(
                name,
                format!("{label}（参数 {name}）最多 {max_chars} 个字"),
            )),
            Some(v) => Ok(Some(v.to_string())),
        }
    }

    pub fn required_text(
        &self,
        name: &str,
        label: &str,
        max_chars: usize,
    ) -> Result<String, AppError> {
        self.text(name, label, max_chars)?
            .ok_or_else(|| AppError::bad_param(name, format!("缺少{label}（参数 {name}）")))
    }

    pub fn number(
        &self,
        name: &str,
        label: &str,
        range: RangeInclusive<u32>,
    ) -> Result<Option<u32>, AppError> {
        let Some(raw) = self.text(name, label, 12)? else {
            return Ok(None);
        };
        match raw.parse::<u32>() {
            Ok(n) if range.contains(&n) => Ok(Some(n)),
            _ => Err(AppError::bad_param(
                name,
                format!(
                    "{label}（参数 {name}）应为 {} 到 {} 之间的整数",
                    range.start(),
                    range.end()
                ),
            )),
        }
    }

    pub fn required_number(
        &self,
        name: &str,
        label: &str,
        range: RangeInclusive<u32>,
    ) -> Result<u32, AppError> {
        self.number(name, label, range)?
            .ok_or_else(|| AppError::bad_param(name, format!("缺少{label}（参数 {name}）")))
    }
}
