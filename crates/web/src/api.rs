//! The JSON API. Every endpoint answers with exactly the bytes of the
//! matching `fedsplit … --format json` command, or with a JSON error naming
//! the parameter or key at fault.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, RwLock};

use axum::body::Body;
use axum::extract::{RawQuery, State as AxState};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use fedsplit_alliance::attrs::{GraphSpec, NodeAttrs};
use fedsplit_alliance::shipped::Shipped;
use fedsplit_alliance::Graph;
use fedsplit_core::State;
use fedsplit_ledger::{OptionKey, Options};
use fedsplit_report::alliance::{self, ScoredEnsemble};
use fedsplit_report::{blocs, explain, headline, json_text, ledger, scenario, series};
use fedsplit_scenario::spec;
use http_body_util::{BodyExt, LengthLimitError, Limited};

use super::error::ApiError;
use super::payload::{respond_once, Payload};
use super::{App, Year, JSON_TYPE};

/// Largest accepted request body.
pub const BODY_LIMIT: usize = 64 * 1024;

/// The ledger options' query parameters: the ledger's option keys.
const LEDGER_PARAMS: [&str; 6] = [
    OptionKey::Method.key(),
    OptionKey::Deficit.key(),
    OptionKey::Interest.key(),
    OptionKey::Residual.key(),
    OptionKey::CorporateKey.key(),
    OptionKey::ProcurementKey.key(),
];

/// Most answers a cache keeps before it starts afresh (bounds memory; the
/// option space of one dataset is 864 sets).
const CACHE_LIMIT: usize = 1024;

/// Answers already serialised, by what they depend on; and the graphs a
/// scenario's blocs are drawn on, per graph and ledger options.
#[derive(Default)]
pub struct Cache {
    ledger: OptionsCache,
    explain: RwLock<HashMap<(State, Options), Arc<Payload>>>,
    report: OptionsCache,
    graphs: RwLock<HashMap<(PlanGraph, Options), Arc<Prepared>>>,
}

/// The ensembles shipped in the binary, scored on first use per election
/// year (scoring the county ensembles takes a moment; placing a plan then
/// takes a scoring of the one plan).
#[derive(Default)]
pub struct Ensembles {
    scored: RwLock<HashMap<(&'static str, u16), Arc<ScoredEnsemble>>>,
}

/// The graphs a scenario's blocs are drawn on (`graph=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlanGraph {
    States,
    Counties,
}

impl PlanGraph {
    fn parse(query: &Query) -> Result<Option<PlanGraph>, ApiError> {
        match query.get("graph") {
            None => Ok(None),
            Some("states") => Ok(Some(PlanGraph::States)),
            Some("counties") => Ok(Some(PlanGraph::Counties)),
            Some(other) => Err(ApiError::bad(
                "graph",
                format!("unknown graph {other:?} (expected one of: states, counties)"),
            )),
        }
    }

    fn spec(self) -> GraphSpec {
        match self {
            PlanGraph::States => GraphSpec::States,
            PlanGraph::Counties => GraphSpec::Counties,
        }
    }

    fn name(self) -> &'static str {
        match self {
            PlanGraph::States => "states",
            PlanGraph::Counties => "counties",
        }
    }
}

/// A graph with its units' attributes under one set of ledger options.
type Prepared = (Graph, NodeAttrs);

/// The graph of `kind` under `options` for year `y`, built once.
fn graph_of(y: &Year, kind: PlanGraph, options: Options) -> Result<Arc<Prepared>, ApiError> {
    cached(&y.cache.graphs, (kind, options), || {
        alliance::graph_for(y.data, kind.spec(), &options).map_err(internal)
    })
}

/// Answers per set of ledger options.
type OptionsCache = RwLock<HashMap<Options, Arc<Payload>>>;

/// The cached value for `key`, or `make`'s, kept for next time (the map is
/// emptied when it reaches `CACHE_LIMIT` entries).
fn cached<K: Hash + Eq, V>(
    map: &RwLock<HashMap<K, Arc<V>>>,
    key: K,
    make: impl FnOnce() -> Result<V, ApiError>,
) -> Result<Arc<V>, ApiError> {
    if let Some(hit) = map.read().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Ok(hit.clone());
    }
    let value = Arc::new(make()?);
    let mut map = map.write().unwrap_or_else(|e| e.into_inner());
    if map.len() >= CACHE_LIMIT {
        map.clear();
    }
    map.insert(key, value.clone());
    Ok(value)
}

/// API answers are not cached by browsers (they change with the binary).
const NO_STORE: &str = "no-store";

