//! End-to-end tests of `fedsplit serve`: the real binary on a free port,
//! its API answers byte for byte equal to the CLI's `--format json`, and a
//! graceful stop on SIGTERM and SIGINT (exit 0). The in-process tests of
//! every endpoint and error are in crates/web/src/tests.rs.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, ChildStderr, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_fedsplit");

/// A running `fedsplit serve --port 0`, killed if a test fails.
struct Server {
    child: Child,
    stderr: BufReader<ChildStderr>,
    addr: String,
    first_line: String,
}

impl Server {
    fn start(extra: &[&str]) -> Server {
        let mut child = Command::new(BIN)
            .args(["serve", "--port", "0"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("binary runs");
        let mut stderr = BufReader::new(child.stderr.take().expect("stderr piped"));
        let mut first_line = String::new();
        stderr.read_line(&mut first_line).expect("stderr readable");
        let prefix = "fedsplit: serving http://";
        let Some(rest) = first_line.strip_prefix(prefix) else {
            let _ = child.kill();
            panic!("unexpected first line: {first_line:?}");
        };
        let addr = rest.split('/').next().unwrap_or("").to_string();
        assert!(
            first_line.trim_end().ends_with("/ (Ctrl-C to stop)"),
            "{first_line:?}"
        );
        Server {
            child,
            stderr,
            addr,
            first_line,
        }
    }

    fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        http(&self.addr, method, path, headers, body)
    }

    fn get(&self, path: &str) -> Reply {
        self.request("GET", path, &[], b"")
    }

    /// Sends `signal` (TERM, INT) and returns the exit code and the rest of stderr.
    fn stop(mut self, signal: &str) -> (Option<i32>, String) {
        let status = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.child.id().to_string())
            .status()
            .expect("kill runs");
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(15);
        let code = loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                break status.code();
            }
            assert!(Instant::now() < deadline, "server did not stop");
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut rest = String::new();
        let _ = self.stderr.read_to_string(&mut rest);
        (code, rest)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> &str {
        std::str::from_utf8(&self.body).expect("UTF-8 body")
    }
}

/// A minimal HTTP/1.1 client: one request per connection (Host: the
/// server's address unless `headers` name one).
fn http(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host")) {
        request.push_str(&format!("Host: {addr}\r\n"));
    }
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("reads the reply");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header block");
    let head = std::str::from_utf8(&raw[..split]).expect("ASCII head");
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers.iter().any(|(n, v)| {
        n.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        body = dechunk(&body);
    }
    Reply {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("chunk size");
        let size_text = std::str::from_utf8(&data[..line_end]).unwrap();
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16).unwrap();
        data = &data[line_end + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

/// `fedsplit ARGS` stdout, asserting success.
fn cli(args: &[&str]) -> String {
    let out = Command::new(BIN).args(args).output().expect("binary runs");
    assert!(
        out.status.success(),
        "fedsplit {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 stdout")
}

fn assert_same(api: &Reply, cli_text: &str, what: &str) {
    assert_eq!(
        api.status,
        200,
        "{what}: {}",
        String::from_utf8_lossy(&api.body)
    );
    assert_eq!(
        api.header("content-type"),
        Some("application/json"),
        "{what}"
    );
    if api.text() != cli_text {
        panic!("{what}: the API answer differs from the CLI's --format json output");
    }
}

#[test]
fn api_answers_equal_the_cli_json_byte_for_byte() {
    let server = Server::start(&[]);
    assert!(
        server.addr.starts_with("127.0.0.1:"),
        "{}",
        server.first_line
    );

    let cases: [(&str, &[&str]); 7] = [
        ("/api/ledger", &["ledger", "--format", "json"]),
        (
            "/api/ledger?method=benefit&deficit=per-capita",
            &[
                "ledger",
                "--method",
                "benefit",
                "--deficit",
                "per-capita",
                "--format",
                "json",
            ],
        ),
        (
            "/api/ledger?corporate_key=headquarters&procurement_key=gdp&interest=income",
            &[
                "ledger",
                "--corporate-key",
                "headquarters",
                "--procurement-key",
                "gdp",
                "--interest",
                "income",
                "--format",
                "json",
            ],
        ),
        (
            "/api/explain?state=NY",
            &["explain", "NY", "--format", "json"],
        ),
        (
            "/api/blocs?election=2024",
            &["blocs", "--election", "2024", "--format", "json"],
        ),
        (
            "/api/blocs?election=2024&margin=5",
            &[
                "blocs",
                "--election",
                "2024",
                "--margin",
                "5",
                "--format",
                "json",
            ],
        ),
        ("/api/sources", &["sources", "--format", "json"]),
    ];
    for (path, args) in cases {
        assert_same(&server.get(path), &cli(args), path);
    }

    // The shipped bluexit-2024 file, converted from TOML to JSON, posted.
    let toml_path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/bluexit-2024.toml");
    let text = std::fs::read_to_string(&toml_path).expect("scenario file");
    let json: serde_json::Value = toml::from_str(&text).expect("TOML converts to JSON");
    let body = serde_json::to_vec(&json).unwrap();
    let reply = server.request(
        "POST",
        "/api/scenario",
        &[("Content-Type", "application/json")],
        &body,
    );
    assert_same(
        &reply,
        &cli(&["scenario", "--example", "bluexit-2024", "--format", "json"]),
        "POST /api/scenario bluexit-2024",
    );
    // And the same through /api/examples.
    let examples: serde_json::Value =
        serde_json::from_slice(&server.get("/api/examples").body).unwrap();
    let bluexit = examples
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "bluexit-2024")
        .expect("bluexit-2024 listed");
    assert_eq!(bluexit["scenario"], json);
}

#[test]
fn page_health_and_errors_over_the_wire() {
    let server = Server::start(&[]);
    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(page
        .header("content-security-policy")
        .is_some_and(|c| c.contains("default-src 'self'")));
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));

    let health: serde_json::Value =
        serde_json::from_slice(&server.get("/api/health").body).unwrap();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["version"], env!("CARGO_PKG_VERSION"));

    let map: serde_json::Value = serde_json::from_slice(&server.get("/api/map").body).unwrap();
    assert_eq!(map["states"].as_array().map(Vec::len), Some(51));

    let bad = server.get("/api/ledger?method=magic");
    assert_eq!(bad.status, 400);
    let v: serde_json::Value = serde_json::from_slice(&bad.body).unwrap();
    assert_eq!(v["error"]["field"], "method");

    let big = vec![b' '; 100 * 1024];
    let reply = server.request(
        "POST",
        "/api/scenario",
        &[("Content-Type", "application/json")],
        &big,
    );
    assert_eq!(reply.status, 413);
    let reply = server.request(
        "POST",
        "/api/scenario",
        &[("Content-Type", "text/plain")],
        b"{}",
    );
    assert_eq!(reply.status, 415);
    let deep = "[".repeat(10_000);
    let reply = server.request(
        "POST",
        "/api/scenario",
        &[("Content-Type", "application/json")],
        deep.as_bytes(),
    );
    assert_eq!(reply.status, 400);
    // Still serving.
    assert_eq!(server.get("/api/health").status, 200);
}

