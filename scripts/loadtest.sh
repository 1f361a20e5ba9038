#!/usr/bin/env bash
# Load and abuse test of `fedsplit serve` (not run in CI):
#   1. builds the release binary and starts `fedsplit serve --port 0` (a free
#      port on 127.0.0.1, read from its startup line);
#   2. load: POST /api/scenario with the bluexit-2024 example as JSON, for
#      DURATION seconds (default 30) with 2 threads and 50 connections, using
#      wrk (Debian package; installed with apt-get when root and missing) or,
#      failing that, oha if installed; prints requests/s, latency percentiles
#      and errors;
#   3. a table: POST /api/scenario, GET /api/ledger and GET /api/report at 16
#      and 64 connections, with and without gzip, TABLE_SECONDS (default 15)
#      each: requests/s, p50, p99, errors;
#   4. abuse: 10,000 malformed requests (random bytes, huge numbers, JSON
#      nested 10,000 deep, wrong or missing content type, 100 KB bodies,
#      unknown keys and parameters) from a python3 stdlib client, counting
#      status codes: every one must be a 4xx; then /api/health must answer 200;
#   5. stops the server with SIGTERM and expects exit code 0.
# Exit 0 when all checks pass. Traffic goes to 127.0.0.1 only.
#
# Usage: scripts/loadtest.sh [DURATION_SECONDS] [MALFORMED_COUNT] [TABLE_SECONDS]
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
duration="${1:-30}"
malformed="${2:-10000}"
table_seconds="${3:-15}"

echo "== machine"
echo "cores: $(nproc); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"

echo "== cargo build --release -p fedsplit"
cargo build --release -p fedsplit --quiet
bin="target/release/fedsplit"

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

"$bin" serve --port 0 2>"$work/serve.log" &
server_pid=$!
addr=""
for _ in $(seq 1 100); do
  addr="$(grep -o 'http://[0-9.]*:[0-9]*/' "$work/serve.log" | head -1 || true)"
  [[ -n "$addr" ]] && break
  sleep 0.1
done
if [[ -z "$addr" ]]; then
  echo "server did not start:" >&2
  cat "$work/serve.log" >&2
  exit 1
fi
addr="${addr%/}"
echo "server: $addr (pid $server_pid)"

# The bluexit-2024 example as the page sends it, from /api/examples.
python3 - "$addr" "$work/bluexit.json" <<'EOF'
import http.client, json, sys, urllib.parse
url = urllib.parse.urlsplit(sys.argv[1])
conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
conn.request("GET", "/api/examples")
examples = json.loads(conn.getresponse().read())
body = next(e["scenario"] for e in examples if e["name"] == "bluexit-2024")
open(sys.argv[2], "w").write(json.dumps(body))
EOF
echo "body: $(wc -c <"$work/bluexit.json") bytes of JSON (bluexit-2024)"

echo "== load: POST /api/scenario, ${duration} s, 2 threads, 50 connections"
if ! command -v wrk >/dev/null 2>&1 && ! command -v oha >/dev/null 2>&1 && [[ "$(id -u)" == 0 ]]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1 \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
fi
if command -v wrk >/dev/null 2>&1; then
  cat >"$work/post.lua" <<EOF
local f = io.open("$work/bluexit.json", "rb")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.1f rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1e3, latency:percentile(90) / 1e3, latency:percentile(99) / 1e3,
    latency.max / 1e3, e.status, e.connect, e.read, e.write, e.timeout))
end
EOF
  wrk -t2 -c50 -d"${duration}s" --latency -s "$work/post.lua" "$addr/api/scenario" | tee "$work/wrk.out"
  result="$(grep '^RESULT' "$work/wrk.out")"
  for key in non2xx connect read write timeout; do
    value="$(sed -n "s/.* $key=\([0-9]*\).*/\1/p" <<<"$result")"
    if [[ "$value" != 0 ]]; then
      echo "FAIL: $key errors: $value" >&2
      exit 1
    fi
  done
elif command -v oha >/dev/null 2>&1; then
  oha -z "${duration}s" -c 50 -m POST -H 'Content-Type: application/json' \
    -D "$work/bluexit.json" --no-tui "$addr/api/scenario"
