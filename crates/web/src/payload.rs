//! Response bodies served as they are or gzip-compressed, whichever the
//! client accepts, with a strong ETag: a payload is compressed once (the
//! page's assets, the answers that never change, the cached answers) and
//! then served from memory.

use std::io::Write;
use std::sync::OnceLock;

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use flate2::write::GzEncoder;
use flate2::Compression;
use sha2::{Digest, Sha256};

/// Bodies smaller than this are not worth compressing.
const MIN_COMPRESS: usize = 1024;

/// A body, its gzip form (made on first use) and its ETag.
pub struct Payload {
    content_type: &'static str,
    identity: Bytes,
    gzip: OnceLock<Bytes>,
    etag: HeaderValue,
}

impl Payload {
    pub fn new(content_type: &'static str, body: impl Into<Bytes>) -> Payload {
        let identity: Bytes = body.into();
        let digest = Sha256::digest(&identity);
        let etag = format!("\"{}\"", hex(&digest[..12]));
        Payload {
            content_type,
            identity,
            gzip: OnceLock::new(),
            etag: HeaderValue::from_str(&etag).expect("hex is a valid header"),
        }
    }

    /// The body as the request asks: 304 when its If-None-Match names this
    /// ETag, gzip when it accepts gzip and the body is large enough.
    pub fn respond(&self, request: &HeaderMap, cache_control: &'static str) -> Response {
        let mut headers = HeaderMap::new();
        headers.insert(header::ETAG, self.etag.clone());
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(cache_control),
        );
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if if_none_match(request, &self.etag) {
            return (StatusCode::NOT_MODIFIED, headers).into_response();
        }
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(self.content_type),
        );
        if accepts_gzip(request) && self.identity.len() >= MIN_COMPRESS {
            let body = self
                .gzip
                .get_or_init(|| gzip(&self.identity, Compression::best()))
                .clone();
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            return (headers, body).into_response();
        }
        (headers, self.identity.clone()).into_response()
    }
}

/// A body made for one request: gzip (fast level) when accepted.
pub fn respond_once(request: &HeaderMap, content_type: &'static str, body: String) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if accepts_gzip(request) && body.len() >= MIN_COMPRESS {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        return (headers, gzip(body.as_bytes(), Compression::fast())).into_response();
    }
    (headers, body).into_response()
}

fn gzip(data: &[u8], level: Compression) -> Bytes {
    let mut encoder = GzEncoder::new(Vec::with_capacity(data.len() / 4), level);
    encoder.write_all(data).expect("writing to memory");
    Bytes::from(encoder.finish().expect("writing to memory"))
}

/// Whether Accept-Encoding lists gzip (and does not refuse it with q=0).
pub fn accepts_gzip(request: &HeaderMap) -> bool {
    request
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let coding = parts.next().unwrap_or("");
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q == 0.0)
            });
            (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !refused
        })
}

fn if_none_match(request: &HeaderMap, etag: &HeaderValue) -> bool {
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| {
            let tag = tag.trim();
            tag == "*" || tag.trim_start_matches("W/") == etag.to_str().unwrap_or("")
        })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn gzip_is_served_only_when_accepted() {
        assert!(accepts_gzip(&headers(&[(
            "accept-encoding",
            "gzip, deflate, br"
        )])));
        assert!(accepts_gzip(&headers(&[(
            "accept-encoding",
            "br;q=1.0, gzip;q=0.8"
        )])));
        assert!(!accepts_gzip(&headers(&[("accept-encoding", "gzip;q=0")])));
        assert!(!accepts_gzip(&headers(&[("accept-encoding", "identity")])));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }

    #[test]
    fn payload_round_trips_and_answers_304() {
        let text = "x".repeat(5000);
        let p = Payload::new("text/plain", text.clone());
        let r = p.respond(&headers(&[("accept-encoding", "gzip")]), "no-cache");
        assert_eq!(r.headers()[header::CONTENT_ENCODING], "gzip");
        let etag = r.headers()[header::ETAG].clone();
        let gz = p.gzip.get().unwrap();
        let mut out = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut out)
            .unwrap();
        assert_eq!(out, text);
        let mut again = HeaderMap::new();
        again.insert(header::IF_NONE_MATCH, etag);
        assert_eq!(
            p.respond(&again, "no-cache").status(),
            StatusCode::NOT_MODIFIED
        );
        let plain = p.respond(&HeaderMap::new(), "no-cache");
        assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
    }
}