/// A query string checked against the parameters an endpoint accepts:
/// unknown or repeated names are refused.
pub struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    pub fn parse(raw: Option<&str>, allowed: &[&str]) -> Result<Query, ApiError> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        let mut unknown: Vec<String> = Vec::new();
        for (name, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            if !allowed.contains(&name.as_ref()) {
                if !unknown.iter().any(|u| *u == name) {
                    unknown.push(name.into_owned());
                }
                continue;
            }
            if pairs.iter().any(|(n, _)| *n == name) {
                return Err(ApiError::bad(
                    name.as_ref(),
                    format!("parameter {name:?} is given more than once"),
                ));
            }
            pairs.push((name.into_owned(), value.into_owned()));
        }
        if let Some(first) = unknown.first() {
            let names = unknown
                .iter()
                .map(|u| format!("{u:?}"))
                .collect::<Vec<_>>()
                .join(", ");
            let accepted = if allowed.is_empty() {
                "none".to_string()
            } else {
                allowed.join(", ")
            };
            let noun = if unknown.len() == 1 {
                "parameter"
            } else {
                "parameters"
            };
            return Err(ApiError::bad(
                first.clone(),
                format!("unknown {noun} {names} (accepted: {accepted})"),
            ));
        }
        Ok(Query { pairs })
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The fiscal year asked for (`year=2023`), if any.
    pub fn year(&self) -> Result<Option<u16>, ApiError> {
        self.get("year")
            .map(|v| {
                v.trim()
                    .parse::<u16>()
                    .map_err(|_| ApiError::bad("year", format!("{v:?} is not a fiscal year")))
            })
            .transpose()
    }

    /// The ledger options, defaults as on the command line; a bad value's
    /// error names its parameter.
    pub fn ledger_options(&self) -> Result<Options, ApiError> {
        let mut options = Options::default();
        for key in OptionKey::ALL {
            if let Some(value) = self.get(key.key()) {
                options
                    .set(key, value)
                    .map_err(|e| ApiError::bad(key.key(), e.to_string()))?;
            }
        }
        Ok(options)
    }
}

/// Runs CPU-bound rendering off the async workers. A panic there is a 500.
async fn blocking<F>(headers: &HeaderMap, f: F) -> Result<Response, ApiError>
where
    F: FnOnce() -> Result<String, ApiError> + Send + 'static,
{
    match tokio::task::spawn_blocking(f).await {
        Ok(result) => result.map(|text| respond_once(headers, JSON_TYPE, text)),
        Err(_) => Err(ApiError::internal("the computation failed")),
    }
}

/// An error building an answer the request was checked for: not its fault.
fn internal(e: fedsplit_report::ReportError) -> ApiError {
    ApiError::internal(e.to_string())
}

/// `GET /api/health`.
pub async fn health(
    AxState(app): AxState<Arc<App>>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    Query::parse(q.as_deref(), &[])?;
    Ok(app.health.respond(&headers, NO_STORE))
}

/// The year a query asks for, or a 400 naming the years served.
fn year<'a>(app: &'a App, query: &Query) -> Result<&'a Year, ApiError> {
    let asked = query.year()?;
    app.year(asked).ok_or_else(|| {
        ApiError::bad(
            "year",
            format!(
                "no FY{} data (years: {})",
                asked.unwrap_or(app.default_year),
                app.year_list()
            ),
        )
    })
}

/// `GET /api/sources[?year=]`: `fedsplit sources --format json`.
pub async fn sources(
    AxState(app): AxState<Arc<App>>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let query = Query::parse(q.as_deref(), &["year"])?;
    Ok(year(&app, &query)?.sources.respond(&headers, NO_STORE))
}

/// An answer that depends on the year and the ledger options only: served
/// from the year's `cache`, built by `build` the first time.
fn per_options(
    app: &App,
    q: Option<&str>,
    headers: &HeaderMap,
    cache: fn(&Cache) -> &OptionsCache,
    build: impl FnOnce(&Year, &Options) -> Result<String, fedsplit_report::ReportError>,
) -> Result<Response, ApiError> {
    let mut allowed = vec!["year"];
    allowed.extend(LEDGER_PARAMS);
    let query = Query::parse(q, &allowed)?;
    let options = query.ledger_options()?;
    let y = year(app, &query)?;
    let bytes = cached(cache(&y.cache), options, || {
        build(y, &options)
            .map(|text| Payload::new(JSON_TYPE, text))
            .map_err(internal)
    })?;
    Ok(bytes.respond(headers, NO_STORE))
}

