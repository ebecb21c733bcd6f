//! The client's network address, for rate limits and the audit log, and the deployment facts
//! that decide it: which proxies may tell us the client's address (`TRUSTED_PROXIES`) and the
//! public address of the site (`PUBLIC_URL`).

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use crate::AppState;

/// The client's address. With a socket peer (`main.rs` serves with connect info) it is the
/// peer, unless the peer is one of [`Deployment::trusted_proxies`]: then the rightmost
/// `X-Forwarded-For` hop that is not itself a trusted proxy. A forwarded header from any other
/// peer is ignored: any client can write one, and it would let a caller dodge the per-address
/// limits. Without a socket peer — the in-process test router — the first `X-Forwarded-For`
/// entry if present, else `unknown`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAddress(pub String);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let forwarded = || {
            parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(|v| v.chars().take(64).collect::<String>())
                .collect::<Vec<_>>()
        };
        if let Some(ConnectInfo(peer)) = parts.extensions.get::<ConnectInfo<SocketAddr>>() {
            let peer = canonical(peer.ip());
            return Ok(ClientAddress(
                state
                    .deployment
                    .client_behind(peer, &forwarded())
                    .to_string(),
            ));
        }
        Ok(ClientAddress(
            forwarded()
                .into_iter()
                .next()
                .unwrap_or_else(|| "unknown".into()),
        ))
    }
}

/// The key under which `address` is counted by per-address limits: IPv6 addresses by their
/// /64 (one household or office network usually has a whole /64 to pick addresses from),
/// anything else as it is.
pub fn limit_key(address: &str) -> String {
    match address.parse::<IpAddr>().map(canonical) {
        Ok(IpAddr::V6(v6)) => {
            let bits = u128::from(v6) & !((1u128 << 64) - 1);
            format!("{}/64", std::net::Ipv6Addr::from(bits))
        }
        Ok(ip) => ip.to_string(),
        Err(_) => address.to_string(),
    }
}

/// IPv4-mapped IPv6 addresses (`::ffff:1.2.3.4`, from dual-stack sockets) as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// An IP network: an address and a prefix length (`10.0.0.0/8`, `2001:db8::/32`, or a single
/// address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNet {
    base: IpAddr,
    prefix: u8,
}

impl IpNet {
    pub fn parse(text: &str) -> Result<IpNet, String> {
        let text = text.trim();
        let (ip, prefix) = match text.split_once('/') {
            Some((ip, prefix)) => (ip, Some(prefix)),
            None => (text, None),
        };
        let base = canonical(
            ip.parse::<IpAddr>()
                .map_err(|_| format!("{text:?} is not an IP address or network"))?,
        );
        let max = if base.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("{text:?}: prefix length must be 0 to {max}"))?,
        };
        Ok(IpNet { base, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let mask = |bits: u32, width: u32| -> u128 {
            if bits == 0 {
                0
            } else {
                (u128::MAX << (width - bits)) & (u128::MAX >> (128 - width))
            }
        };
        match (self.base, canonical(ip)) {
            (IpAddr::V4(base), IpAddr::V4(ip)) => {
                let m = mask(self.prefix.into(), 32);
                u128::from(u32::from(base)) & m == u128::from(u32::from(ip)) & m
            }
            (IpAddr::V6(base), IpAddr::V6(ip)) => {
                let m = mask(self.prefix.into(), 128);
                u128::from(base) & m == u128::from(ip) & m
            }
            _ => false,
        }
    }
}

/// How this server is deployed: read from the environment by `main.rs`, defaults for a local
/// run (no proxy, plain http).
#[derive(Debug, Clone, Default)]
pub struct Deployment {
    /// Peers whose `X-Forwarded-For` is believed (`TRUSTED_PROXIES`).
    pub trusted_proxies: Vec<IpNet>,
    /// The public origin (`PUBLIC_URL`), lower-case, without a trailing slash or path:
    /// `https://banshi.example.gov.cn`.
    pub public_origin: Option<String>,
}

impl Deployment {
    /// `TRUSTED_PROXIES`: comma-separated addresses or networks.
    pub fn parse_trusted_proxies(text: &str) -> Result<Vec<IpNet>, String> {
        text.split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(IpNet::parse)
            .collect::<Result<_, _>>()
            .map_err(|e| format!("TRUSTED_PROXIES: {e}"))
    }

