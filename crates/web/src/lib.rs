//! fedsplit's web page and JSON API: the interactive map and every answer
//! the command line gives, served from memory on a local port.
//!
//! The API serialises the same typed answers (`fedsplit-report`) as the
//! command line's `--format json`, byte for byte. Answers that depend only
//! on the dataset are serialised once at start-up; ledger answers are
//! serialised once per option set and then served from a cache.
//!
//! `router` builds the routes so that tests drive them in-process; `serve`
//! binds them to a socket and stops gracefully on SIGINT or SIGTERM.

mod api;
mod error;
mod hosts;
mod payload;
#[cfg(test)]
mod tests;

use std::any::Any;
use std::net::SocketAddr;
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
use fedsplit_ledger::Ledger;
use fedsplit_report::json_text;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

pub use api::BODY_LIMIT;
use axum::extract::State as AxState;
pub use error::ApiError;
pub use hosts::AllowedHosts;
use payload::Payload;

pub const JSON_TYPE: &str = "application/json";

/// How long one request may take, body included.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// The page's policy: only this origin's scripts, styles and requests; no
/// inline script or style, no plugins, no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const INDEX_HTML: &str = include_str!("../assets/index.html");
const APP_JS: &str = include_str!("../assets/app.js");
const STYLE_CSS: &str = include_str!("../assets/style.css");

/// `GET /api/health`'s answer.
#[derive(serde::Serialize)]
struct Health<'a> {
    status: &'static str,
    version: &'static str,
    /// The default year's dataset.
    dataset_sha256: &'a str,
    fiscal_year: u16,
    years: Vec<u16>,
    /// Presidential elections with votes (blocs, stranded voters).
    elections: Vec<u16>,
    /// The shipped ensembles (`POST /api/ensemble`): graph and K of each.
    ensembles: Vec<ShippedEnsemble>,
}

#[derive(serde::Serialize)]
struct ShippedEnsemble {
    name: &'static str,
    graph: &'static str,
    k: usize,
}

/// One fiscal year: its dataset, its prepared ledger, the answers that never
/// change, and the cache of answers per option set.
pub struct Year {
    pub data: &'static Dataset,
    pub ledger: Ledger<'static>,
    sources: Payload,
    cache: api::Cache,
}

/// What the handlers share: every fiscal year, the default one, and the
/// answers that depend on no year.
pub struct App {
    /// Ascending by fiscal year.
    years: Vec<Year>,
    /// The year of requests that name none.
    default_year: u16,
    /// Every year's dataset, ascending (for the series and the report).
    datasets: &'static [Dataset],
    health: Payload,
    examples: Payload,
    /// The shipped ensembles, scored on first use.
    ensembles: api::Ensembles,
    /// The fiscal year whose populations the shipped ensembles are drawn on.
    ensembles_year: u16,
    map: Result<Payload, String>,
    /// The county outlines (compact JSON: 650 KB, 190 KB gzip'd).
    county_map: Result<Payload, String>,
    index_html: Payload,
    app_js: Payload,
    style_css: Payload,
}

