// The map and the bloc table: clicking states into blocs, the policy
// controls, history, shared links, presets and downloads, each checked
// against the API's own answer. Run: `node --test` in tests/browser after
// `npm ci` and `cargo build --release`.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { fmtInt, fmtB, fmtD, fmtPct, harness, settled, cell, slide, snap } = require('./helpers');

const h = harness();

/** Every state's bloc index as drawn on the map. */
async function assignment(page) {
  return page.$$eval('#map path[data-state]', (ps) => Object.fromEntries(ps.map((p) => [p.dataset.state, p.dataset.bloc])));
}

/** The scenario of CA, NY, WA in "Bloc 2" (the rest in "Rest of the union"), with `policy` for Bloc 2. */
async function body(policy) {
  const b = {
    name: 'map',
    ledger: { method: 'flow', deficit: 'none' },
    blocs: { assignment: await h.assignment({ 'Bloc 2': ['CA', 'NY', 'WA'] }, 'Rest of the union') },
    bluexit: { federal_response: 'deficit' },
  };
  if (policy) {
    b.bluexit.bloc = {
      'Bloc 2': { income_tax_scale: 1, withdraw: [], replace_share: 1, instrument: 'agi-flat', pooling: 'state', ...policy },
    };
  }
  return b;
}

let page;
let sharedUrl;
let atHalf;

test('the map has 51 state paths, one of them in the tab order', async () => {
  page = await h.open();
  const paths = page.locator('#map path[data-state]');
  assert.equal(await paths.count(), 51);
  const ca = page.locator('#map path[data-state="CA"]');
  assert.equal(await ca.getAttribute('role'), 'button');
  assert.match(await ca.getAttribute('aria-label'), /California: Rest of the union/);
  // arrow keys move between the states, so the map is one tab stop
  assert.equal(await page.locator('#map path[data-state][tabindex="0"]').count(), 1);
  assert.equal(await page.locator('#map').getAttribute('viewBox'), '0 0 975 610');
  // the address names the fiscal year from the start
  const health = await h.get('/api/health');
  assert.match(page.url(), new RegExp('[?&]year=' + health.fiscal_year + '\\b'));
  assert.deepEqual(h.problems, []);
});

test('three states clicked into Bloc 2 show the API figures', async () => {
  for (const s of ['CA', 'NY']) await page.click(`#map path[data-state="${s}"]`);
  // the keyboard works too
  await page.focus('#map path[data-state="WA"]');
  await page.keyboard.press('Enter');
  await settled(page);
  assert.match(await page.locator('#map path[data-state="WA"]').getAttribute('aria-label'), /Washington: Bloc 2/);
  const expected = await h.scenario(await body());
  const b2 = expected.blocs.find((b) => b.bloc === 'Bloc 2');
  assert.deepEqual(b2.states.slice().sort(), ['CA', 'NY', 'WA']);
  const pop = await cell(page, 'Bloc 2', 'population');
  assert.equal(pop.text, fmtInt(b2.population));
  assert.equal(Number(pop.value), b2.population);
  // no policy yet: the change rows would all be zero, so they are left out
  assert.equal(b2.net_delta_usd, 0);
  assert.equal(await page.locator('#bloc-table tr[data-field="net-delta"]').count(), 0);
  assert.match(await page.locator('#policy-summary').textContent(), /No policy yet/);
  assert.equal((await cell(page, 'Bloc 2', 'stranded')).value, String(b2.stranded_voters));
  const rest = expected.blocs.find((b) => b.bloc === 'Rest of the union');
  assert.equal((await cell(page, 'Rest of the union', 'population')).text, fmtInt(rest.population));
  assert.match(page.url(), /[?&]b=CA:1,NY:1,WA:1\b/);
  // Bloc 2 is two pieces (CA+WA, NY): the warning names the states outside the largest one
  assert.match(await page.locator('#warnings').textContent(), /Bloc 2 is not contiguous/);
  assert.match(await page.locator('#status').textContent(), /Bloc 2: 3 states/);
  assert.match(await page.locator('#bloc-list li[data-bloc="1"] .bloc-count').textContent(), /^3 states/);
  assert.deepEqual(h.problems, []);
});