#[test]
fn sigterm_and_sigint_stop_gracefully_with_exit_0() {
    for signal in ["TERM", "INT"] {
        let server = Server::start(&[]);
        assert_eq!(server.get("/api/health").status, 200);
        let (code, rest) = server.stop(signal);
        assert_eq!(code, Some(0), "SIG{signal}: stderr {rest:?}");
        assert!(rest.contains(&format!("SIG{signal} received")), "{rest:?}");
    }
}

#[test]
fn a_busy_port_is_an_error_with_exit_2() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let out = Command::new(BIN)
        .args(["serve", "--port", &port])
        .output()
        .expect("binary runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot listen on 127.0.0.1:"), "{stderr}");
}

/// gzip when accepted, ETag revalidation, the Host check (DNS rebinding)
/// and `--allow-host`, over the wire.
#[test]
fn compression_etags_and_the_host_check() {
    let server = Server::start(&["--allow-host", "fedsplit.example"]);
    let plain = server.get("/app.js");
    assert_eq!(plain.status, 200);
    assert!(plain.header("content-encoding").is_none());
    let gz = server.request("GET", "/app.js", &[("Accept-Encoding", "gzip, br")], b"");
    assert_eq!(gz.header("content-encoding"), Some("gzip"));
    assert!(
        gz.body.len() * 2 < plain.body.len(),
        "gzip should at least halve app.js"
    );
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(&gz.body[..])
        .read_to_end(&mut unzipped)
        .unwrap();
    assert!(unzipped == plain.body);
    let etag = plain.header("etag").expect("an ETag").to_string();
    assert_eq!(gz.header("etag"), Some(etag.as_str()));
    let again = server.request("GET", "/app.js", &[("If-None-Match", &etag)], b"");
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    // Another name for this server is refused unless allowed.
    let evil = server.request("GET", "/api/health", &[("Host", "evil.example")], b"");
    assert_eq!(evil.status, 403);
    assert!(
        evil.text().contains("\"field\":\"host\""),
        "{}",
        evil.text()
    );
    for host in ["fedsplit.example", "localhost", "127.0.0.1"] {
        let ok = server.request("GET", "/api/health", &[("Host", host)], b"");
        assert_eq!(ok.status, 200, "{host}");
    }
}

/// A client that sends half a request header is disconnected within 10–20 s.
#[test]
fn a_half_sent_header_is_cut_off() {
    let server = Server::start(&[]);
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream
        .write_all(b"GET /api/health HTTP/1.1\r\nHost: 127")
        .unwrap();
    let started = Instant::now();
    let mut rest = Vec::new();
    let _ = stream.read_to_end(&mut rest);
    let waited = started.elapsed();
    assert!(
        (Duration::from_secs(10)..Duration::from_secs(20)).contains(&waited),
        "closed after {waited:?}"
    );
    assert_eq!(server.get("/api/health").status, 200);
}

/// Open connections are capped: with the cap held by idle connections a new
/// request waits, and is answered once they close.
#[test]
fn open_connections_are_capped() {
    let server = Server::start(&[]);
    let idle: Vec<TcpStream> = (0..512)
        .map(|_| TcpStream::connect(&server.addr).unwrap())
        .collect();
    // Let the server accept them all.
    std::thread::sleep(Duration::from_millis(500));
    let mut waiting = TcpStream::connect(&server.addr).unwrap();
    waiting
        .write_all(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .unwrap();
    waiting
        .set_read_timeout(Some(Duration::from_millis(1500)))
        .unwrap();
    let mut first = [0u8; 1];
    assert!(
        waiting.read(&mut first).is_err(),
        "a request beyond the cap was answered at once"
    );
    drop(idle);
    waiting
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut reply = Vec::new();
    waiting.read_to_end(&mut reply).unwrap();
    assert!(
        reply.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&reply)
    );
}
