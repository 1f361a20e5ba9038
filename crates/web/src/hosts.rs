//! The DNS-rebinding guard: a request must name, in its Host header, this
//! machine (localhost or a loopback address), the address the server is
//! bound to, or a name allowed with `--allow-host`. A page on another site
//! whose name an attacker points at 127.0.0.1 sends its own name: refused.

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::ApiError;

/// The Host names (and addresses) requests may name.
#[derive(Debug, Clone, Default)]
pub struct AllowedHosts {
    /// The address the server listens on: its literal is allowed; when it is
    /// unspecified (0.0.0.0, ::), any IP literal is.
    pub bind: Option<IpAddr>,
    /// Names allowed besides (`--allow-host`), compared without case.
    pub names: Vec<String>,
}

impl AllowedHosts {
    /// Whether a Host header value (with or without a port) is allowed.
    pub fn allows(&self, host: &str) -> bool {
        let name = strip_port(host);
        if name.eq_ignore_ascii_case("localhost")
            || name.to_ascii_lowercase().ends_with(".localhost")
        {
            return true;
        }
        if self.names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            return true;
        }
        match name
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
        {
            Ok(ip) => {
                ip.is_loopback()
                    || Some(ip) == self.bind
                    || self.bind.is_some_and(|b| b.is_unspecified())
            }
            Err(_) => false,
        }
    }
}

/// `name:port` → `name`; `[::1]:8080` → `[::1]`.
fn strip_port(host: &str) -> &str {
    let host = host.trim();
    if let Some(end) = host.find(']') {
        return &host[..=end];
    }
    match host.rsplit_once(':') {
        Some((name, port)) if !name.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => {
            name
        }
        _ => host,
    }
}

/// Refuses a request whose Host is not allowed (403). A request without a
/// Host header (not a browser's) passes.
pub async fn check(
    State(hosts): State<Arc<AllowedHosts>>,
    request: Request,
    next: Next,
) -> Response {
    if let Some(host) = request.headers().get(header::HOST) {
        let allowed = host.to_str().map(|h| hosts.allows(h)).unwrap_or(false);
        if !allowed {
            let shown = String::from_utf8_lossy(host.as_bytes()).into_owned();
            return ApiError::new(
                StatusCode::FORBIDDEN,
                "host",
                format!(
                    "Host {shown:?} is not this server (use localhost or the bound address, or start it with --allow-host)"
                ),
            )
            .into_response();
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        let local = AllowedHosts {
            bind: Some("127.0.0.1".parse().unwrap()),
            names: vec!["fedsplit.example".into()],
        };
        for ok in [
            "localhost",
            "localhost:8080",
            "127.0.0.1:8080",
            "[::1]:8080",
            "app.localhost",
            "FEDSPLIT.example:80",
        ] {
            assert!(local.allows(ok), "{ok}");
        }
        for bad in [
            "evil.com",
            "evil.com:8080",
            "10.0.0.5",
            "127.0.0.1.evil.com",
            "",
        ] {
            assert!(!local.allows(bad), "{bad}");
        }
        let any = AllowedHosts {
            bind: Some("0.0.0.0".parse().unwrap()),
            names: vec![],
        };
        assert!(any.allows("10.0.0.5:8080"));
        assert!(!any.allows("evil.com"));
    }
}