else
  echo "FAIL: neither wrk nor oha is available" >&2
  exit 1
fi

echo "== load table: each request at 16 and 64 connections, ${table_seconds} s each (wrk -t2)"
if command -v wrk >/dev/null 2>&1; then
  # wrk scripts: the row printer, gzip accepted, and the POST body.
  printf '%s\n' \
    'function done(summary, latency, requests)' \
    '  local e = summary.errors' \
    '  io.write(string.format("ROW %.0f req/s, p50 %.2f ms, p99 %.2f ms, errors %d\n",' \
    '    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1e3,' \
    '    latency:percentile(99) / 1e3, e.status + e.connect + e.read + e.write + e.timeout))' \
    'end' >"$work/row.lua"
  printf '%s\n' 'wrk.headers["Accept-Encoding"] = "gzip"' >"$work/gzip.lua"
  printf '%s\n' \
    "local f = io.open(\"$work/bluexit.json\", \"rb\")" \
    'wrk.method = "POST"' \
    'wrk.body = f:read("*a")' \
    'f:close()' \
    'wrk.headers["Content-Type"] = "application/json"' >"$work/body.lua"
  cat "$work/body.lua" "$work/row.lua" >"$work/post_row.lua"
  cat "$work/body.lua" "$work/gzip.lua" "$work/row.lua" >"$work/post_gzip_row.lua"
  cat "$work/gzip.lua" "$work/row.lua" >"$work/get_gzip_row.lua"
  row() { # label, wrk script, path, connections
    local line
    line="$(wrk -t2 -c"$4" -d"${table_seconds}s" -s "$2" "$addr$3" | sed -n 's/^ROW //p')"
    printf '| %s | %s | %s |\n' "$1" "$4" "$line"
  }
  echo "| request | connections | result |"
  echo "|---|---|---|"
  for c in 16 64; do
    row "POST /api/scenario (bluexit-2024)" "$work/post_row.lua" /api/scenario "$c"
    row "POST /api/scenario, gzip accepted" "$work/post_gzip_row.lua" /api/scenario "$c"
    row "GET /api/ledger" "$work/row.lua" /api/ledger "$c"
    row "GET /api/ledger, gzip accepted" "$work/get_gzip_row.lua" /api/ledger "$c"
    row "GET /api/report?deficit=per-capita" "$work/row.lua" "/api/report?deficit=per-capita" "$c"
  done
fi

echo "== abuse: $malformed malformed requests"
python3 - "$addr" "$work/bluexit.json" "$malformed" <<'EOF'
import collections, http.client, json, random, socket, sys, threading, urllib.parse

url = urllib.parse.urlsplit(sys.argv[1])
good = json.load(open(sys.argv[2]))
total = int(sys.argv[3])
rng = random.Random(20240)
JSON = "application/json"

def with_value(path, value):
    doc = json.loads(json.dumps(good))
    node = doc
    for k in path[:-1]:
        node = node.setdefault(k, {})
    node[path[-1]] = value
    return json.dumps(doc)

