// Shared by the *.test.js files: a real `fedsplit serve` (the release
// binary, or FEDSPLIT_BIN), Debian's headless Chromium, the page's number
// formats, and the API calls the tests take their expected values from.
// Each test file starts its own server and browser (node --test runs the
// files in parallel processes).
'use strict';

const { before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { shrink } = require('./png');

const ROOT = path.resolve(__dirname, '../..');
const BIN = process.env.FEDSPLIT_BIN || path.join(ROOT, 'target/release/fedsplit');
const ARTIFACTS = path.join(ROOT, 'artifacts');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const DESKTOP = { width: 1440, height: 1000 };
const PHONE = { width: 390, height: 844 };

// The page's number formats (en-US, minus sign U+2212), written out again
// so that a change to the page's formatter shows up as a failure.
const MINUS = '\u2212';
const nf = (d) => new Intl.NumberFormat('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
function signed(text, value, always) {
  if (value < 0) return MINUS + text;
  if (always && value > 0) return '+' + text;
  return text;
}
const fmtInt = (n) => { const r = Math.round(n); return signed(nf(0).format(Math.abs(r)), r, false); };
const fmtB = (n, sign) => { const r = Math.round(n / 1e8) / 10; return signed('$' + nf(1).format(Math.abs(r)) + 'B', r, sign); };
const fmtD = (n, sign) => { const r = Math.round(n); return signed('$' + nf(0).format(Math.abs(r)), r, sign); };
const fmtPct = (f, sign) => { const r = Math.round(f * 1000) / 10; return signed(nf(1).format(Math.abs(r)) + '%', r, sign); };

function startServer() {
  return new Promise((resolve, reject) => {
    if (!fs.existsSync(BIN)) {
      reject(new Error(`${BIN} not found: run cargo build --release (or set FEDSPLIT_BIN)`));
      return;
    }
    const server = spawn(BIN, ['serve', '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let buffer = '';
    const timeout = setTimeout(() => reject(new Error('no "serving" line within 30 s: ' + buffer)), 30000);
    server.stderr.setEncoding('utf8');
    server.stderr.on('data', (chunk) => {
      buffer += chunk;
      const m = /fedsplit: serving (http:\/\/127\.0\.0\.1:\d+)\//.exec(buffer);
      if (m) { clearTimeout(timeout); resolve({ server, base: m[1] }); }
    });
    server.on('exit', (code) => { clearTimeout(timeout); reject(new Error(`server exited (${code}): ${buffer}`)); });
    server.on('error', (e) => { clearTimeout(timeout); reject(e); });
  });
}

/** A server and a browser for one test file; `problems` collects console
 * errors and page errors from every page it opens. */
function harness() {
  const h = { base: '', browser: null, server: null, problems: [] };
  before(async () => {
    const started = await startServer();
    h.server = started.server;
    h.base = started.base;
    h.browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });
  after(async () => {
    if (h.browser) await h.browser.close();
    if (h.server) {
      h.server.removeAllListeners('exit');
      h.server.kill('SIGTERM');
    }
  });
  /** A page in a fresh context; `options` go to browser.newContext. */
  h.newPage = async (viewport, options) => {
    const context = await h.browser.newContext({ viewport: viewport || DESKTOP, acceptDownloads: true, ...options });
    const page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') h.problems.push(`console: ${m.text()}`); });
    page.on('pageerror', (e) => h.problems.push(`pageerror: ${e.message}`));
    return page;
  };
  /** A page at `query` (e.g. '?year=2019'), once it has drawn everything. */
  h.open = async (query, viewport, options) => {
    const page = await h.newPage(viewport, options);
    await page.goto(h.base + '/' + (query || ''));
    // attached, not visible: a link may open the county view, which hides the state map
    await page.waitForSelector('#map path[data-state]', { state: 'attached' });
    await settled(page);
    return page;
  };
  h.get = async (route) => {
    const r = await fetch(h.base + route);
    assert.equal(r.status, 200, `${route}: ${await r.clone().text()}`);
    return r.json();
  };
  h.scenario = async (body) => {
    const r = await fetch(h.base + '/api/scenario', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
    assert.equal(r.status, 200, await r.clone().text());
    return r.json();
  };
  /** POST `body` to `route` (e.g. '/api/scenario?graph=counties'); `status` is the one expected. */
  h.post = async (route, body, status) => {
    const r = await fetch(h.base + route, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
    assert.equal(r.status, status || 200, `${route}: ${await r.clone().text()}`);
    return r.json();
  };
  /** Drops from `problems` the console lines of API refusals the test asked for (the browser logs any 400). */
  h.expectRefusals = () => {
    h.problems = h.problems.filter((p) => !/Failed to load resource: the server responded with a status of 400/.test(p));
  };
  /** Every state's bloc name for `groups` ({name: [states]}); the rest go to `rest`. */
  h.assignment = async (groups, rest) => {
    const map = await h.get('/api/map');
    const out = {};
    for (const s of map.states) {
      const hit = Object.entries(groups).find(([, states]) => states.includes(s.postal));
      out[s.postal] = hit ? hit[0] : rest;
    }
    return out;
  };
  return h;
}

/** Waits until the page has fetched and drawn everything for its current state. */
async function settled(page) {
  await page.waitForFunction(() => {
    const p = document.getElementById('panel');
    return p && p.getAttribute('aria-busy') === 'false';
  }, null, { timeout: 15000 });
}

async function cell(page, bloc, field, table) {
  const loc = page.locator(`#${table || 'bloc-table'} td[data-bloc="${bloc}"][data-field="${field}"]`);
  return { text: (await loc.textContent()).trim(), value: await loc.getAttribute('data-value') };
}

/** A figure of the county view's table (#county-table). */
function countyCell(page, bloc, field) {
  return cell(page, bloc, field, 'county-table');
}

/** Sets a range input as a user's drag would. */
async function slide(page, selector, value) {
  await page.$eval(selector, (el, v) => { el.value = v; el.dispatchEvent(new Event('input', { bubbles: true })); }, String(value));
}

/** Shows `name`'s policy in the policy editor (chosen by the bloc's position, as the page lists them). */
async function editBloc(page, name) {
  const names = await page.$$eval('#bloc-list .bloc-name', (els) => els.map((e) => e.value));
  const i = names.indexOf(name);
  assert.ok(i >= 0, `no bloc ${name} in ${names}`);
  await page.selectOption('#policy-bloc', String(i));
}

/** A screenshot written to artifacts/NAME with its colours reduced to a palette (png.js), to keep it small. */
async function snap(page, name, options) {
  const buf = await page.screenshot({ type: 'png', ...options });
  fs.writeFileSync(path.join(ARTIFACTS, name), shrink(buf));
}

module.exports = {
  ARTIFACTS, BIN, DESKTOP, PHONE, ROOT, fmtInt, fmtB, fmtD, fmtPct, harness, settled, cell, countyCell, slide, editBloc, snap,
};