test('moving the income-tax slider changes the totals', async () => {
  const beforeDeficit = (await page.locator('#federal-budget tr[data-field="deficit"] td').nth(1).textContent()).trim();
  await slide(page, '#scale', 0.5);
  await settled(page);
  assert.equal(await page.locator('#scale-out').textContent(), '×0.50');
  const afterNet = await cell(page, 'Bloc 2', 'net-delta');
  const expected = await h.scenario(await body({ income_tax_scale: 0.5 }));
  const b2 = expected.blocs.find((b) => b.bloc === 'Bloc 2');
  assert.equal(afterNet.text, fmtB(b2.net_delta_usd, true));
  assert.equal((await cell(page, 'Bloc 2', 'net-delta-per-resident')).text, fmtD(b2.net_delta_per_resident_usd, true));
  const afterDeficit = (await page.locator('#federal-budget tr[data-field="deficit"] td').nth(1).textContent()).trim();
  assert.notEqual(afterDeficit, beforeDeficit);
  assert.equal(afterDeficit, fmtB(expected.federal_budget.deficit_after_usd));
  // the policy is Bloc 2's (bloc index 1 in the address)
  assert.match(page.url(), /[?&]p1=tax:0\.5\b/);
  assert.match(await page.locator('#policy-summary li[data-bloc="Bloc 2"]').textContent(), /federal income tax ×0\.50/);
  sharedUrl = page.url();
  atHalf = {
    assignment: await assignment(page),
    population: (await cell(page, 'Bloc 2', 'population')).text,
    net: afterNet.text,
    deficit: afterDeficit,
  };
  assert.deepEqual(h.problems, []);
});

test('the back button restores the previous state', async () => {
  await page.goBack();
  await page.waitForFunction(() => document.getElementById('scale').value === '1');
  await settled(page);
  assert.equal(await page.inputValue('#scale'), '1');
  assert.equal(await page.locator('#bloc-table tr[data-field="net-delta"]').count(), 0);
  await page.goForward();
  await page.waitForFunction(() => document.getElementById('scale').value === '0.5');
  await settled(page);
  assert.equal(await page.inputValue('#scale'), '0.5');
  assert.equal((await cell(page, 'Bloc 2', 'net-delta')).text, atHalf.net);
  assert.deepEqual(h.problems, []);
});

test('a shared URL restores the same state in a new page', async () => {
  const fresh = await h.open(sharedUrl.slice(sharedUrl.indexOf('?')));
  assert.deepEqual(await assignment(fresh), atHalf.assignment);
  assert.equal(await fresh.inputValue('#scale'), '0.5');
  assert.equal((await cell(fresh, 'Bloc 2', 'population')).text, atHalf.population);
  assert.equal((await cell(fresh, 'Bloc 2', 'net-delta')).text, atHalf.net);
  assert.equal((await fresh.locator('#federal-budget tr[data-field="deficit"] td').nth(1).textContent()).trim(), atHalf.deficit);
  // a state's tooltip on hover, then the screenshot of the page as shared
  await fresh.hover('#map path[data-state="TX"]');
  await fresh.waitForSelector('#tooltip:not([hidden])');
  assert.match(await fresh.locator('#tooltip').textContent(), /Texas/);
  // the first screens (the README's picture): the answer, the map with the tooltip, the results beside it
  await snap(fresh, 'map.png', { fullPage: true, clip: { x: 0, y: 0, width: 1440, height: 1600 } });
  await fresh.context().close();
  assert.deepEqual(h.problems, []);
});

test('blocs can be added, renamed and removed; a policy follows its bloc', async () => {
  await page.click('#add-bloc');
  await settled(page);
  assert.equal(await page.locator('#bloc-list li').count(), 3);
  await page.fill('#bloc-name-2', 'Northeast');
  for (let i = 0; i < 2; i++) await page.click('#map path[data-state="MA"]');
  await settled(page);
  assert.match(await page.locator('#map path[data-state="MA"]').getAttribute('aria-label'), /Massachusetts: Northeast/);
  assert.equal((await cell(page, 'Northeast', 'states')).text, '1');
  assert.match(await page.locator('#bloc-list li[data-bloc="2"] .bloc-count').textContent(), /^1 state\b/);
  assert.match(await page.locator('#legend').textContent(), /Northeast \(1 state\)/);
  await page.fill('#bloc-name-1', 'Pacifica');
  await settled(page);
  assert.match(await page.locator('#map path[data-state="CA"]').getAttribute('aria-label'), /California: Pacifica/);
  assert.ok(await page.locator('#bloc-table th[data-bloc="Pacifica"]').count());
  // Bloc 2's income-tax policy is now Pacifica's
  assert.match(await page.locator('#policy-summary li[data-bloc="Pacifica"]').textContent(), /×0\.50/);
  assert.equal((await cell(page, 'Pacifica', 'net-delta')).text, atHalf.net);
  // removing Northeast returns MA to the first bloc
  await page.locator('#bloc-list li').nth(2).locator('button').click();
  await settled(page);
  assert.match(await page.locator('#map path[data-state="MA"]').getAttribute('aria-label'), /Rest of the union/);
  assert.deepEqual(h.problems, []);
});

