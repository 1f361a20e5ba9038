// The answer on the first screen: the report's sentence and figures, the
// assumptions that produce them, the fiscal year, the chart over the years
// and the sources, each checked against the API's own answer.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { fmtB, fmtD, harness, settled, cell } = require('./helpers');

const h = harness();

const text = async (page, selector) => (await page.locator(selector).textContent()).trim();

test('the headline sentence is the report’s, and follows the deficit toggle', async () => {
  const page = await h.open();
  const none = await h.get('/api/report?method=flow&deficit=none');
  assert.equal(await text(page, '#sentence'), none.sentence);
  assert.equal(await text(page, '#key-figures [data-field="receivers"] dd'), none.receivers + ' of ' + none.states.length);
  // with the deficit not charged back, the page says why most states receive more than they pay
  const why = await text(page, '#deficit-why');
  assert.match(why, /Why most states come out ahead/);
  assert.ok(why.includes(fmtB(none.deficit_usd)), why);
  assert.equal(await text(page, '#key-figures [data-field="deficit"] dd'), fmtB(none.deficit_usd));
  // the largest receivers, with the mandatory programs' share of their net
  const top = none.top_receivers_per_capita[0];
  const row = page.locator(`#extremes table[data-field="top-receivers"] tr[data-state="${top.state}"] td`);
  assert.equal((await row.nth(0).textContent()).trim(), fmtD(top.net_per_capita_usd, true));
  // every heading names the assumptions
  assert.match(await text(page, '#table-heading'), /FY\d{4}, flow method, deficit not charged/);

  await page.selectOption('#deficit', 'per-capita');
  await settled(page);
  const perCapita = await h.get('/api/report?method=flow&deficit=per-capita');
  assert.notEqual(perCapita.sentence, none.sentence);
  assert.equal(await text(page, '#sentence'), perCapita.sentence);
  assert.equal(await text(page, '#key-figures [data-field="receivers"] dd'), perCapita.receivers + ' of ' + perCapita.states.length);
  assert.doesNotMatch(await text(page, '#deficit-why'), /Why most states/);
  assert.match(await text(page, '#table-heading'), /flow method, located gap charged per resident/);
  assert.match(await text(page, '#chart-heading'), /located gap charged per resident/);
  assert.match(page.url(), /[?&]deficit=per-capita\b/);

  await page.selectOption('#deficit', 'full-per-capita');
  await settled(page);
  const full = await h.get('/api/report?method=flow&deficit=full-per-capita');
  assert.equal(await text(page, '#sentence'), full.sentence);

  // the "?" next to "Net" opens its definition, by keyboard too
  const info = page.locator('#key-figures [data-field="net"] button.info');
  await info.focus();
  await page.keyboard.press('Enter');
  assert.equal(await info.getAttribute('aria-expanded'), 'true');
  assert.match(await text(page, '#key-figures [data-field="net"] .def'), /minus the federal taxes/);
  await page.context().close();
  assert.deepEqual(h.problems, []);
});

test('the year switch shows the API’s FY2019 figures', async () => {
  const health = await h.get('/api/health');
  assert.ok(health.years.includes(2019));
  const page = await h.open();
  assert.equal(await page.inputValue('#year'), String(health.fiscal_year));
  await page.click('#map path[data-state="CA"]');
  await page.click('#map path[data-state="TX"]');
  await settled(page);
  const before = (await cell(page, 'Bloc 2', 'net')).text;

  await page.selectOption('#year', '2019');
  await settled(page);
  assert.match(page.url(), /[?&]year=2019\b/);
  const report = await h.get('/api/report?method=flow&deficit=none&year=2019');
  assert.equal(await text(page, '#sentence'), report.sentence);
  assert.match(report.sentence, /^In FY2019/);
  assert.equal(await text(page, '#key-figures [data-field="deficit"] dd'), fmtB(report.deficit_usd));
  // the baseline is FY2019's ledger
  const ledger = await h.get('/api/ledger?method=flow&deficit=none&year=2019');
  const net = ledger.states.filter((s) => ['CA', 'TX'].includes(s.state)).reduce((a, s) => a + s.net_usd, 0);
  assert.equal((await cell(page, 'Bloc 2', 'net')).text, fmtB(net, true));
  assert.notEqual(fmtB(net, true), before);
  assert.match(await text(page, '#table-heading'), /FY2019/);
  // and the scenario is computed on FY2019's data
  await page.fill('#bloc-name-1', 'Two');
  await page.$eval('#scale', (el) => { el.value = '0.8'; el.dispatchEvent(new Event('input', { bubbles: true })); });
  await settled(page);
  const expected = await h.scenario({
    name: 'year', year: 2019, ledger: { method: 'flow', deficit: 'none' },
    blocs: { assignment: await h.assignment({ Two: ['CA', 'TX'] }, 'Rest of the union'), votes: 2024 },
    bluexit: { federal_response: 'deficit', bloc: { Two: { income_tax_scale: 0.8 } } },
  });
  assert.equal(expected.meta.fiscal_year, 2019);
  const two = expected.blocs.find((b) => b.bloc === 'Two');
  assert.equal((await cell(page, 'Two', 'net-delta')).text, fmtB(two.net_delta_usd, true));
  assert.equal(Number((await cell(page, 'Two', 'net-delta')).value), two.net_delta_usd);
  // the choropleth too
  await page.selectOption('#mode', 'net');
  const values = await page.$$eval('#map path[data-state]', (ps) => Object.fromEntries(ps.map((p) => [p.dataset.state, Number(p.dataset.value)])));
  for (const s of ledger.states) assert.equal(values[s.state], s.net_per_capita_usd, s.state);
  assert.match(await text(page, '#legend .legend-title'), /FY2019, flow method, deficit not charged/);
  await page.context().close();
  assert.deepEqual(h.problems, []);
});

