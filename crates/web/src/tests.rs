//! In-process tests of the router: every endpoint against the CLI renderers,
//! every error path, and hostile bodies.

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use fedsplit_core::State;
use fedsplit_data::Dataset;
use fedsplit_ledger::{Deficit, Ledger, Method as LedgerMethod, Options};
use fedsplit_scenario::{examples, spec};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

use fedsplit_report::{blocs, explain, json_text, ledger, scenario, sources};

use super::api::BODY_LIMIT;

fn data() -> Arc<Dataset> {
    static DATA: OnceLock<Arc<Dataset>> = OnceLock::new();
    DATA.get_or_init(|| Arc::new(Dataset::embedded().expect("embedded data loads")))
        .clone()
}

fn app() -> Router {
    static APP: OnceLock<Router> = OnceLock::new();
    APP.get_or_init(|| {
        let years = fedsplit_data::EMBEDDED_YEARS
            .iter()
            .map(|&y| Dataset::open(None, Some(y)).expect("embedded data loads"))
            .collect();
        super::router(years, data().fiscal_year, super::AllowedHosts::default())
            .expect("the router builds")
    })
    .clone()
}

fn prepared() -> Ledger<'static> {
    static DATA: OnceLock<Dataset> = OnceLock::new();
    Ledger::new(DATA.get_or_init(|| Dataset::embedded().unwrap())).unwrap()
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// Asserts an error reply and returns (field, message).
    fn error(&self, status: StatusCode) -> (String, String) {
        assert_eq!(self.status, status, "body: {}", self.body);
        assert_eq!(content_type(&self.headers), "application/json");
        let v = self.json();
        let e = &v["error"];
        (
            e["field"].as_str().expect("field").to_string(),
            e["message"].as_str().expect("message").to_string(),
        )
    }
}

fn content_type(headers: &HeaderMap) -> &str {
    headers
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap())
        .unwrap_or("")
}

async fn send(request: Request<Body>) -> Reply {
    let response = app().oneshot(request).await.expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        headers,
        body: String::from_utf8(bytes.to_vec()).expect("UTF-8 body"),
    }
}