impl App {
    /// The datasets live as long as the process: the server never drops them.
    fn new(datasets: Vec<Dataset>, default_year: u16) -> Result<App, WebError> {
        if datasets.is_empty() {
            return Err(WebError::Failed("no dataset to serve".into()));
        }
        let datasets: &'static [Dataset] = Box::leak(datasets.into_boxed_slice());
        let years = datasets
            .iter()
            .map(|data| {
                Ok(Year {
                    data,
                    ledger: Ledger::new(data)?,
                    sources: Payload::new(
                        JSON_TYPE,
                        json_text(&fedsplit_report::sources::build(data)),
                    ),
                    cache: api::Cache::default(),
                })
            })
            .collect::<Result<Vec<_>, fedsplit_ledger::LedgerError>>()?;
        let default = years
            .iter()
            .find(|y| y.data.fiscal_year == default_year)
            .ok_or_else(|| WebError::Failed(format!("no FY{default_year} dataset")))?;
        let health = json_text(&Health {
            status: "ok",
            version: env!("CARGO_PKG_VERSION"),
            dataset_sha256: &default.data.checksum,
            fiscal_year: default_year,
            years: datasets.iter().map(|d| d.fiscal_year).collect(),
            elections: default.data.election_years(),
            ensembles: fedsplit_alliance::shipped::SHIPPED
                .iter()
                .map(|s| ShippedEnsemble {
                    name: s.name,
                    graph: s.graph,
                    k: s.k,
                })
                .collect(),
        });
        let examples = json_text(&fedsplit_report::scenario::examples());
        let ensembles_year = fedsplit_alliance::shipped::SHIPPED
            .first()
            .and_then(|s| s.file().meta().ok())
            .and_then(|meta| fedsplit_report::alliance::drawn_on(&meta))
            .unwrap_or(default_year);
        let map = default
            .data
            .state_paths()
            .map(|p| Payload::new(JSON_TYPE, json_text(&fedsplit_report::map::build(&p))))
            .map_err(|e| e.to_string());
        let county_map = default
            .data
            .counties()
            .map_err(|e| e.to_string())
            .and_then(|c| {
                let paths = default.data.county_paths(&c).map_err(|e| e.to_string())?;
                let map = fedsplit_report::map::counties(&paths, &c).map_err(|e| e.to_string())?;
                serde_json::to_string(&map).map_err(|e| e.to_string())
            })
            .map(|text| Payload::new(JSON_TYPE, text));
        Ok(App {
            years,
            default_year,
            datasets,
            health: Payload::new(JSON_TYPE, health),
            examples: Payload::new(JSON_TYPE, examples),
            ensembles: api::Ensembles::default(),
            ensembles_year,
            map,
            county_map,
            index_html: Payload::new("text/html; charset=utf-8", INDEX_HTML),
            app_js: Payload::new("text/javascript; charset=utf-8", APP_JS),
            style_css: Payload::new("text/css; charset=utf-8", STYLE_CSS),
        })
    }

    /// The year a request asks for (the default when `None`).
    fn year(&self, asked: Option<u16>) -> Option<&Year> {
        let y = asked.unwrap_or(self.default_year);
        self.years.iter().find(|x| x.data.fiscal_year == y)
    }