test('the chart over the years draws the API’s series for a state and for a bloc', async () => {
  const page = await h.open();
  const points = async () => page.$$eval('#series-chart circle.series-point.selected',
    (cs) => cs.map((c) => ({ year: Number(c.dataset.year), value: Number(c.dataset.value) })));

  // choosing a state for its details also shows it over the years
  await page.selectOption('#details-state', 'NY');
  await page.waitForSelector('#details-lines table.explain');
  assert.equal(await page.inputValue('#series-of'), 'NY');
  const ny = (await h.get('/api/series?by=state&state=NY&method=flow&deficit=none')).states[0];
  assert.deepEqual(await points(), ny.years.map((y) => ({ year: y.year, value: y.net_per_capita_usd })));
  assert.match(await page.locator('#series-chart').getAttribute('aria-label'), /New York: FY\d{4}/);

  // a bloc: the 2024 winners, against the API's series by bloc
  await page.click('[data-preset="election-2024"]');
  await settled(page);
  await page.selectOption('#series-of', 'b1');
  const winners = await h.get('/api/blocs?election=2024');
  const republican = new Set(winners.blocs.find((b) => b.bloc === 'Republican').states);
  const bySeries = await h.get('/api/series?by=bloc&election=2024&method=flow&deficit=none');
  const same = bySeries.blocs.find((b) => b.states.length === republican.size && b.states.every((s) => republican.has(s)));
  assert.ok(same, 'the series has the Republican bloc');
  const drawn = await points();
  assert.deepEqual(drawn.map((p) => p.year), same.years.map((y) => y.year));
  same.years.forEach((y, k) => {
    // summed in another order: equal to the last few digits
    assert.ok(Math.abs(drawn[k].value - y.net_per_capita_usd) < 1e-6 * Math.abs(y.net_per_capita_usd), `${y.year}`);
  });
  await page.waitForFunction(() => /[?&]series=b1\b/.test(location.search));
  // the series follows the deficit treatment
  await page.selectOption('#deficit', 'per-capita');
  await settled(page);
  const charged = (await h.get('/api/series?by=bloc&election=2024&method=flow&deficit=per-capita'))
    .blocs.find((b) => b.bloc === same.bloc);
  const after = await points();
  assert.ok(Math.abs(after[0].value - charged.years[0].net_per_capita_usd) < 1e-6 * Math.abs(charged.years[0].net_per_capita_usd));
  await page.context().close();
  assert.deepEqual(h.problems, []);
});

test('About these figures shows the method and the API’s sources', async () => {
  const page = await h.open();
  await page.locator('.top [data-open-about]').click();
  await page.waitForSelector('#about-dialog[open] #sources-list li');
  const sources = await h.get('/api/sources');
  assert.equal(await page.locator('#sources-list li').count(), sources.columns.length);
  assert.ok((await text(page, '#sources-list')).includes(sources.columns[1].publisher));
  assert.match(await text(page, '#about-method'), /attribution method/i);
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('#about-dialog[open]').count(), 0);
  await page.context().close();
  assert.deepEqual(h.problems, []);
});
