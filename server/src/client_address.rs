//! The client's network address, for rate limits and the audit log.

use std::convert::Infallible;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

/// The peer address of the connection (`main.rs` serves with connect info). Without one — the
/// in-process test router — the first `X-Forwarded-For` entry if present, else `unknown`.
/// A forwarded header is deliberately not preferred over a real socket address: any client can
/// write one, and it would let a caller dodge the per-address limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAddress(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        if let Some(ConnectInfo(peer)) = parts.extensions.get::<ConnectInfo<SocketAddr>>() {
            return Ok(ClientAddress(peer.ip().to_string()));
        }
        let forwarded = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(|v| v.chars().take(64).collect());
        Ok(ClientAddress(forwarded.unwrap_or_else(|| "unknown".into())))
    }
}