test('presets, choropleth, partition, details and downloads', async () => {
  await page.click('[data-preset="election-2024"]');
  await settled(page);
  const blocs = await h.get('/api/blocs?election=2024');
  for (const b of blocs.blocs) {
    assert.equal((await cell(page, b.bloc, 'population')).text, fmtInt(b.population));
    assert.equal((await cell(page, b.bloc, 'stranded')).value, String(b.stranded_voters));
  }

  await page.click('[data-preset="example-calexit"]');
  await settled(page);
  assert.equal(await page.isChecked('#partition'), true);
  const examples = await h.get('/api/examples');
  const calexit = await h.scenario(examples.find((e) => e.name === 'calexit').scenario);
  const country = calexit.partition.find((c) => c.country === 'California');
  assert.equal((await cell(page, 'California', 'debt-to-gdp')).text, fmtPct(country.debt_to_gdp));

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
  const ca = calexit.blocs.find((b) => b.bloc === 'California');
  assert.ok(csvText.includes('\nCalifornia,CA,' + ca.population + ','), csvText);
  const [json] = await Promise.all([page.waitForEvent('download'), page.click('#download-json')]);
  const doc = JSON.parse(fs.readFileSync(await json.path(), 'utf8'));
  assert.equal(doc.meta.command, 'scenario');
  assert.ok(Array.isArray(doc.partition));

  await page.context().close();
  assert.deepEqual(h.problems, []);
});

test('every control reaches the scenario the API computes', async () => {
  const p = await h.open(sharedUrl.slice(sharedUrl.indexOf('?')));
  await p.selectOption('#method', 'benefit');
  await p.selectOption('#deficit', 'per-capita');
  await p.click('#more-options summary');
  await p.selectOption('#interest', 'income');
  await p.selectOption('#corporate', 'gdp');
  for (const c of ['grants', 'medicaid', 'snap', 'other-payments']) await p.check('#withdraw-' + c);
  // a program withdrawn cannot also be moved to the states
  assert.equal(await p.isDisabled('#devolve-medicaid'), true);
  await slide(p, '#replace', 0.75);
  await p.selectOption('#instrument', 'sales-tax');
  await p.selectOption('#pooling', 'bloc');
  await p.selectOption('#response', 'cut-spending');
  await p.check('#partition');
  await p.selectOption('#debt-key', 'net-benefit');
  await p.selectOption('#goods-key', 'gdp');
  await p.selectOption('#votes', '2016');
  await settled(p);
  const b = await body({
    income_tax_scale: 0.5, withdraw: ['grants', 'medicaid', 'snap', 'other-payments'],
    replace_share: 0.75, instrument: 'sales-tax', pooling: 'bloc',
  });
  b.ledger = { method: 'benefit', deficit: 'per-capita', interest: 'income', corporate_key: 'gdp' };
  b.bluexit.federal_response = 'cut-spending';
  b.partition = { public_goods_key: 'gdp', debt_key: 'net-benefit' };
  b.blocs.votes = 2016;
  const expected = await h.scenario(b);
  const b2 = expected.blocs.find((x) => x.bloc === 'Bloc 2');
  assert.equal((await cell(p, 'Bloc 2', 'net-delta')).text, fmtB(b2.net_delta_usd, true));
  assert.equal((await cell(p, 'Bloc 2', 'state-taxes')).text, fmtB(b2.state_taxes_delta_usd, true));
  assert.equal((await cell(p, 'Bloc 2', 'stranded')).value, String(b2.stranded_voters));
  assert.match(await p.locator('#bloc-table').textContent(), /Voters \(2016 presidential election\)/);
  const country = expected.partition.find((x) => x.country === 'Bloc 2');
  assert.equal(Number((await cell(p, 'Bloc 2', 'overall-balance')).value), country.overall_balance_usd);
  const deficit = await p.locator('#federal-budget tr[data-field="deficit"] td').nth(1).textContent();
  assert.equal(deficit.trim(), fmtB(expected.federal_budget.deficit_after_usd));
  const cutRows = await p.locator('#federal-budget tr[data-field="spending-cut"]').count();
  assert.equal(cutRows, expected.federal_budget.spending_cut_usd ? 1 : 0);
  // the baseline follows the ledger options
  const ledger = await h.get('/api/ledger?method=benefit&deficit=per-capita&interest=income&corporate_key=gdp');
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
  assert.equal(await p.inputValue('#corporate'), 'gdp');
  assert.match(await p.locator('#table-heading').textContent(), /benefit method, located gap charged per resident, net interest by income, corporate tax by GDP/);
  assert.equal(await p.isChecked('#withdraw-other-payments'), true);
  assert.equal(await p.inputValue('#replace'), '0.75');
  assert.equal(await p.inputValue('#votes'), '2016');
  assert.equal((await cell(p, 'Bloc 2', 'net-delta')).text, fmtB(b2.net_delta_usd, true));
  await p.context().close();
  assert.deepEqual(h.problems, []);
});

test('links from before policies per bloc still load their policy', async () => {
  const p = await h.open('?b=CA:1,NY:1,WA:1&scale=0.5');
  assert.equal(await p.inputValue('#scale'), '0.5');
  assert.equal((await cell(p, 'Bloc 2', 'net-delta')).text, atHalf.net);
  await p.context().close();
  assert.deepEqual(h.problems, []);
});
