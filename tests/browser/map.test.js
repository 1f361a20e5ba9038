// Headless-Chromium tests of the fedsplit web page against a real
// `fedsplit serve` (the release binary, or FEDSPLIT_BIN). Run: `node --test`
// in tests/browser after `npm ci` and `cargo build --release`.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

const ROOT = path.resolve(__dirname, '../..');
const BIN = process.env.FEDSPLIT_BIN || path.join(ROOT, 'target/release/fedsplit');
const ARTIFACTS = path.join(ROOT, 'artifacts');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

let server;
let base;
let browser;
const problems = []; // console errors and page errors, from every page

// The page's number formats (en-US, minus sign U+2212).
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

function startServer() {
  return new Promise((resolve, reject) => {
    if (!fs.existsSync(BIN)) {
      reject(new Error(`${BIN} not found: run cargo build --release (or set FEDSPLIT_BIN)`));
      return;
    }
    server = spawn(BIN, ['serve', '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let buffer = '';
    const timeout = setTimeout(() => reject(new Error('no "serving" line within 30 s: ' + buffer)), 30000);
    server.stderr.setEncoding('utf8');
    server.stderr.on('data', (chunk) => {
      buffer += chunk;
      const m = /fedsplit: serving (http:\/\/127\.0\.0\.1:\d+)\//.exec(buffer);
      if (m) { clearTimeout(timeout); resolve(m[1]); }
    });
    server.on('exit', (code) => { clearTimeout(timeout); reject(new Error(`server exited (${code}): ${buffer}`)); });
    server.on('error', (e) => { clearTimeout(timeout); reject(e); });
  });
}

async function newPage(viewport) {
  const context = await browser.newContext({ viewport: viewport || { width: 1440, height: 1000 }, acceptDownloads: true });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  return page;
}

/** Waits until the page has fetched and drawn everything for its current state. */
async function settled(page) {
  await page.waitForFunction(() => {
    const p = document.getElementById('panel');
    return p && p.getAttribute('aria-busy') === 'false';
  }, null, { timeout: 15000 });
}

async function cell(page, bloc, field) {
  const loc = page.locator(`#bloc-table td[data-bloc="${bloc}"][data-field="${field}"]`);
  return { text: (await loc.textContent()).trim(), value: await loc.getAttribute('data-value') };
}

/** Every state's bloc index as drawn on the map. */
async function assignment(page) {
  return page.$$eval('#map path[data-state]', (ps) => Object.fromEntries(ps.map((p) => [p.dataset.state, p.dataset.bloc])));
}

/** The body the page sends for: CA, NY, WA in "Bloc 2", the rest in "Rest of the union". */
async function body(overrides) {
  const map = await (await fetch(base + '/api/map')).json();
  const bloc2 = new Set(['CA', 'NY', 'WA']);
  const assignmentMap = {};
  for (const s of map.states) assignmentMap[s.postal] = bloc2.has(s.postal) ? 'Bloc 2' : 'Rest of the union';
  return {
    name: 'map',
    ledger: { method: 'flow', deficit: 'none' },
    blocs: { assignment: assignmentMap },
    bluexit: {
      federal_response: 'deficit',
      bloc: {
        'Bloc 2': Object.assign({
          income_tax_scale: 1, withdraw: [], replace_share: 1, instrument: 'agi-flat', pooling: 'state',
        }, overrides || {}),
      },
    },
  };
}

async function api(bodyObject) {
  const r = await fetch(base + '/api/scenario', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(bodyObject),
  });
  assert.equal(r.status, 200, await r.clone().text());
  return r.json();
}

before(async () => {
  base = await startServer();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.kill('SIGTERM');
});

let page;
let sharedUrl;
let atHalf;

test('the map has 51 focusable state paths', async () => {
  page = await newPage();
  await page.goto(base + '/');
  await page.waitForSelector('#map path[data-state]');
  await settled(page);
  const paths = page.locator('#map path[data-state]');
  assert.equal(await paths.count(), 51);
  const ca = page.locator('#map path[data-state="CA"]');
  assert.equal(await ca.getAttribute('role'), 'button');
  assert.equal(await ca.getAttribute('tabindex'), '0');
  assert.match(await ca.getAttribute('aria-label'), /California: Rest of the union/);
  assert.equal(await page.locator('#map').getAttribute('viewBox'), '0 0 975 610');
  assert.deepEqual(problems, []);
});

test('three states clicked into Bloc 2 show the API figures', async () => {
  for (const s of ['CA', 'NY']) await page.click(`#map path[data-state="${s}"]`);
  // the keyboard works too
  await page.focus('#map path[data-state="WA"]');
  await page.keyboard.press('Enter');
  await settled(page);
  assert.match(await page.locator('#map path[data-state="WA"]').getAttribute('aria-label'), /Washington: Bloc 2/);
  const expected = await api(await body());
  const b2 = expected.blocs.find((b) => b.bloc === 'Bloc 2');
  assert.deepEqual(b2.states.slice().sort(), ['CA', 'NY', 'WA']);
  const pop = await cell(page, 'Bloc 2', 'population');
  assert.equal(pop.text, fmtInt(b2.population));
  assert.equal(Number(pop.value), b2.population);
  const net = await cell(page, 'Bloc 2', 'net-delta');
  assert.equal(net.text, fmtB(b2.net_delta_usd, true));
  assert.equal(Number(net.value), b2.net_delta_usd);
  const rest = expected.blocs.find((b) => b.bloc === 'Rest of the union');
  assert.equal((await cell(page, 'Rest of the union', 'population')).text, fmtInt(rest.population));
  assert.match(page.url(), /[?&]b=CA:1,NY:1,WA:1\b/);
  // Bloc 2 is two pieces (CA+WA, NY): the warning names the states outside the largest one
  assert.match(await page.locator('#warnings').textContent(), /Bloc 2 is not contiguous/);
  assert.match(await page.locator('#status').textContent(), /Bloc 2: 3 states/);
  assert.deepEqual(problems, []);
});

test('moving the income-tax slider changes the totals', async () => {
  const beforeNet = (await cell(page, 'Bloc 2', 'net-delta')).text;
  const beforeDeficit = (await page.locator('#federal-budget tr[data-field="deficit"] td').nth(1).textContent()).trim();
  await page.$eval('#scale', (el) => { el.value = '0.5'; el.dispatchEvent(new Event('input', { bubbles: true })); });
  await settled(page);
  assert.equal(await page.locator('#scale-out').textContent(), '×0.50');
  const afterNet = await cell(page, 'Bloc 2', 'net-delta');
  assert.notEqual(afterNet.text, beforeNet);
  const expected = await api(await body({ income_tax_scale: 0.5 }));
  const b2 = expected.blocs.find((b) => b.bloc === 'Bloc 2');
  assert.equal(afterNet.text, fmtB(b2.net_delta_usd, true));
  assert.equal((await cell(page, 'Bloc 2', 'net-delta-per-resident')).text, fmtD(b2.net_delta_per_resident_usd, true));
  const afterDeficit = (await page.locator('#federal-budget tr[data-field="deficit"] td').nth(1).textContent()).trim();
  assert.notEqual(afterDeficit, beforeDeficit);
  assert.equal(afterDeficit, fmtB(expected.federal_budget.deficit_after_usd));
  assert.match(page.url(), /[?&]scale=0\.5\b/);
  sharedUrl = page.url();
  atHalf = {
    assignment: await assignment(page),
    population: (await cell(page, 'Bloc 2', 'population')).text,
    net: afterNet.text,
    deficit: afterDeficit,
  };
  assert.deepEqual(problems, []);
});

test('the back button restores the previous state', async () => {
  await page.goBack();
  await page.waitForFunction(() => document.getElementById('scale').value === '1');
  await settled(page);
  assert.equal(await page.inputValue('#scale'), '1');
  const expected = await api(await body());
  const b2 = expected.blocs.find((b) => b.bloc === 'Bloc 2');
  assert.equal((await cell(page, 'Bloc 2', 'net-delta')).text, fmtB(b2.net_delta_usd, true));
  await page.goForward();
  await page.waitForFunction(() => document.getElementById('scale').value === '0.5');
  await settled(page);
  assert.equal(await page.inputValue('#scale'), '0.5');
  assert.equal((await cell(page, 'Bloc 2', 'net-delta')).text, atHalf.net);
  assert.deepEqual(problems, []);
});

test('a shared URL restores the same state in a new page', async () => {
  const fresh = await newPage();
  await fresh.goto(sharedUrl);
  await fresh.waitForSelector('#map path[data-state]');
  await settled(fresh);
  assert.deepEqual(await assignment(fresh), atHalf.assignment);
  assert.equal(await fresh.inputValue('#scale'), '0.5');
  assert.equal((await cell(fresh, 'Bloc 2', 'population')).text, atHalf.population);
  assert.equal((await cell(fresh, 'Bloc 2', 'net-delta')).text, atHalf.net);
  assert.equal((await fresh.locator('#federal-budget tr[data-field="deficit"] td').nth(1).textContent()).trim(), atHalf.deficit);
  // a state's tooltip on hover, then the screenshot of the page as shared
  await fresh.hover('#map path[data-state="TX"]');
  await fresh.waitForSelector('#tooltip:not([hidden])');
  assert.match(await fresh.locator('#tooltip').textContent(), /Texas/);
  await fresh.screenshot({ path: path.join(ARTIFACTS, 'map.png'), fullPage: true });
  await fresh.context().close();
  assert.deepEqual(problems, []);
});

test('blocs can be added, renamed and removed', async () => {
  await page.click('#add-bloc');
  await settled(page);
  assert.equal(await page.locator('#bloc-list li').count(), 3);
  await page.fill('#bloc-name-2', 'Northeast');
  for (let i = 0; i < 2; i++) await page.click('#map path[data-state="MA"]');
  await settled(page);
  assert.match(await page.locator('#map path[data-state="MA"]').getAttribute('aria-label'), /Massachusetts: Northeast/);
  assert.equal((await cell(page, 'Northeast', 'states')).text, '1');
  await page.fill('#bloc-name-1', 'Pacifica');
  await settled(page);
  assert.match(await page.locator('#map path[data-state="CA"]').getAttribute('aria-label'), /California: Pacifica/);
  assert.ok(await page.locator('#bloc-table th[data-bloc="Pacifica"]').count());
  // removing Northeast returns MA to the first bloc
  await page.locator('#bloc-list li').nth(2).locator('button').click();
  await settled(page);
  assert.match(await page.locator('#map path[data-state="MA"]').getAttribute('aria-label'), /Rest of the union/);
  assert.deepEqual(problems, []);
});

test('presets, choropleth, partition, details and downloads', async () => {
  await page.click('[data-preset="election-2024"]');
  await settled(page);
  const blocs = await (await fetch(base + '/api/blocs?election=2024')).json();
  for (const b of blocs.blocs) {
    assert.equal((await cell(page, b.bloc, 'population')).text, fmtInt(b.population));
    assert.equal((await cell(page, b.bloc, 'stranded')).value, String(b.stranded_voters));
  }

  await page.click('[data-preset="example-calexit"]');
  await settled(page);
  assert.equal(await page.isChecked('#partition'), true);
  const ca = await cell(page, 'California', 'debt-to-gdp');
  assert.equal(ca.text, '78.5%');

  await page.selectOption('#mode', 'net');
  await page.waitForSelector('#legend.net');
  const fills = await page.$$eval('#map path[data-state]', (ps) => new Set(ps.map((p) => p.style.fill)).size);
  assert.ok(fills > 10, 'the choropleth has many colours');
  assert.match(page.url(), /[?&]mode=net\b/);

  await page.selectOption('#details-state', 'NY');
  await page.waitForSelector('#details-lines table.explain');
  assert.match(await page.locator('#details-lines').textContent(), /Individual income tax/);
  assert.ok(await page.locator('#details-lines td.grade').count() > 5);

  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
  const csvText = fs.readFileSync(await csv.path(), 'utf8');
  assert.match(csvText.split('\n')[0], /^bloc,states,population,gdp_usd/);
  assert.match(csvText, /\nCalifornia,CA,39040616,/);
  const [json] = await Promise.all([page.waitForEvent('download'), page.click('#download-json')]);
  const doc = JSON.parse(fs.readFileSync(await json.path(), 'utf8'));
  assert.equal(doc.meta.command, 'scenario');
  assert.ok(Array.isArray(doc.partition));

  await page.context().close();
  assert.deepEqual(problems, []);
});

test('every control reaches the scenario the API computes', async () => {
  const p = await newPage();
  await p.goto(sharedUrl);
  await p.waitForSelector('#map path[data-state]');
  await settled(p);
  await p.selectOption('#method', 'benefit');
  await p.selectOption('#deficit', 'per-capita');
  for (const c of ['grants', 'medicaid', 'snap', 'other-payments']) await p.check('#withdraw-' + c);
  await p.$eval('#replace', (el) => { el.value = '0.75'; el.dispatchEvent(new Event('input', { bubbles: true })); });
  await p.selectOption('#instrument', 'sales-tax');
  await p.selectOption('#pooling', 'bloc');
  await p.selectOption('#response', 'cut-spending');
  await p.check('#partition');
  await p.selectOption('#debt-key', 'net-benefit');
  await p.selectOption('#goods-key', 'gdp');
  await settled(p);
  const b = await body({
    income_tax_scale: 0.5, withdraw: ['grants', 'medicaid', 'snap', 'other-payments'],
    replace_share: 0.75, instrument: 'sales-tax', pooling: 'bloc',
  });
  b.ledger = { method: 'benefit', deficit: 'per-capita' };
  b.bluexit.federal_response = 'cut-spending';
  b.partition = { public_goods_key: 'gdp', debt_key: 'net-benefit' };
  const expected = await api(b);
  const b2 = expected.blocs.find((x) => x.bloc === 'Bloc 2');
  assert.equal((await cell(p, 'Bloc 2', 'net-delta')).text, fmtB(b2.net_delta_usd, true));
  assert.equal((await cell(p, 'Bloc 2', 'state-taxes')).text, fmtB(b2.state_taxes_delta_usd, true));
  const country = expected.partition.find((x) => x.country === 'Bloc 2');
  assert.equal(Number((await cell(p, 'Bloc 2', 'overall-balance')).value), country.overall_balance_usd);
  const deficit = await p.locator('#federal-budget tr[data-field="deficit"] td').nth(1).textContent();
  assert.equal(deficit.trim(), fmtB(expected.federal_budget.deficit_after_usd));
  const cutRows = await p.locator('#federal-budget tr[data-field="spending-cut"]').count();
  assert.equal(cutRows, expected.federal_budget.spending_cut_usd ? 1 : 0);
  // the baseline follows the ledger options
  const ledger = await (await fetch(base + '/api/ledger?method=benefit&deficit=per-capita')).json();
  const net = ledger.states.filter((s) => ['CA', 'NY', 'WA'].includes(s.state)).reduce((a, s) => a + s.net_usd, 0);
  assert.equal((await cell(p, 'Bloc 2', 'net')).text, fmtB(net, true));
  // keyboard focus on a state shows its tooltip
  await p.mouse.move(1, 1);
  await p.focus('#map path[data-state="OH"]');
  await p.waitForSelector('#tooltip:not([hidden])');
  assert.match(await p.locator('#tooltip').textContent(), /Ohio/);
  // and the whole state survives a reload
  const url = p.url();
  await p.reload();
  await settled(p);
  assert.equal(p.url(), url);
  assert.equal(await p.inputValue('#method'), 'benefit');
  assert.equal(await p.isChecked('#withdraw-other-payments'), true);
  assert.equal(await p.inputValue('#replace'), '0.75');
  assert.equal((await cell(p, 'Bloc 2', 'net-delta')).text, fmtB(b2.net_delta_usd, true));
  await p.context().close();
  assert.deepEqual(problems, []);
});

test('phone width: the panel sits below the map', async () => {
  const phone = await newPage({ width: 390, height: 844 });
  await phone.goto(sharedUrl);
  await phone.waitForSelector('#map path[data-state]');
  await settled(phone);
  const map = await phone.locator('#map').boundingBox();
  const panel = await phone.locator('#panel').boundingBox();
  assert.ok(panel.y >= map.y + map.height, 'panel below the map');
  assert.ok(map.width <= 390 && panel.width <= 390, 'nothing wider than the screen');
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= 390, `page scrolls sideways (${overflow}px)`);
  await phone.screenshot({ path: path.join(ARTIFACTS, 'map-phone.png'), fullPage: true });
  await phone.context().close();
  assert.deepEqual(problems, []);
});