/// `GET /api/report?…options[&year=]`: `fedsplit report --format json`.
pub async fn report(
    AxState(app): AxState<Arc<App>>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    per_options(
        &app,
        q.as_deref(),
        &headers,
        |c| &c.report,
        |y, options| headline::build(&y.ledger, options, app.datasets).map(|h| json_text(&h)),
    )
}

/// `GET /api/series?…options[&by=state|bloc][&state=XX]`: `fedsplit series --format json`.
pub async fn series(
    AxState(app): AxState<Arc<App>>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let mut allowed = vec!["by", "state", "election"];
    allowed.extend(LEDGER_PARAMS);
    let query = Query::parse(q.as_deref(), &allowed)?;
    let options = query.ledger_options()?;
    let election = match query.get("election") {
        None => 2024,
        Some(text) => text
            .trim()
            .parse::<u16>()
            .ok()
            .filter(|y| fedsplit_data::COUNTY_VOTE_YEARS.contains(y))
            .ok_or_else(|| {
                ApiError::bad("election", format!("{text:?}: expected 2016, 2020 or 2024"))
            })?,
    };
    let by = match query.get("by") {
        None | Some("state") => series::By::State,
        Some("bloc") => series::By::Bloc { election },
        Some(other) => {
            return Err(ApiError::bad(
                "by",
                format!("unknown by {other:?} (expected one of: state, bloc)"),
            ))
        }
    };
    let state = query
        .get("state")
        .map(|code| State::parse(code).map_err(|e| ApiError::bad("state", e.to_string())))
        .transpose()?;
    blocking(&headers, move || {
        series::build(app.datasets, &options, by, state)
            .map(|s| json_text(&s))
            .map_err(|e| ApiError::bad("", e.to_string()))
    })
    .await
}

/// `GET /api/examples`: the shipped scenarios as JSON documents.
pub async fn examples(
    AxState(app): AxState<Arc<App>>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    Query::parse(q.as_deref(), &[])?;
    Ok(app.examples.respond(&headers, NO_STORE))
}

/// `GET /api/map[?level=states|counties]`: state outlines and label
/// positions, or the county graph's outlines (and the units without one).
pub async fn map(
    AxState(app): AxState<Arc<App>>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let query = Query::parse(q.as_deref(), &["level"])?;
    let map = match query.get("level") {
        None | Some("states") => &app.map,
        Some("counties") => &app.county_map,
        Some(other) => {
            return Err(ApiError::bad(
                "level",
                format!("unknown level {other:?} (expected one of: states, counties)"),
            ))
        }
    };
    match map {
        Ok(map) => Ok(map.respond(&headers, NO_STORE)),
        Err(e) => Err(ApiError::internal(e.clone())),
    }
}

/// `GET /api/ledger?…options[&year=]`: `fedsplit ledger --format json`.
pub async fn ledger(
    AxState(app): AxState<Arc<App>>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    per_options(
        &app,
        q.as_deref(),
        &headers,
        |c| &c.ledger,
        |y, options| {
            ledger::build(&y.ledger, options, ledger::SortColumn::Rank, None).map(|r| json_text(&r))
        },
    )
}

/// `GET /api/explain?state=XX`: `fedsplit explain XX --format json`.
pub async fn explain(
    AxState(app): AxState<Arc<App>>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let mut allowed = vec!["state", "year"];
    allowed.extend(LEDGER_PARAMS);
    let query = Query::parse(q.as_deref(), &allowed)?;
    let y = year(&app, &query)?;
    let Some(code) = query.get("state") else {
        return Err(ApiError::bad(
            "state",
            "required: a state's postal code, e.g. state=NY",
        ));
    };
    let state = State::parse(code).map_err(|e| ApiError::bad("state", e.to_string()))?;
    if y.data.position(state).is_none() {
        return Err(ApiError::bad(
            "state",
            format!("state {} is not in the dataset", state.postal()),
        ));
    }
    let options = query.ledger_options()?;
    let bytes = cached(&y.cache.explain, (state, options), || {
        explain::build(&y.ledger, state, &options)
            .map(|e| Payload::new(JSON_TYPE, json_text(&e)))
            .map_err(internal)
    })?;
    Ok(bytes.respond(&headers, NO_STORE))
}

