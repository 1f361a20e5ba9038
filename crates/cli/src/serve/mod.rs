//! `fedsplit serve`: the web page and its JSON API, everything embedded.
//!
//! The router is built by `router` so that tests drive it in-process; the
//! subcommand (`cmd::serve`) binds it to a socket.

mod api;
mod error;
mod map;
#[cfg(test)]
mod tests;

use std::any::Any;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use fedsplit_data::Dataset;
use fedsplit_scenario::{examples, spec};
use serde_json::{json, Value};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

pub use error::ApiError;

use crate::args::Format;
use crate::cmd;
use crate::output;

pub const JSON_TYPE: &str = "application/json";

/// How long one request may take, body included.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// The page's policy: only this origin's scripts, styles and requests; no
/// inline script or style, no plugins, no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const INDEX_HTML: &str = include_str!("../../web/index.html");
const APP_JS: &str = include_str!("../../web/app.js");
const STYLE_CSS: &str = include_str!("../../web/style.css");

/// What the handlers share: the dataset and the answers that never change.
pub struct App {
    pub data: Arc<Dataset>,
    health: String,
    sources: String,
    examples: String,
    map: Result<String, String>,
}

impl App {
    fn new(data: Arc<Dataset>) -> App {
        let health = output::json_text(&json!({
            "status": "ok",
            "version": env!("CARGO_PKG_VERSION"),
            "dataset_sha256": data.checksum,
        }));
        let sources = cmd::sources::render(&data, Format::Json);
        let examples = output::json_text(&Value::Array(examples_json()));
        let map = data
            .state_paths()
            .map(|p| output::json_text(&map::map_json(&p)))
            .map_err(|e| e.to_string());
        App {
            data,
            health,
            sources,
            examples,
            map,
        }
    }
}

/// The shipped examples as `{name, description, scenario}`, the scenario as
/// the JSON equivalent of its TOML file (what `POST /api/scenario` takes).
pub fn examples_json() -> Vec<Value> {
    examples::EXAMPLES
        .iter()
        .map(|(name, text)| {
            let description = spec::parse(name, text)
                .map(|s| s.description)
                .unwrap_or_default();
            let scenario = toml::from_str::<Value>(text).unwrap_or(Value::Null);
            json!({ "name": name, "description": description, "scenario": scenario })
        })
        .collect()
}

/// A 200 response with a JSON text.
pub fn json_response(text: String) -> Response {
    ([(header::CONTENT_TYPE, JSON_TYPE)], text).into_response()
}

fn asset(content_type: &'static str, text: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        text,
    )
        .into_response()
}

/// The router: the page, its assets and the API, with the hardening layers.
pub fn router(data: Arc<Dataset>) -> Router {
    let app = Arc::new(App::new(data));
    let api = Router::new()
        .route("/api/health", get(api::health))
        .route("/api/ledger", get(api::ledger))
        .route("/api/explain", get(api::explain))
        .route("/api/blocs", get(api::blocs))
        .route("/api/sources", get(api::sources))
        .route("/api/examples", get(api::examples))
        .route("/api/map", get(api::map))
        .route("/api/scenario", post(api::scenario))
        .with_state(app);
    Router::new()
        .route(
            "/",
            get(|| async { asset("text/html; charset=utf-8", INDEX_HTML) }),
        )
        .route(
            "/index.html",
            get(|| async { asset("text/html; charset=utf-8", INDEX_HTML) }),
        )
        .route(
            "/app.js",
            get(|| async { asset("text/javascript; charset=utf-8", APP_JS) }),
        )
        .route(
            "/style.css",
            get(|| async { asset("text/css; charset=utf-8", STYLE_CSS) }),
        )
        .merge(api)
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(not_found)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(middleware::from_fn(json_errors))
        .layer(header_layer(
            header::CONTENT_SECURITY_POLICY,
            CONTENT_SECURITY_POLICY,
        ))
        .layer(header_layer(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header_layer(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header_layer(header::REFERRER_POLICY, "no-referrer"))
        .layer(header_layer(
            HeaderName::from_static("cross-origin-resource-policy"),
            "same-origin",
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

fn header_layer(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
}

fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

async fn not_found(request: Request) -> Response {
    let path = request.uri().path();
    if is_api(path) {
        ApiError::new(StatusCode::NOT_FOUND, "", format!("no API endpoint {path}")).into_response()
    } else {
        (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "not found\n",
        )
            .into_response()
    }
}

async fn method_not_allowed(request: Request) -> Response {
    let expected = if request.uri().path() == "/api/scenario" {
        "POST"
    } else {
        "GET"
    };
    let mut response = ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "",
        format!(
            "method {} not allowed on {} (use {expected})",
            request.method(),
            request.uri().path()
        ),
    )
    .into_response();
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static(expected));
    response
}

/// A panic while answering: a JSON 500, the server keeps running.
fn panic_response(_: Box<dyn Any + Send + 'static>) -> Response {
    ApiError::internal("internal error").into_response()
}

/// Error responses from the layers (timeout) carry no body: under `/api/`
/// they get the JSON error body like every other API error.
async fn json_errors(request: Request, next: Next) -> Response {
    let api = is_api(request.uri().path());
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(JSON_TYPE.as_bytes()));
    if !api || is_json || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let message = match status {
        StatusCode::REQUEST_TIMEOUT => format!(
            "the request took longer than {} s",
            REQUEST_TIMEOUT.as_secs()
        ),
        other => other
            .canonical_reason()
            .unwrap_or("request failed")
            .to_lowercase(),
    };
    let (mut parts, _) = response.into_parts();
    let error = ApiError::new(status, "", message);
    parts
        .headers
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_TYPE));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(error.body()))
}
