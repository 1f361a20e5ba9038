// Where the plan sits among the shipped ensembles: the percentile bars
// against `fedsplit ensemble summarize` run here, the county ensemble when
// the county view is on, and the API's refusal for a number of blocs no
// ensemble has.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { BIN, ROOT, harness, settled } = require('./helpers');

const h = harness();

/** `fedsplit ensemble summarize ENSEMBLE --example NAME --format json`. */
function cli(ensemble, example) {
  return JSON.parse(execFileSync(BIN, ['ensemble', 'summarize', ensemble, '--example', example, '--format', 'json'],
    { cwd: ROOT, encoding: 'utf8' }));
}

/** Opens the ensemble section and waits for its answer. */
async function openEnsemble(page) {
  if (!(await page.locator('#ensemble-details').evaluate((d) => d.open))) await page.click('#ensemble-summary');
  await waitEnsemble(page);
}
async function waitEnsemble(page) {
  await page.waitForFunction(() => {
    const b = document.getElementById('ensemble-body');
    return b.getAttribute('aria-busy') === 'false' &&
      (document.querySelector('#ensemble-metrics [data-metric]') || !document.getElementById('ensemble-error').hidden);
  }, null, { timeout: 20000 });
}

/** The bars drawn: {metric: {percentile, plan, plans}}. */
async function drawn(page) {
  return page.$$eval('#ensemble-metrics [data-metric]', (fs) => Object.fromEntries(fs.map((f) =>
    [f.dataset.metric, { percentile: Number(f.dataset.percentile), plan: Number(f.dataset.plan), plans: Number(f.dataset.plans) }])));
}

test('bluexit-2024: the stranded-voter percentile is the CLI’s, in words', async () => {
  const page = await h.open();
  await page.click('[data-preset="example-bluexit-2024"]');
  await settled(page);
  await openEnsemble(page);
  await page.waitForFunction(() => /[?&]ensemble=1\b/.test(location.search));
  const expected = cli('shipped:states-k2', 'bluexit-2024');
  const stranded = expected.metrics[0];
  assert.equal(stranded.name, 'stranded_total');
  const bars = await drawn(page);
  assert.equal(bars.stranded_total.percentile, stranded.percentile);
  assert.equal(bars.stranded_total.plan, stranded.plan);
  assert.equal(bars.stranded_total.plans, expected.plans);
  for (const name of ['min_net_per_capita', 'max_net_per_capita']) {
    const m = expected.metrics.find((x) => x.name === name);
    assert.equal(bars[name].percentile, m.percentile, name);
    assert.equal(bars[name].plan, m.plan, name);
  }
  // neutral words: no plan has fewer stranded voters
  assert.equal(stranded.percentile, 0);
  const words = await page.locator('[data-metric="stranded_total"] .pct-words').textContent();
  assert.match(words, /fewer stranded voters than all 1,004 balanced contiguous plans/);
  // the ensemble's year and options are named; its notes are the API's
  const intro = await page.locator('#ensemble-intro').textContent();
  assert.match(intro, new RegExp('FY' + expected.meta.ensemble.fiscal_year + ' populations'));
  assert.match(intro, /states-k2/);
  const notes = await page.locator('#ensemble-notes').textContent();
  for (const n of expected.notes) assert.ok(notes.toLowerCase().includes(n.toLowerCase()), n);
  // the other measures, each with its percentile
  const cut = expected.metrics.find((x) => x.name === 'cut_edges');
  assert.equal(Number(await page.locator('#ensemble-other li[data-metric="cut_edges"]').getAttribute('data-percentile')), cut.percentile);

  await page.context().close();
  assert.deepEqual(h.problems, []);
});

test('a plan with a number of blocs no ensemble has: the API’s refusal, as it says it', async () => {
  // seven blocs, from a link: the rest and six blocs of one state each
  const page = await h.open('?b=CA:1,TX:2,NY:3,FL:4,IL:5,WA:6&ensemble=1');
  await waitEnsemble(page);
  const error = page.locator('#ensemble-error');
  assert.equal(await error.isVisible(), true);
  assert.equal(await error.getAttribute('data-field'), 'blocs');
  assert.match(await error.textContent(), /no shipped ensemble of 7 blocs on the states graph \(shipped: states-k2, .*counties-k4\)/);
  assert.equal(await page.locator('#ensemble-metrics [data-metric]').count(), 0);
  h.expectRefusals();
  await page.context().close();
  assert.deepEqual(h.problems, []);
});

test('the county view compares with the county ensemble, county moves included', async () => {
  const page = await h.open();
  await page.click('[data-preset="example-three-way-split"]');
  await settled(page);
  await page.click('#view-counties');
  await page.waitForSelector('#county-map path[data-county]');
  await settled(page);
  await openEnsemble(page);
  const examples = await h.get('/api/examples');
  const scenario = examples.find((e) => e.name === 'three-way-split').scenario;
  const expected = await h.post('/api/ensemble?graph=counties', scenario);
  assert.equal(expected.meta.file, 'shipped:counties-k3');
  assert.match(await page.locator('#ensemble-intro').textContent(), /counties-k3/);
  let bars = await drawn(page);
  assert.equal(bars.stranded_total.percentile, expected.metrics[0].percentile);
  assert.equal(bars.stranded_total.plan, expected.metrics[0].plan);
  // moving a county changes the plan the ensemble places
  await page.click('#county-map path[data-county="41025"]');
  await settled(page);
  await waitEnsemble(page);
  const moved = await h.post('/api/ensemble?graph=counties', {
    ...scenario, blocs: { ...scenario.blocs, counties: { 41025: 'South' } },
  });
  bars = await drawn(page);
  await page.waitForFunction((plan) => Number(document.querySelector('[data-metric="stranded_total"]').dataset.plan) === plan,
    moved.metrics[0].plan);
  bars = await drawn(page);
  assert.equal(bars.stranded_total.percentile, moved.metrics[0].percentile);
  assert.equal(bars.max_net_per_capita.plan, moved.metrics.find((m) => m.name === 'max_net_per_capita').plan);
  await page.context().close();
  assert.deepEqual(h.problems, []);
});