/// `GET /api/blocs?election=YEAR[&margin=PCT][&by=bloc|state]`:
/// `fedsplit blocs --election YEAR --margin PCT --format json`.
pub async fn blocs(
    AxState(app): AxState<Arc<App>>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let query = Query::parse(q.as_deref(), &["election", "margin", "by", "year"])?;
    let data = year(&app, &query)?.data;
    let years = data.election_years();
    let years_text = years
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let Some(text) = query.get("election") else {
        return Err(ApiError::bad(
            "election",
            format!("required: an election year ({years_text})"),
        ));
    };
    let year = text
        .trim()
        .parse::<u16>()
        .ok()
        .filter(|y| years.contains(y))
        .ok_or_else(|| {
            ApiError::bad(
                "election",
                format!("{text:?} is not an election year in the dataset ({years_text})"),
            )
        })?;
    let margin = match query.get("margin") {
        None => None,
        Some(text) => match text.trim().parse::<f64>() {
            Ok(m) if m > 0.0 && m < 100.0 => Some(m),
            _ => {
                return Err(ApiError::bad(
                    "margin",
                    format!("{text:?} is not a percentage strictly between 0 and 100"),
                ))
            }
        },
    };
    let by = match query.get("by") {
        None | Some("bloc") => blocs::By::Bloc,
        Some("state") => blocs::By::State,
        Some(other) => {
            return Err(ApiError::bad(
                "by",
                format!("unknown by {other:?} (expected one of: bloc, state)"),
            ))
        }
    };
    blocking(&headers, move || {
        blocs::build(data, Some(year), margin, by)
            .map(|r| json_text(&r))
            .map_err(|e| ApiError::bad("election", e.to_string()))
    })
    .await
}

/// Reads a request body of at most `BODY_LIMIT` bytes.
async fn read_body(headers: &HeaderMap, body: Body) -> Result<axum::body::Bytes, ApiError> {
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body",
            format!("the request body is larger than {BODY_LIMIT} bytes"),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > BODY_LIMIT as u64) {
        return Err(too_large());
    }
    match Limited::new(body, BODY_LIMIT).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => Err(too_large()),
        Err(e) => Err(ApiError::bad(
            "body",
            format!("could not read the request body: {e}"),
        )),
    }
}

/// Refuses anything but `Content-Type: application/json` (parameters such
/// as `charset=utf-8` allowed).
fn require_json(headers: &HeaderMap) -> Result<(), ApiError> {
    let unsupported = |what: String| {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "content-type",
            format!("{what}: send the scenario as Content-Type: application/json"),
        )
    };
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return Err(unsupported("no Content-Type".into()));
    };
    let text = value
        .to_str()
        .map_err(|_| unsupported("unreadable Content-Type".into()))?;
    let essence = text.split(';').next().unwrap_or("").trim();
    if essence.eq_ignore_ascii_case("application/json") {
        Ok(())
    } else {
        Err(unsupported(format!("Content-Type {text:?}")))
    }
}

/// Parses and compiles a scenario sent as JSON against the year it names
/// (`"year": 2023`; `default_year` otherwise); errors name the key path.
pub fn compile_scenario<'a>(
    app: &'a App,
    bytes: &[u8],
    default_year: u16,
) -> Result<(&'a Year, spec::Scenario), ApiError> {
    const LABEL: &str = "request body";
    // serde_path_to_error writes the root as "." and a position it cannot
    // name (e.g. at the end of the input) as "?".
    let field = |path: &str| {
        let mut p = path;
        while let Some(stripped) = p.strip_suffix("?") {
            p = stripped.strip_suffix('.').unwrap_or(stripped);
        }
        if p.is_empty() || p == "." {
            "body".to_string()
        } else {
            p.to_string()
        }
    };
    // serde reads a struct from an array of its fields in order; a scenario
    // file is a table, so only an object is taken.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return Err(ApiError::bad(
            "body",
            "expected a JSON object (the scenario file's keys), found an array",
        ));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let file = spec::parse_json_value(LABEL, &mut de)
        .map_err(|e| ApiError::bad(field(&e.path), e.message))?;
    de.end().map_err(|e| ApiError::bad("body", e.to_string()))?;
    let y = app
        .year(Some(file.year.unwrap_or(default_year)))
        .ok_or_else(|| {
            ApiError::bad(
                "year",
                format!(
                    "no FY{} data (years: {})",
                    file.year.unwrap_or(default_year),
                    app.year_list()
                ),
            )
        })?;
    let scenario = spec::compile(&file, y.data).map_err(|e| {
        let e = e.locate(LABEL, None);
        ApiError::bad(field(&e.path), e.message)
    })?;
    Ok((y, scenario))
}

