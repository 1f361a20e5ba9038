// Who gains by income class: the net per tax return by AGI class for a bloc
// and for a state, drawn from POST /api/scenario?by=income, the sentence for
// a scenario that changes no tax, and the state × class rows of the CSV.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { fmtPct, harness, settled } = require('./helpers');

const h = harness();

/** A class row the page draws: some tax changes. */
const moves = (r) => r.net_usd !== 0 || r.income_tax_saved_usd !== 0 || r.replacement_tax_usd !== 0;

/** The bars of one chart as {class: [value, share]}. */
async function bars(page, chart) {
  return page.$$eval(`#${chart} rect.income-bar`, (rs) => Object.fromEntries(rs.map((r) =>
    [r.dataset.class, [Number(r.dataset.value), Number(r.dataset.share)]])));
}

let expected;

test('bluexit-2024: the bars are the API’s net per return by AGI class, for the Democratic bloc and for a state', async () => {
  const page = await h.open();
  await page.click('[data-preset="example-bluexit-2024"]');
  await settled(page);
  const examples = await h.get('/api/examples');
  expected = await h.post('/api/scenario?by=income', examples.find((e) => e.name === 'bluexit-2024').scenario);

  // the bloc with the policy is shown first
  assert.equal(await page.locator('#income-bloc option:checked').textContent(), 'Democratic');
  const dem = expected.income_by_bloc.filter((r) => r.bloc === 'Democratic' && moves(r));
  assert.ok(dem.length >= 9, 'the Democratic bloc’s classes change');
  assert.deepEqual(await bars(page, 'income-bloc-chart'),
    Object.fromEntries(dem.map((r) => [String(r.agi_class), [r.net_per_return_usd, r.share_better_off]])));
  // labelled with the API's class labels
  const labels = await page.locator('#income-bloc-chart text.chart-tick').allTextContents();
  assert.deepEqual(labels, dem.map((r) => r.agi_class_label));
  const all = expected.income_by_bloc.filter((r) => r.bloc === 'Democratic');
  const share = all.reduce((a, r) => a + r.returns_better_off, 0) / all.reduce((a, r) => a + r.returns, 0);
  assert.equal(Number(await page.locator('#income-bloc-summary').getAttribute('data-share')), share);
  assert.match(await page.locator('#income-bloc-summary').textContent(), new RegExp(fmtPct(share).replace('.', '\\.') + ' of its'));
  assert.match(await page.locator('#income-note').textContent(), /Taxes only; withdrawn spending not replaced is not assigned to classes/);

  // a state: New York
  await page.selectOption('#income-state', 'NY');
  const ny = expected.income.filter((r) => r.state === 'NY' && moves(r));
  assert.ok(ny.length > 0);
  assert.deepEqual(await bars(page, 'income-state-chart'),
    Object.fromEntries(ny.map((r) => [String(r.agi_class), [r.net_per_return_usd, r.better_off ? 1 : 0]])));
  const summary = expected.income_summary.find((r) => r.state === 'NY');
  assert.equal(Number(await page.locator('#income-state-summary').getAttribute('data-share')), summary.share_better_off);
  await page.waitForFunction(() => /[?&]is=NY\b/.test(location.search));

  // the Republican bloc's taxes do not change: no bars, a sentence
  await page.selectOption('#income-bloc', { label: 'Republican (no change)' });
  assert.equal(await page.locator('#income-bloc-chart rect.income-bar').count(), 0);
  assert.match(await page.locator('#income-bloc-summary').textContent(), /Nothing changes for the taxes of Republican/);
  // a state whose taxes do not change, the same
  await page.selectOption('#income-state', 'TX');
  assert.equal(await page.locator('#income-state-chart rect.income-bar').count(), 0);
  assert.match(await page.locator('#income-state-summary').textContent(), /Nothing changes for the taxes of Texas/);

  // the CSV has the state × class rows, after the blocs
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
  const lines = fs.readFileSync(await csv.path(), 'utf8').split('\n');
  assert.match(lines[0], /^bloc,states,population/);
  const head = lines.indexOf('state,agi_class,agi_class_label,returns,income_tax_saved_usd,replacement_tax_usd,net_usd,net_per_return_usd,better_off');
  assert.ok(head > 0, 'the state × class table');
  const rows = [];
  for (let i = head + 1; i < lines.length && lines[i]; i++) rows.push(lines[i]);
  assert.equal(rows.length, expected.income.length);
  const ca10 = expected.income.find((r) => r.state === 'CA' && r.agi_class === 10);
  assert.ok(rows.includes(['CA', 10, ca10.agi_class_label, ca10.returns, ca10.income_tax_saved_usd,
    ca10.replacement_tax_usd, ca10.net_usd, ca10.net_per_return_usd, ca10.better_off].join(',')), 'CA $1M+ row');
  assert.ok(lines.includes('bloc,agi_class,agi_class_label,returns,returns_better_off,share_better_off,income_tax_saved_usd,replacement_tax_usd,net_usd,net_per_return_usd'));
  await page.context().close();
  assert.deepEqual(h.problems, []);
});

test('a scenario that changes no tax says so instead of drawing empty bars', async () => {
  const page = await h.open();
  await page.click('[data-preset="example-calexit"]');
  await settled(page);
  const examples = await h.get('/api/examples');
  const calexit = await h.post('/api/scenario?by=income', examples.find((e) => e.name === 'calexit').scenario);
  assert.ok(!calexit.income_by_bloc.some(moves), 'calexit changes no tax');
  assert.equal(await page.locator('#income-empty').isVisible(), true);
  assert.match(await page.locator('#income-empty').textContent(), /changes no one’s federal income tax/);
  assert.equal(await page.locator('#income-charts').isVisible(), false);
  // laboratories: both blocs change, each its own way
  await page.click('[data-preset="example-laboratories"]');
  await settled(page);
  const labs = await h.post('/api/scenario?by=income', examples.find((e) => e.name === 'laboratories').scenario);
  await page.selectOption('#income-bloc', { label: 'Republican' });
  const rep = labs.income_by_bloc.filter((r) => r.bloc === 'Republican' && moves(r));
  const drawn = await bars(page, 'income-bloc-chart');
  assert.deepEqual(Object.keys(drawn), rep.map((r) => String(r.agi_class)));
  for (const r of rep) assert.equal(drawn[r.agi_class][0], r.net_per_return_usd);
  await page.context().close();
  assert.deepEqual(h.problems, []);
});