    fn year_list(&self) -> String {
        self.years
            .iter()
            .map(|y| y.data.fiscal_year.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The page's assets: revalidated by ETag on every load (they change with
/// the binary), compressed when the browser accepts it.
async fn page(AxState(app): AxState<Arc<App>>, request: Request) -> Response {
    let asset = match request.uri().path() {
        "/app.js" => &app.app_js,
        "/style.css" => &app.style_css,
        _ => &app.index_html,
    };
    asset.respond(request.headers(), "no-cache")
}

/// The router over every year of `datasets` (ascending), answering
/// `default_year` when a request names none: the page, its assets and the
/// API, with the hardening layers. `hosts` are the Host names a request may
/// name (DNS rebinding guard).
pub fn router(
    datasets: Vec<Dataset>,
    default_year: u16,
    hosts: AllowedHosts,
) -> Result<Router, WebError> {
    let app = Arc::new(App::new(datasets, default_year)?);
    let api = Router::new()
        .route("/api/health", get(api::health))
        .route("/api/report", get(api::report))
        .route("/api/series", get(api::series))
        .route("/api/ledger", get(api::ledger))
        .route("/api/explain", get(api::explain))
        .route("/api/blocs", get(api::blocs))
        .route("/api/sources", get(api::sources))
        .route("/api/examples", get(api::examples))
        .route("/api/map", get(api::map))
        .route("/api/scenario", post(api::scenario))
        .route("/api/ensemble", post(api::ensemble))
        .route("/", get(page))
        .route("/index.html", get(page))
        .route("/app.js", get(page))
        .route("/style.css", get(page))
        .with_state(app);
    Ok(Router::new()
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
        .layer(middleware::from_fn_with_state(
            Arc::new(hosts),
            hosts::check,
        )))
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
    let expected = match request.uri().path() {
        "/api/scenario" | "/api/ensemble" => "POST",
        _ => "GET",
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

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Ledger(#[from] fedsplit_ledger::LedgerError),
    #[error("the server failed: {0}")]
    Failed(String),
}

/// How long open connections get to finish after a stop signal.
const DRAIN: Duration = Duration::from_secs(10);

/// A client that has not sent a whole request header by then is
/// disconnected (slowloris).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(15);

/// Connections served at once; further ones wait in the listen backlog.
pub const MAX_CONNECTIONS: usize = 512;

/// How the server listens.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub addr: SocketAddr,
    /// Host names a request may name besides localhost and the bound address.
    pub allow_hosts: Vec<String>,
}

/// Serves every year of `datasets` on `config.addr` until SIGINT or SIGTERM,
/// then lets open requests finish (at most `DRAIN`). `listening` is called
/// with the bound address once the signals are caught, so a signal sent as
/// soon as it returns stops the server gracefully. `stopping` is called with
/// the signal's name. Each connection must send its request header within
/// `HEADER_READ_TIMEOUT`; at most `MAX_CONNECTIONS` are open at once.
pub fn serve(
    config: ServeConfig,
    datasets: Vec<Dataset>,
    default_year: u16,
    listening: impl FnOnce(SocketAddr),
    stopping: impl FnOnce(&'static str),
) -> Result<(), WebError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let result = runtime.block_on(async move {
        let addr = config.addr;
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| WebError::Bind { addr, source })?;
        let local = listener.local_addr()?;
        let signals = StopSignals::install()?;
        let hosts = AllowedHosts {
            bind: Some(local.ip()),
            names: config.allow_hosts,
        };
        let app = router(datasets, default_year, hosts)?;
        listening(local);
        let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
        let graceful = hyper_util::server::graceful::GracefulShutdown::new();
        let stop = signals.wait();
        tokio::pin!(stop);
        loop {
            // Wait for a free slot first: over the cap, connections queue.
            let slot = tokio::select! {
                slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
                signal = &mut stop => { stopping(signal); break; }
            };
            let stream = tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) => stream,
                    // A connection that failed before it was accepted
                    // (e.g. reset): keep serving.
                    Err(_) => continue,
                },
                signal = &mut stop => { stopping(signal); break; }
            };
            let service = hyper_util::service::TowerToHyperService::new(app.clone());
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(Some(HEADER_READ_TIMEOUT))
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            let connection = graceful.watch(connection);
            tokio::spawn(async move {
                let _ = connection.await;
                drop(slot);
            });
        }
        drop(listener);
        // Open requests finish; idle keep-alive connections close.
        let _ = tokio::time::timeout(DRAIN, graceful.shutdown()).await;
        Ok(())
    });
    runtime.shutdown_timeout(Duration::from_secs(1));
    result
}

/// SIGINT (Ctrl-C) and SIGTERM, caught from `install` on.
#[cfg(unix)]
struct StopSignals {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl StopSignals {
    fn install() -> std::io::Result<StopSignals> {
        use tokio::signal::unix::{signal, SignalKind};
        Ok(StopSignals {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
        })
    }

    /// Waits for either; returns the signal's name.
    async fn wait(mut self) -> &'static str {
        tokio::select! {
            _ = self.interrupt.recv() => "SIGINT",
            _ = self.terminate.recv() => "SIGTERM",
        }
    }
}

#[cfg(not(unix))]
struct StopSignals;

#[cfg(not(unix))]
impl StopSignals {
    fn install() -> std::io::Result<StopSignals> {
        Ok(StopSignals)
    }

    async fn wait(self) -> &'static str {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    }
}