    /// `PUBLIC_URL`: `http://…` or `https://…`; only its origin (scheme, host, port) counts.
    pub fn parse_public_url(text: &str) -> Result<String, String> {
        let text = text.trim().to_ascii_lowercase();
        let Some((scheme, rest)) = text.split_once("://") else {
            return Err(format!(
                "PUBLIC_URL={text} must start with https:// or http://"
            ));
        };
        if scheme != "https" && scheme != "http" {
            return Err(format!(
                "PUBLIC_URL={text} must start with https:// or http://"
            ));
        }
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        if host.is_empty() || host.contains('@') {
            return Err(format!("PUBLIC_URL={text} has no host"));
        }
        Ok(format!("{scheme}://{host}"))
    }

    /// Whether the site is served over https (`PUBLIC_URL=https://…`): cookies are `Secure`
    /// and browsers are told to keep to https (HSTS).
    pub fn https(&self) -> bool {
        self.public_origin
            .as_deref()
            .is_some_and(|o| o.starts_with("https://"))
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.trusted_proxies.iter().any(|net| net.contains(ip))
    }

    /// The client's address for a connection from `peer` carrying `forwarded` hops
    /// (`X-Forwarded-For`, leftmost first): walking from the right, the first hop that is not a
    /// trusted proxy. A malformed hop ends the walk there (whatever a client wrote to its left
    /// is not believed); a chain of only trusted proxies gives its leftmost.
    pub fn client_behind(&self, peer: IpAddr, forwarded: &[String]) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let mut client = peer;
        for hop in forwarded.iter().rev() {
            match hop.parse::<IpAddr>().map(canonical) {
                Ok(ip) => {
                    client = ip;
                    if !self.trusts(ip) {
                        break;
                    }
                }
                Err(_) => break,
            }
        }
        client
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_and_hops() {
        let net = IpNet::parse("10.0.0.0/8").unwrap();
        assert!(net.contains("10.1.2.3".parse().unwrap()));
        assert!(!net.contains("11.1.2.3".parse().unwrap()));
        assert!(net.contains("::ffff:10.0.0.1".parse().unwrap()));
        assert!(IpNet::parse("0.0.0.0/0")
            .unwrap()
            .contains("8.8.8.8".parse().unwrap()));
        assert!(IpNet::parse("10.0.0.0/33").is_err());
        let v6 = IpNet::parse("2001:db8::/32").unwrap();
        assert!(v6.contains("2001:db8:1::5".parse().unwrap()));
        assert!(!v6.contains("2001:db9::5".parse().unwrap()));

        let deployment = Deployment {
            trusted_proxies: Deployment::parse_trusted_proxies("10.0.0.1, 10.9.0.0/16").unwrap(),
            public_origin: None,
        };
        let hops = |s: &str| {
            s.split(',')
                .map(|h| h.trim().to_string())
                .collect::<Vec<_>>()
        };
        let trusted: IpAddr = "10.0.0.1".parse().unwrap();
        assert_eq!(
            deployment.client_behind(trusted, &hops("1.1.1.1, 203.0.113.5, 10.9.3.3")),
            "203.0.113.5".parse::<IpAddr>().unwrap()
        );
        let stranger: IpAddr = "192.0.2.9".parse().unwrap();
        assert_eq!(
            deployment.client_behind(stranger, &hops("203.0.113.5")),
            stranger
        );
        assert_eq!(deployment.client_behind(trusted, &[]), trusted);
    }

    #[test]
    fn ipv6_counts_by_64() {
        assert_eq!(limit_key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(limit_key("2001:db8:1:2:bbbb::9"), "2001:db8:1:2::/64");
        assert_eq!(limit_key("203.0.113.5"), "203.0.113.5");
        assert_eq!(limit_key("unknown"), "unknown");
    }

    #[test]
    fn public_urls() {
        assert_eq!(
            Deployment::parse_public_url("HTTPS://Banshi.Example:8443/portal/").unwrap(),
            "https://banshi.example:8443"
        );
        assert!(Deployment::parse_public_url("ftp://x").is_err());
        assert!(Deployment::parse_public_url("https://").is_err());
    }
}