async fn get(uri: &str) -> Reply {
    send(Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn post_json(body: impl Into<Body>) -> Reply {
    post_to("/api/scenario", body).await
}

async fn post_to(uri: &str, body: impl Into<Body>) -> Reply {
    send(
        Request::post(uri)
            .header(header::CONTENT_TYPE, "application/json")
            .body(body.into())
            .unwrap(),
    )
    .await
}

fn example_json(name: &str) -> Value {
    let text = examples::example(name).expect("example exists");
    scenario::examples()
        .into_iter()
        .find(|e| e.name == name)
        .map(|e| e.scenario)
        .unwrap_or_else(|| panic!("no JSON for {name}: {text}"))
}

fn ok_json(reply: &Reply) -> &str {
    assert_eq!(reply.status, StatusCode::OK, "body: {}", reply.body);
    assert_eq!(content_type(&reply.headers), "application/json");
    &reply.body
}

// ---- the page ----------------------------------------------------------

#[tokio::test]
async fn page_and_assets_with_types_and_security_headers() {
    for (uri, ty, text) in [
        ("/", "text/html; charset=utf-8", super::INDEX_HTML),
        ("/index.html", "text/html; charset=utf-8", super::INDEX_HTML),
        ("/app.js", "text/javascript; charset=utf-8", super::APP_JS),
        ("/style.css", "text/css; charset=utf-8", super::STYLE_CSS),
    ] {
        let r = get(uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        assert_eq!(content_type(&r.headers), ty, "{uri}");
        assert_eq!(r.body, text, "{uri}");
        let csp = r.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.starts_with("default-src 'self'"), "{csp}");
        assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"));
        assert_eq!(r.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    }
}

#[tokio::test]
async fn unknown_paths_are_404_json_under_api_only() {
    let r = get("/api/nope").await;
    let (_, message) = r.error(StatusCode::NOT_FOUND);
    assert!(message.contains("/api/nope"), "{message}");
    let r = get("/nope").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(content_type(&r.headers).starts_with("text/plain"));
    assert_eq!(r.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
}

#[tokio::test]
async fn wrong_method_is_405_json() {
    for uri in ["/api/scenario", "/api/ensemble"] {
        let r = get(uri).await;
        r.error(StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(r.headers[header::ALLOW], "POST", "{uri}");
    }
    let r = send(
        Request::post("/api/ledger")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from("{}"))
            .unwrap(),
    )
    .await;
    r.error(StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.headers[header::ALLOW], "GET");
}

// ---- the endpoints, byte for byte with the CLI renderers ------------------

#[tokio::test]
async fn health() {
    let r = get("/api/health").await;
    let v: Value = serde_json::from_str(ok_json(&r)).unwrap();
    assert_eq!(v["status"], "ok");
    assert_eq!(v["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(v["dataset_sha256"], json!(data().checksum));
    let ensembles = v["ensembles"].as_array().unwrap();
    assert_eq!(ensembles.len(), 8);
    assert_eq!(
        ensembles[0],
        json!({"name": "states-k2", "graph": "states", "k": 2})
    );
}

#[tokio::test]
async fn ledger_matches_cli() {
    let cases = [
        ("/api/ledger", Options::default()),
        (
            "/api/ledger?method=benefit&deficit=per-capita",
            Options {
                method: LedgerMethod::Benefit,
                deficit: Deficit::PerCapita,
                ..Options::default()
            },
        ),
        (
            "/api/ledger?method=flow&deficit=scale-spending&interest=income&residual=per-capita&corporate_key=gdp&procurement_key=population",
            Options {
                deficit: Deficit::ScaleSpending,
                interest: Some("income".parse().unwrap()),
                residual: Some("per-capita".parse().unwrap()),
                corporate_key: "gdp".parse().unwrap(),
                procurement_key: "population".parse().unwrap(),
                ..Options::default()
            },
        ),
    ];
    for (uri, options) in cases {
        let expected = json_text(
            &ledger::build(&prepared(), &options, ledger::SortColumn::Rank, None).unwrap(),
        );
        let r = get(uri).await;
        assert!(ok_json(&r) == expected, "{uri}");
    }
}

#[tokio::test]
async fn explain_matches_cli() {
    let expected = json_text(&explain::build(&prepared(), State::Ny, &Options::default()).unwrap());
    let r = get("/api/explain?state=NY").await;
    assert!(ok_json(&r) == expected);
    let options = Options {
        method: LedgerMethod::Benefit,
        ..Options::default()
    };
    let expected = json_text(&explain::build(&prepared(), State::Ca, &options).unwrap());
    let r = get("/api/explain?state=ca&method=benefit").await;
    assert!(ok_json(&r) == expected);
}

#[tokio::test]
async fn blocs_match_cli() {
    let d = data();
    for (uri, year, margin, by) in [
        ("/api/blocs?election=2024", 2024, None, blocs::By::Bloc),
        (
            "/api/blocs?election=2024&margin=5",
            2024,
            Some(5.0),
            blocs::By::Bloc,
        ),
        (
            "/api/blocs?election=2020&by=state",
            2020,
            None,
            blocs::By::State,
        ),
    ] {
        let expected = json_text(&blocs::build(&d, Some(year), margin, by).unwrap());
        let r = get(uri).await;
        assert!(ok_json(&r) == expected, "{uri}");
    }
}

#[tokio::test]
async fn sources_match_cli() {
    let expected = json_text(&sources::build(&data()));
    let r = get("/api/sources").await;
    assert!(ok_json(&r) == expected);
}

#[tokio::test]
async fn examples_post_back_to_the_cli_output() {
    let d = data();
    let r = get("/api/examples").await;
    let list = serde_json::from_str::<Value>(ok_json(&r)).unwrap();
    let list = list.as_array().expect("an array");
    assert_eq!(list.len(), examples::EXAMPLES.len());
    for (item, (name, text)) in list.iter().zip(examples::EXAMPLES) {
        assert_eq!(item["name"], name);
        let parsed = spec::parse(name, text).unwrap();
        assert_eq!(item["description"], json!(parsed.description));
        assert!(item["scenario"].is_object(), "{name}");
        let scenario = spec::load(name, text, &d).unwrap();
        let report = scenario::build(&prepared(), &scenario).unwrap();
        let r = post_json(item["scenario"].to_string()).await;
        let expected = json_text(&report.clone().with_state_income(false));
        assert!(ok_json(&r) == expected, "{name}");
        // `?by=income` adds the state × class rows, as `--by income` does.
        let r = post_to("/api/scenario?by=income", item["scenario"].to_string()).await;
        assert!(ok_json(&r) == json_text(&report), "{name} by income");
    }
}

#[tokio::test]
async fn scenario_accepts_charset_and_pretty_json() {
    let body = serde_json::to_string_pretty(&example_json("bluexit-2024")).unwrap();
    let r = send(
        Request::post("/api/scenario")
            .header(header::CONTENT_TYPE, "Application/JSON; charset=utf-8")
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    let v: Value = serde_json::from_str(ok_json(&r)).unwrap();
    assert_eq!(v["meta"]["scenario"], "bluexit-2024");
}

#[tokio::test]
async fn map_has_every_state() {
    let r = get("/api/map").await;
    let v: Value = serde_json::from_str(ok_json(&r)).unwrap();
    assert_eq!(v["width"], 975);
    assert_eq!(v["height"], 610);
    let states = v["states"].as_array().unwrap();
    assert_eq!(states.len(), 51);
    for s in states {
        let state = State::parse(s["postal"].as_str().unwrap()).unwrap();
        assert_eq!(s["fips"], state.fips());
        assert_eq!(s["name"], state.name());
        assert!(s["d"].as_str().is_some_and(|d| d.starts_with('M')), "{s}");
        assert!(s["label_x"].is_f64() || s["label_x"].is_u64());
        assert!(s["label_y"].is_f64() || s["label_y"].is_u64());
    }
}

// ---- query parameter errors -------------------------------------------------

#[tokio::test]
async fn bad_option_values_name_the_parameter() {
    for (uri, field) in [
        ("/api/ledger?method=magic", "method"),
        ("/api/ledger?method=", "method"),
        ("/api/ledger?deficit=all", "deficit"),
        ("/api/ledger?interest=x", "interest"),
        ("/api/ledger?residual=x", "residual"),
        ("/api/ledger?corporate_key=x", "corporate_key"),
        ("/api/ledger?procurement_key=x", "procurement_key"),
        ("/api/explain?state=NY&method=magic", "method"),
        ("/api/explain?state=ZZ", "state"),
        ("/api/explain?state=", "state"),
        ("/api/explain", "state"),
        ("/api/blocs", "election"),
        ("/api/blocs?election=1999", "election"),
        ("/api/blocs?election=abc", "election"),
        ("/api/blocs?election=99999999", "election"),
        ("/api/blocs?election=2024&margin=0", "margin"),
        ("/api/blocs?election=2024&margin=100", "margin"),
        ("/api/blocs?election=2024&margin=NaN", "margin"),
        ("/api/blocs?election=2024&margin=1e308", "margin"),
        ("/api/blocs?election=2024&by=county", "by"),
        ("/api/ledger?method=flow&method=benefit", "method"),
    ] {
        let r = get(uri).await;
        let (f, message) = r.error(StatusCode::BAD_REQUEST);
        assert_eq!(f, field, "{uri}: {message}");
        assert!(!message.is_empty());
    }
    let (_, message) = get("/api/ledger?method=magic")
        .await
        .error(StatusCode::BAD_REQUEST);
    assert!(
        message.contains("flow") && message.contains("benefit"),
        "{message}"
    );
}

#[tokio::test]
async fn unknown_parameters_are_named() {
    for (uri, field) in [
        ("/api/ledger?methd=flow", "methd"),
        ("/api/ledger?sort=net", "sort"),
        ("/api/explain?state=NY&format=csv", "format"),
        ("/api/blocs?election=2024&votes=2024", "votes"),
        ("/api/health?x=1", "x"),
        ("/api/sources?format=json", "format"),
        ("/api/examples?name=calexit", "name"),
        ("/api/map?w=1", "w"),
    ] {
        let (f, message) = get(uri).await.error(StatusCode::BAD_REQUEST);
        assert_eq!(f, field, "{uri}");
        assert!(message.contains(&format!("{field:?}")), "{message}");
    }
    let (_, message) = get("/api/ledger?a=1&b=2&method=flow")
        .await
        .error(StatusCode::BAD_REQUEST);
    assert!(
        message.contains("\"a\"") && message.contains("\"b\""),
        "{message}"
    );
    for (query, field) in [("format=csv", "format"), ("by=county", "by")] {
        let r = send(
            Request::post(format!("/api/scenario?{query}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(example_json("calexit").to_string()))
                .unwrap(),
        )
        .await;
        assert_eq!(r.error(StatusCode::BAD_REQUEST).0, field, "{query}");
    }
}

// ---- scenario body errors -----------------------------------------------------

#[tokio::test]
async fn wrong_content_type_is_415() {
    let body = example_json("calexit").to_string();
    for ty in [
        None,
        Some("text/plain"),
        Some("application/jsonx"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let mut request = Request::post("/api/scenario");
        if let Some(ty) = ty {
            request = request.header(header::CONTENT_TYPE, ty);
        }
        let r = send(request.body(Body::from(body.clone())).unwrap()).await;
        let (field, _) = r.error(StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(field, "content-type");
    }
}

#[tokio::test]
async fn body_over_the_limit_is_413() {
    // Read up to the limit (in-process requests carry no Content-Length).
    let big = format!("{{\"name\":\"{}\"}}", "x".repeat(BODY_LIMIT));
    let (field, _) = post_json(big.clone())
        .await
        .error(StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(field, "body");
    // Refused on its declared length, before reading.
    let r = send(
        Request::post("/api/scenario")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::CONTENT_LENGTH, "100000")
            .body(Body::from("{}"))
            .unwrap(),
    )
    .await;
    r.error(StatusCode::PAYLOAD_TOO_LARGE);
    // Exactly at the limit is read (and then refused as a scenario).
    let at_limit = format!("{{\"name\":\"{}\"}}", "x".repeat(BODY_LIMIT - 11));
    assert_eq!(at_limit.len(), BODY_LIMIT);
    let (_, message) = post_json(at_limit).await.error(StatusCode::BAD_REQUEST);
    assert!(message.contains("blocs"), "{message}");
}

#[tokio::test]
async fn malformed_json_is_400_with_line_and_column() {
    for body in [
        "",
        "{",
        "{\"name\": }",
        "{\"name\": \"x\",}",
        "not json",
        "{\"name\": \"x\"} trailing",
        "\u{feff}{}",
    ] {
        let (field, message) = post_json(body).await.error(StatusCode::BAD_REQUEST);
        assert!(
            message.contains("line") && message.contains("column"),
            "{body:?}: {field}: {message}"
        );
        assert!(!field.contains('?'), "{body:?}: {field}");
    }
    let (_, message) = post_json(&b"{\"name\": \"\xff\xfe\"}"[..])
        .await
        .error(StatusCode::BAD_REQUEST);
    assert!(message.contains("line"), "{message}");
}

#[tokio::test]
async fn wrong_types_and_unknown_keys_name_the_path() {
    let mut v = example_json("bluexit-2024");
    v["name"] = json!(1);
    let (field, message) = post_json(v.to_string())
        .await
        .error(StatusCode::BAD_REQUEST);
    assert_eq!(field, "name", "{message}");
    assert!(message.contains("invalid type"), "{message}");

    let mut v = example_json("bluexit-2024");
    v["bluexit"]["bloc"]["Democratic"]["replace_share"] = json!("all");
    let (field, _) = post_json(v.to_string())
        .await
        .error(StatusCode::BAD_REQUEST);
    assert_eq!(field, "bluexit.bloc.Democratic.replace_share");

    let mut v = example_json("bluexit-2024");
    v["bluexit"]["bloc"]["Democratic"]["withdraw"] = json!(["grants", "roads"]);
    let (field, message) = post_json(v.to_string())
        .await
        .error(StatusCode::BAD_REQUEST);
    assert!(
        field.starts_with("bluexit.bloc.Democratic.withdraw"),
        "{field}: {message}"
    );

    let mut v = example_json("bluexit-2024");
    v["colour"] = json!("blue");
    let (_, message) = post_json(v.to_string())
        .await
        .error(StatusCode::BAD_REQUEST);
    assert!(message.contains("colour"), "{message}");

    let mut v = example_json("bluexit-2024");
    v["bluexit"]["bloc"]["Democratic"]["replace_shar"] = json!(1.0);
    let (field, message) = post_json(v.to_string())
        .await
        .error(StatusCode::BAD_REQUEST);
    assert!(message.contains("replace_shar"), "{field}: {message}");
    assert!(field.starts_with("bluexit.bloc.Democratic"), "{field}");

    let (field, _) = post_json("[1, 2]").await.error(StatusCode::BAD_REQUEST);
    assert_eq!(field, "body");
    let (field, message) = post_json("{}").await.error(StatusCode::BAD_REQUEST);
    assert!(message.contains("name"), "{field}: {message}");
}

#[tokio::test]
async fn compile_errors_name_the_key_path() {
    let cases: [(&str, Value, &str); 7] = [
        (
            "replace_share",
            json!(1e308),
            "bluexit.bloc.Democratic.replace_share",
        ),
        (
            "replace_share",
            json!(-0.5),
            "bluexit.bloc.Democratic.replace_share",
        ),
        (
            "income_tax_scale",
            json!(-1),
            "bluexit.bloc.Democratic.income_tax_scale",
        ),
        (
            "income_tax_scale",
            json!(-1e308),
            "bluexit.bloc.Democratic.income_tax_scale",
        ),
        ("instrument", json!("agi-flat"), ""),
        ("pooling", json!("bloc"), ""),
        ("replace_share", json!(0.5), ""),
    ];
    for (key, value, field) in cases {
        let mut v = example_json("bluexit-2024");
        v["bluexit"]["bloc"]["Democratic"][key] = value.clone();
        let r = post_json(v.to_string()).await;
        if field.is_empty() {
            ok_json(&r);
        } else {
            let (f, message) = r.error(StatusCode::BAD_REQUEST);
            assert_eq!(f, field, "{key}={value}: {message}");
        }
    }
    let mut v = example_json("bluexit-2024");
    v["blocs"]["election"] = json!(1999);
    let (f, _) = post_json(v.to_string())
        .await
        .error(StatusCode::BAD_REQUEST);
    assert_eq!(f, "blocs.election");
    let mut v = example_json("bluexit-2024");
    v["blocs"]["election"] = json!(70000);
    let (f, _) = post_json(v.to_string())
        .await
        .error(StatusCode::BAD_REQUEST);
    assert_eq!(f, "blocs.election");
    let mut v = example_json("bluexit-2024");
    v["name"] = json!("  ");
    let (f, _) = post_json(v.to_string())
        .await
        .error(StatusCode::BAD_REQUEST);
    assert_eq!(f, "name");
    let (f, _) = post_json(r#"{"name":"x","blocs":{"election":2024}}"#)
        .await
        .error(StatusCode::BAD_REQUEST);
    assert_eq!(f, "body");
    let (f, _) = post_json(
        r#"{"name":"x","blocs":{"list":[{"name":"A","states":["ZZ"]},{"name":"B","rest":true}]},"partition":{}}"#,
    )
    .await
    .error(StatusCode::BAD_REQUEST);
    assert_eq!(f, "blocs.list[0].states[0]");
    // Beyond f64: serde_json's own range error.
    let text = example_json("bluexit-2024")
        .to_string()
        .replace("\"replace_share\":1.0", "\"replace_share\":1e400");
    assert!(text.contains("1e400"));
    let (_, message) = post_json(text).await.error(StatusCode::BAD_REQUEST);
    assert!(message.contains("out of range"), "{message}");
}

#[tokio::test]
async fn huge_but_valid_numbers_do_not_crash() {
    let mut v = example_json("bluexit-2024");
    v["bluexit"]["bloc"]["Democratic"]["income_tax_scale"] = json!(1e308);
    let r = post_json(v.to_string()).await;
    assert!(
        r.status == StatusCode::OK || r.status == StatusCode::BAD_REQUEST,
        "{}: {}",
        r.status,
        r.body
    );
    r.json();
}

#[tokio::test]
async fn deep_nesting_is_refused_not_crashed() {
    let depth = 10_000;
    let open = "[".repeat(depth);
    let close = "]".repeat(depth);
    let objects = "{\"a\":".repeat(depth) + "1" + &"}".repeat(depth);
    for body in [
        format!("{open}{close}"),
        open.clone(),
        objects.clone(),
        format!("{{\"name\":{open}{close}}}"),
        format!("{{\"colour\":{open}{close}}}"),
        format!("{{\"colour\":{objects}}}"),
        format!("{{\"name\":\"x\",\"blocs\":{{\"list\":{open}{close}}}}}"),
        format!("{{\"name\":\"x\",\"blocs\":{{\"assignment\":{objects}}}}}"),
    ] {
        post_json(body).await.error(StatusCode::BAD_REQUEST);
    }
}

/// A small deterministic generator (xorshift), for mutation tests.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[tokio::test]
async fn mutated_and_random_bodies_answer_200_or_400() {
    let seeds: Vec<String> = examples::EXAMPLES
        .iter()
        .map(|(name, _)| example_json(name).to_string())
        .collect();
    let splices: [&[u8]; 12] = [
        b"1e308",
        b"-1",
        b"null",
        b"[]",
        b"{}",
        b"\"",
        b"true",
        b"\"ZZ\"",
        b"0",
        b"1e-320",
        b"\"\\u0000\"",
        b"18446744073709551616",
    ];
    let mut rng = Rng(0x5eed_f00d_1234_5678);
    for round in 0..600 {
        let body: Vec<u8> = if round % 10 == 0 {
            (0..rng.below(200)).map(|_| rng.next() as u8).collect()
        } else {
            let mut b = seeds[rng.below(seeds.len())].clone().into_bytes();
            for _ in 0..1 + rng.below(3) {
                let at = rng.below(b.len());
                match rng.below(3) {
                    0 => {
                        let end = (at + 1 + rng.below(8)).min(b.len());
                        b.drain(at..end);
                    }
                    1 => {
                        let s = splices[rng.below(splices.len())];
                        b.splice(at..at, s.iter().copied());
                    }
                    _ => b[at] = rng.next() as u8,
                }
            }
            b
        };
        let r = post_json(body.clone()).await;
        assert!(
            r.status == StatusCode::OK || r.status == StatusCode::BAD_REQUEST,
            "{} for {:?}: {}",
            r.status,
            String::from_utf8_lossy(&body),
            r.body
        );
        r.json();
    }
}

// ---- the layers -----------------------------------------------------------------

#[tokio::test]
async fn layer_errors_become_json_under_api() {
    use axum::routing::get as route_get;
    let router: Router = Router::new()
        .route(
            "/api/slow",
            route_get(|| async { StatusCode::REQUEST_TIMEOUT }),
        )
        .route(
            "/other",
            route_get(|| async { StatusCode::REQUEST_TIMEOUT }),
        )
        .layer(axum::middleware::from_fn(super::json_errors));
    let response = router
        .clone()
        .oneshot(Request::get("/api/slow").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::REQUEST_TIMEOUT);
    assert_eq!(content_type(response.headers()), "application/json");
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert!(v["error"]["message"].as_str().unwrap().contains("10 s"));
    let response = router
        .oneshot(Request::get("/other").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(content_type(response.headers()), "");
}

#[tokio::test]
async fn a_panic_is_a_json_500() {
    use axum::routing::get as route_get;
    let router: Router = Router::new()
        .route(
            "/api/boom",
            route_get(|| async {
                if std::hint::black_box(true) {
                    panic!("boom");
                }
                "unreachable"
            }),
        )
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            super::panic_response,
        ));
    let response = router
        .oneshot(
            Request::builder()
                .method(Method::GET)
                .uri("/api/boom")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(content_type(response.headers()), "application/json");
}

// ---- plans on graphs and the shipped ensembles ------------------------------

/// A scenario with county moves: four eastern Oregon counties (Gilliam,
/// Grant, Harney, Malheur) join the Republican bloc of 2024.
fn county_moves_json() -> Value {
    json!({
        "name": "oregon-east",
        "blocs": {
            "election": 2024,
            "counties": {"41021": "Republican", "41023": "Republican", "41025": "Republican", "41045": "Republican"}
        },
        "partition": {}
    })
}

#[tokio::test]
async fn scenario_on_a_graph_matches_cli() {
    use fedsplit_alliance::attrs::GraphSpec;
    use fedsplit_report::alliance;
    let d = data();
    for (query, spec) in [
        ("graph=counties", GraphSpec::Counties),
        ("graph=states", GraphSpec::States),
    ] {
        let body = county_moves_json();
        let file = spec::parse_json_value(
            "request body",
            &mut serde_json::Deserializer::from_str(&body.to_string()),
        )
        .unwrap();
        let scenario = spec::compile(&file, &d).unwrap();
        let (graph, attrs) = alliance::graph_for(&d, spec, &scenario.options).unwrap();
        let expected = json_text(
            &alliance::graph_plan(&d, &scenario, "request body", spec, &graph, &attrs).unwrap(),
        );
        let r = post_to(&format!("/api/scenario?{query}"), body.to_string()).await;
        assert!(ok_json(&r) == expected, "{query}");
    }
    // The moves change the counties graph's blocs, not the states graph's.
    let on = |q: &'static str| async move {
        post_to(
            &format!("/api/scenario?{q}"),
            county_moves_json().to_string(),
        )
        .await
        .json()
    };
    let counties = on("graph=counties").await;
    assert_eq!(counties["county_moves"].as_array().unwrap().len(), 4);
    let states = on("graph=states").await;
    assert!(states["notes"]
        .to_string()
        .contains("4 county moves apply on the counties graph only"));

    let r = post_to("/api/scenario?graph=grid", county_moves_json().to_string()).await;
    assert_eq!(r.error(StatusCode::BAD_REQUEST).0, "graph");
    let r = post_to(
        "/api/scenario?graph=states&by=income",
        county_moves_json().to_string(),
    )
    .await;
    assert_eq!(r.error(StatusCode::BAD_REQUEST).0, "by");
    let mut bad = county_moves_json();
    bad["blocs"]["counties"] = json!({"4102": "Republican"});
    let (field, message) = post_to("/api/scenario?graph=counties", bad.to_string())
        .await
        .error(StatusCode::BAD_REQUEST);
    assert_eq!(field, "blocs.counties.4102", "{message}");
    bad["blocs"]["counties"] = json!({"99999": "Republican"});
    let (_, message) = post_to("/api/scenario?graph=counties", bad.to_string())
        .await
        .error(StatusCode::BAD_REQUEST);
    assert!(
        message.contains("99999 is not a county of the graph"),
        "{message}"
    );
}

#[tokio::test]
async fn ensemble_placement_matches_cli_summarize_of_the_shipped_file() {
    use fedsplit_alliance::shipped::Shipped;
    use fedsplit_report::alliance;
    let d = data();
    for (graph, example) in [("states", "bluexit-2024"), ("counties", "three-way-split")] {
        let body = example_json(example);
        let file = spec::parse_json_value(
            "request body",
            &mut serde_json::Deserializer::from_str(&body.to_string()),
        )
        .unwrap();
        let scenario = spec::compile(&file, &d).unwrap();
        let k = scenario.assignment.names.len();
        let shipped = Shipped::of(graph, k).unwrap().file();
        let meta = shipped.meta().unwrap();
        let scored =
            alliance::ScoredEnsemble::score(&shipped, meta, Some(&d), scenario.votes_year).unwrap();
        let expected = json_text(
            &scored
                .place(Some(&d), Some(("request body", &scenario)))
                .unwrap(),
        );
        let r = post_to(&format!("/api/ensemble?graph={graph}"), body.to_string()).await;
        assert!(ok_json(&r) == expected, "{graph} {example}");
        let v = r.json();
        assert_eq!(v["meta"]["file"], format!("shipped:{graph}-k{k}"));
        let percentile = v["metrics"][0]["percentile"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&percentile));
    }
    // Errors: no graph, a K with no shipped ensemble, another year.
    let r = post_to("/api/ensemble", example_json("calexit").to_string()).await;
    assert_eq!(r.error(StatusCode::BAD_REQUEST).0, "graph");
    let seven = json!({
        "name": "seven",
        "blocs": {"list": [
            {"name": "a", "states": ["CA"]}, {"name": "b", "states": ["TX"]},
            {"name": "c", "states": ["NY"]}, {"name": "d", "states": ["FL"]},
            {"name": "e", "states": ["IL"]}, {"name": "f", "states": ["OH"]},
            {"name": "g", "rest": true}
        ]},
        "partition": {}
    });
    let (field, message) = post_to("/api/ensemble?graph=states", seven.to_string())
        .await
        .error(StatusCode::BAD_REQUEST);
    assert_eq!(field, "blocs");
    assert!(
        message.contains("no shipped ensemble of 7 blocs"),
        "{message}"
    );
    let mut old = example_json("calexit");
    old["year"] = json!(2019);
    let (field, _) = post_to("/api/ensemble?graph=states", old.to_string())
        .await
        .error(StatusCode::BAD_REQUEST);
    assert_eq!(field, "year");
}

// ---- fiscal years -------------------------------------------------------------

fn all_years() -> &'static [Dataset] {
    static YEARS: OnceLock<Vec<Dataset>> = OnceLock::new();
    YEARS.get_or_init(|| {
        fedsplit_data::EMBEDDED_YEARS
            .iter()
            .map(|&y| Dataset::open(None, Some(y)).unwrap())
            .collect()
    })
}

#[tokio::test]
async fn every_year_is_served_and_matches_cli() {
    use fedsplit_report::{headline, series};
    let years = all_years();
    let health = get("/api/health").await.json();
    assert_eq!(health["years"], json!([2019, 2022, 2023, 2024]));
    assert_eq!(health["fiscal_year"], 2024);
    assert_eq!(health["elections"], json!([2016, 2020, 2024]));
    let per_capita = Options {
        deficit: Deficit::PerCapita,
        ..Options::default()
    };
    for d in years {
        let y = d.fiscal_year;
        let prepared = Ledger::new(d).unwrap();
        let expected = json_text(
            &ledger::build(
                &prepared,
                &Options::default(),
                ledger::SortColumn::Rank,
                None,
            )
            .unwrap(),
        );
        let r = get(&format!("/api/ledger?year={y}")).await;
        assert!(ok_json(&r) == expected, "ledger FY{y}");
        let expected = json_text(&headline::build(&prepared, &per_capita, years).unwrap());
        let r = get(&format!("/api/report?year={y}&deficit=per-capita")).await;
        assert!(ok_json(&r) == expected, "report FY{y}");
        assert!(r.json()["sentence"]
            .as_str()
            .unwrap()
            .starts_with(&format!("In FY{y}")));
        let r = get(&format!("/api/explain?state=AK&year={y}")).await;
        assert_eq!(r.json()["meta"]["fiscal_year"], y);
    }
    // The default year is the latest; the sentence changes with the deficit treatment.
    let none = get("/api/report").await.json();
    let charged = get("/api/report?deficit=per-capita").await.json();
    assert_eq!(none["meta"]["fiscal_year"], 2024);
    assert_ne!(none["sentence"], charged["sentence"]);
    for (uri, by, state) in [
        ("/api/series", series::By::State, None),
        (
            "/api/series?by=bloc&election=2020",
            series::By::Bloc { election: 2020 },
            None,
        ),
        (
            "/api/series?state=NY&deficit=per-capita",
            series::By::State,
            Some(State::Ny),
        ),
    ] {
        let options = if uri.contains("per-capita") {
            per_capita
        } else {
            Options::default()
        };
        let expected = json_text(&series::build(years, &options, by, state).unwrap());
        let r = get(uri).await;
        assert!(ok_json(&r) == expected, "{uri}");
    }
    for (uri, field) in [
        ("/api/ledger?year=2020", "year"),
        ("/api/report?year=twenty", "year"),
        ("/api/series?year=2022", "year"),
        ("/api/series?by=county", "by"),
        ("/api/series?election=2012", "election"),
        ("/api/series?state=ZZ", "state"),
    ] {
        let (f, message) = get(uri).await.error(StatusCode::BAD_REQUEST);
        assert_eq!(f, field, "{uri}: {message}");
    }
    let mut old = example_json("calexit");
    old["year"] = json!(2019);
    let r = post_json(old.to_string()).await.json();
    assert_eq!(r["meta"]["fiscal_year"], 2019);
    old["year"] = json!(2021);
    let (field, message) = post_json(old.to_string())
        .await
        .error(StatusCode::BAD_REQUEST);
    assert_eq!(field, "year", "{message}");
    assert!(message.contains("2019, 2022, 2023, 2024"), "{message}");
}

#[tokio::test]
async fn county_map_is_the_report_map_of_the_county_paths() {
    let d = data();
    let counties = d.counties().unwrap();
    let expected = serde_json::to_string(
        &fedsplit_report::map::counties(&d.county_paths(&counties).unwrap(), &counties).unwrap(),
    )
    .unwrap();
    let r = get("/api/map?level=counties").await;
    assert!(ok_json(&r) == expected);
    let v = r.json();
    // Every county of the graph is drawn or listed without an outline.
    let drawn = v["counties"].as_array().unwrap().len();
    let listed = v["unmapped"].as_array().unwrap().len();
    let graph_counties = counties
        .counties
        .iter()
        .filter(|c| !matches!(c.state.postal(), "AK" | "HI"))
        .count();
    assert_eq!(drawn + listed, graph_counties);
    assert_eq!(
        get("/api/map?level=states").await.body,
        get("/api/map").await.body
    );
    let (field, _) = get("/api/map?level=tracts")
        .await
        .error(StatusCode::BAD_REQUEST);
    assert_eq!(field, "level");
}