deep_arrays = "[" * 10000 + "]" * 10000
deep_objects = '{"a":' * 10000 + "1" + "}" * 10000
dem = ["bluexit", "bloc", "Democratic"]
kinds = [
    # (label, method, path, content type or None, body builder)
    ("random bytes", "POST", "/api/scenario", JSON,
     lambda: bytes(rng.getrandbits(8) for _ in range(rng.randrange(0, 2000)))),
    ("huge number 1e999", "POST", "/api/scenario", JSON,
     lambda: with_value(dem + ["replace_share"], 1.0).replace('"replace_share": 1.0', '"replace_share": 1e999')),
    ("replace_share 1e308", "POST", "/api/scenario", JSON,
     lambda: with_value(dem + ["replace_share"], 1e308)),
    ("income_tax_scale -1e308", "POST", "/api/scenario", JSON,
     lambda: with_value(dem + ["income_tax_scale"], -1e308)),
    ("election 10^30", "POST", "/api/scenario", JSON,
     lambda: with_value(["blocs", "election"], 10**30)),
    ("margin 1e308", "POST", "/api/scenario", JSON,
     lambda: with_value(["blocs", "margin"], 1e308)),
    ("nested arrays 10,000", "POST", "/api/scenario", JSON, lambda: deep_arrays),
    ("nested objects 10,000", "POST", "/api/scenario", JSON, lambda: deep_objects),
    ("nested in unknown key", "POST", "/api/scenario", JSON,
     lambda: '{"name":"x","blocs":{"election":2024},"z":' + deep_arrays + "}"),
    ("nested in blocs.list", "POST", "/api/scenario", JSON,
     lambda: '{"name":"x","blocs":{"list":' + deep_arrays + "}}"),
    ("wrong content type", "POST", "/api/scenario", "text/plain", lambda: json.dumps(good)),
    ("no content type", "POST", "/api/scenario", None, lambda: json.dumps(good)),
    ("form content type", "POST", "/api/scenario", "application/x-www-form-urlencoded", lambda: "a=1"),
    ("100 KB body", "POST", "/api/scenario", JSON,
     lambda: '{"name":"' + "x" * (100 * 1024) + '"}'),
    ("truncated JSON", "POST", "/api/scenario", JSON,
     lambda: json.dumps(good)[: rng.randrange(1, len(json.dumps(good)))]),
    ("unknown key", "POST", "/api/scenario", JSON, lambda: with_value(["colour"], "blue")),
    ("wrong type", "POST", "/api/scenario", JSON, lambda: with_value(["name"], 1)),
    ("unknown query parameter", "GET", "/api/ledger?metod=flow", None, lambda: b""),
    ("bad option value", "GET", "/api/ledger?method=%00%ff", None, lambda: b""),
    ("unknown state", "GET", "/api/explain?state=ZZ", None, lambda: b""),
    ("bad margin", "GET", "/api/blocs?election=2024&margin=1e999", None, lambda: b""),
    ("GET on POST endpoint", "GET", "/api/scenario", None, lambda: b""),
    ("unknown endpoint", "GET", "/api/" + "x" * 2000, None, lambda: b""),
]

counts = collections.Counter()
by_kind = collections.defaultdict(collections.Counter)
failures = []
lock = threading.Lock()

def one(i):
    label, method, path, ctype, make = kinds[i % len(kinds)]
    body = make()
    if isinstance(body, str):
        body = body.encode()
    status = None
    try:
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=20)
        headers = {"Connection": "close"}
        if ctype:
            headers["Content-Type"] = ctype
        try:
            conn.request(method, path, body=body if method == "POST" else None, headers=headers)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer before reading all of a refused body
        response = conn.getresponse()
        status = response.status
        payload = response.read()
        if 400 <= status < 500:
            err = json.loads(payload)["error"]
            assert isinstance(err["field"], str) and err["message"], payload[:200]
        conn.close()
    except Exception as e:  # noqa: BLE001 — every failure is counted
        status = type(e).__name__
    with lock:
        counts[status] += 1
        by_kind[label][status] += 1
        if not (isinstance(status, int) and 400 <= status < 500):
            failures.append((label, status))

def worker(start, step):
    for i in range(start, total, step):
        one(i)

threads = [threading.Thread(target=worker, args=(k, 4)) for k in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()

print("status counts:", dict(sorted(counts.items(), key=lambda kv: str(kv[0]))))
for label, _, _, _, _ in kinds:
    print(f"  {label:28} {dict(by_kind[label])}")
conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
conn.request("GET", "/api/health")
health = conn.getresponse()
health_status = health.status
health.read()
print("health after:", health_status)
if failures:
    print(f"FAIL: {len(failures)} requests did not get a 4xx, e.g. {failures[:5]}")
if health_status != 200:
    print("FAIL: /api/health did not answer 200")
sys.exit(1 if failures or health_status != 200 else 0)
EOF

echo "== stop: SIGTERM"
kill -TERM "$server_pid"
set +e
wait "$server_pid"
code=$?
set -e
server_pid=""
cat "$work/serve.log"
if [[ "$code" != 0 ]]; then
  echo "FAIL: exit code $code after SIGTERM" >&2
  exit 1
fi
echo "exit code 0 after SIGTERM"
echo "PASS"