/// `POST /api/scenario[?by=income | ?graph=states|counties]` with a scenario
/// file as JSON: `fedsplit scenario FILE [--by income | --graph G] --format
/// json` for the same file as TOML.
pub async fn scenario(
    AxState(app): AxState<Arc<App>>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let query = Query::parse(q.as_deref(), &["by", "graph"])?;
    if let Some(kind) = PlanGraph::parse(&query)? {
        if query.get("by").is_some() {
            return Err(ApiError::bad("by", "by and graph exclude each other"));
        }
        require_json(&headers)?;
        let bytes = read_body(&headers, body).await?;
        return blocking(&headers, move || {
            let (y, scenario) = compile_scenario(&app, &bytes, app.default_year)?;
            let prepared = graph_of(y, kind, scenario.options)?;
            let (graph, attrs) = &*prepared;
            alliance::graph_plan(y.data, &scenario, "request body", kind.spec(), graph, attrs)
                .map(|p| json_text(&p))
                .map_err(|e| ApiError::bad("body", e.to_string()))
        })
        .await;
    }
    // As `--by`: only `income` changes the JSON (the state × class rows).
    let state_income = match query.get("by") {
        None | Some("bloc" | "state") => false,
        Some("income") => true,
        Some(other) => {
            return Err(ApiError::bad(
                "by",
                format!("unknown by {other:?} (expected one of: bloc, state, income)"),
            ))
        }
    };
    require_json(&headers)?;
    let bytes = read_body(&headers, body).await?;
    blocking(&headers, move || {
        let (y, scenario) = compile_scenario(&app, &bytes, app.default_year)?;
        scenario::build(&y.ledger, &scenario)
            .map(|r| json_text(&r.with_state_income(state_income)))
            .map_err(|e| ApiError::bad("body", e.to_string()))
    })
    .await
}

/// `POST /api/ensemble?graph=states|counties` with a scenario file as JSON:
/// `fedsplit ensemble summarize shipped:GRAPH-kK --plan FILE --election V
/// --format json`, K the plan's blocs on the graph and V its vote year. The
/// shipped ensembles are drawn on one year's populations: the scenario runs
/// on that year (a different `year` in the body is refused).
pub async fn ensemble(
    AxState(app): AxState<Arc<App>>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let query = Query::parse(q.as_deref(), &["graph"])?;
    let kind = PlanGraph::parse(&query)?.ok_or_else(|| {
        ApiError::bad(
            "graph",
            "required: the graph of the ensemble (states or counties)",
        )
    })?;
    require_json(&headers)?;
    let bytes = read_body(&headers, body).await?;
    blocking(&headers, move || {
        let (y, scenario) = compile_scenario(&app, &bytes, app.ensembles_year)?;
        let drawn_on = app.ensembles_year;
        if y.data.fiscal_year != drawn_on {
            return Err(ApiError::bad(
                "year",
                format!(
                    "the shipped ensembles are drawn on FY{drawn_on} populations: leave out year or send {drawn_on}"
                ),
            ));
        }
        let prepared = graph_of(y, kind, fedsplit_ledger::Options::default())?;
        let (graph, attrs) = &*prepared;
        let on_graph = alliance::plan_on_graph(y.data, graph, attrs, &scenario, kind.spec(), "request body")
            .map_err(|e| ApiError::bad("blocs", e.to_string()))?;
        let k = on_graph.names.len();
        let shipped = Shipped::of(kind.name(), k).ok_or_else(|| {
            ApiError::bad(
                "blocs",
                format!(
                    "no shipped ensemble of {k} bloc{} on the {} graph (shipped: {})",
                    if k == 1 { "" } else { "s" },
                    kind.name(),
                    Shipped::names()
                ),
            )
        })?;
        let scored = scored_ensemble(&app, y, shipped, scenario.votes_year)?;
        scored
            .place(Some(y.data), Some(("request body", &scenario)))
            .map(|s| json_text(&s))
            .map_err(|e| ApiError::bad("body", e.to_string()))
    })
    .await
}

/// `shipped` scored with votes of `election`, once.
fn scored_ensemble(
    app: &App,
    y: &Year,
    shipped: &'static Shipped,
    election: u16,
) -> Result<Arc<ScoredEnsemble>, ApiError> {
    cached(&app.ensembles.scored, (shipped.name, election), || {
        let file = shipped.file();
        let meta = file.meta().map_err(|e| ApiError::internal(e.to_string()))?;
        ScoredEnsemble::score(&file, meta, Some(y.data), election).map_err(internal)
    })
}
