// Scenarios: every shipped example as a preset (blocs and policies
// together), policies tied to a bloc's name, a different policy per bloc,
// and the scenario on the map, each checked against POST /api/scenario.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { fmtInt, fmtB, fmtPct, harness, settled, cell, slide, editBloc } = require('./helpers');

const h = harness();

const CHANNELS = ['grants', 'medicaid', 'snap', 'other-payments'];

/** One bloc's policy in a scenario file, read as `fedsplit scenario --schema`
 * documents it: the schema's defaults, the table's keys, then `bloc.NAME`. */
function policyIn(scenario, name) {
  const bx = scenario.bluexit || {};
  const dv = scenario.devolution || {};
  const pick = (key, fallback) => {
    const own = (bx.bloc || {})[name] || {};
    return own[key] != null ? own[key] : bx[key] != null ? bx[key] : fallback;
  };
  const programs = ((dv.bloc || {})[name] || {}).programs || dv.programs || [];
  const devolveTax = ((dv.bloc || {})[name] || {}).instrument || dv.instrument || 'agi-flat';
  return {
    scale: pick('income_tax_scale', 1), withdraw: pick('withdraw', []), replace: pick('replace_share', 0),
    instrument: pick('instrument', 'agi-flat'), pooling: pick('pooling', 'state'), devolve: programs, devolveTax,
  };
}

/** The page's figures for every bloc equal the API's answer `expected`. */
async function sameFigures(page, expected) {
  for (const b of expected.blocs) {
    assert.equal((await cell(page, b.bloc, 'population')).text, fmtInt(b.population), b.bloc);
    assert.equal((await cell(page, b.bloc, 'stranded')).value, String(b.stranded_voters), b.bloc);
  }
  // a row whose every value is zero is left out
  for (const [field, key] of [['federal-taxes', 'federal_taxes_delta_usd'], ['net-delta', 'net_delta_usd'],
    ['state-taxes', 'state_taxes_delta_usd']]) {
    const shown = await page.locator(`#bloc-table tr[data-field="${field}"]`).count();
    assert.equal(shown, expected.blocs.some((b) => b[key] !== 0) ? 1 : 0, field);
    if (!shown) continue;
    for (const b of expected.blocs) {
      const c = await cell(page, b.bloc, field);
      assert.equal(Number(c.value), b[key], `${field} ${b.bloc}`);
      assert.equal(c.text, fmtB(b[key], true), `${field} ${b.bloc}`);
    }
  }
  for (const c of expected.partition || []) {
    assert.equal((await cell(page, c.country, 'debt-to-gdp')).text, fmtPct(c.debt_to_gdp), c.country);
  }
  const deficit = await page.locator('#federal-budget tr[data-field="deficit"] td').nth(1).textContent();
  assert.equal(deficit.trim(), fmtB(expected.federal_budget.deficit_after_usd));
}

/** The policy editor shows `want` for bloc `name`. */
async function sameControls(page, name, want) {
  await editBloc(page, name);
  assert.ok(Math.abs(Number(await page.inputValue('#scale')) - want.scale) < 1e-9, `${name} income tax`);
  for (const c of CHANNELS) {
    assert.equal(await page.isChecked('#withdraw-' + c), want.withdraw.includes(c), `${name} withdraw ${c}`);
    assert.equal(await page.isChecked('#devolve-' + c), want.devolve.includes(c), `${name} devolve ${c}`);
  }
  if (want.withdraw.length) {
    assert.ok(Math.abs(Number(await page.inputValue('#replace')) - want.replace) < 1e-9, `${name} replace`);
    assert.equal(await page.inputValue('#instrument'), want.instrument, `${name} instrument`);
    assert.equal(await page.inputValue('#pooling'), want.pooling, `${name} pooling`);
  }
  if (want.devolve.length) assert.equal(await page.inputValue('#devolve-instrument'), want.devolveTax, `${name} devolve tax`);
}

test('every shipped example loads as a preset: blocs, policies and description', async () => {
  const examples = await h.get('/api/examples');
  assert.ok(examples.length >= 5, 'the examples');
  const page = await h.open();
  for (const ex of examples) {
    await page.click(`[data-preset="example-${ex.name}"]`);
    await settled(page);
    assert.equal(await page.locator(`[data-preset="example-${ex.name}"]`).getAttribute('aria-pressed'), 'true');
    assert.equal((await page.locator('#preset-description').textContent()).trim(), ex.description, ex.name);
    const expected = await h.scenario(ex.scenario);
    await sameFigures(page, expected);
    for (const b of expected.blocs) await sameControls(page, b.bloc, policyIn(ex.scenario, b.bloc));
    assert.equal(await page.isChecked('#partition'), Boolean(ex.scenario.partition), ex.name);
    assert.equal(await page.inputValue('#response'), (ex.scenario.bluexit || {}).federal_response || 'deficit');
    assert.equal(await page.inputValue('#votes'), String(expected.meta.votes_year));
  }
  // a shared link to an example keeps its description
  const fresh = await h.open(page.url().slice(page.url().indexOf('?')));
  const last = examples[examples.length - 1];
  assert.equal((await fresh.locator('#preset-description').textContent()).trim(), last.description);
  // and changing it says so
  await fresh.click('#map path[data-state="OH"]');
  await settled(fresh);
  assert.match(await fresh.locator('#preset-name').textContent(), /changed since it was loaded/);
  await fresh.context().close();
  await page.context().close();
  assert.deepEqual(h.problems, []);
});

test('a policy stays with its bloc’s name when a preset replaces the blocs', async () => {
  const page = await h.open();
  await page.click('#map path[data-state="CA"]');
  await slide(page, '#scale', 0.5);
  await settled(page);
  assert.match(await page.locator('#policy-summary li[data-bloc="Bloc 2"]').textContent(), /×0\.50/);

  // no bloc is called "Bloc 2" after the 2024 winners: its policy is dropped, visibly, not moved
  await page.click('[data-preset="election-2024"]');
  await settled(page);
  assert.match(await page.locator('#notice').textContent(), /Dropped the policy of Bloc 2/);
  for (const name of ['Democratic', 'Republican']) {
    await editBloc(page, name);
    assert.equal(await page.inputValue('#scale'), '1', name);
  }
  assert.equal(await page.locator('#bloc-table tr[data-field="net-delta"]').count(), 0);

  // a policy for Republican survives the 2020 winners, on the bloc of that name
  await editBloc(page, 'Republican');
  await slide(page, '#scale', 0.8);
  await settled(page);
  await page.click('[data-preset="election-2020"]');
  await settled(page);
  assert.match(await page.locator('#notice').textContent(), /Kept the policy of Republican/);
  await editBloc(page, 'Democratic');
  assert.equal(await page.inputValue('#scale'), '1');
  await editBloc(page, 'Republican');
  assert.equal(await page.inputValue('#scale'), '0.8');
  const winners = await h.get('/api/blocs?election=2020');
  const groups = Object.fromEntries(winners.blocs.map((b) => [b.bloc, b.states]));
  const expected = await h.scenario({
    name: 'kept', blocs: { assignment: await h.assignment(groups, 'Rest'), votes: 2020 },
    bluexit: { bloc: { Republican: { income_tax_scale: 0.8 } } },
  });
  await sameFigures(page, expected);
  assert.match(await page.locator('#policy-summary li[data-bloc="Republican"]').textContent(), /×0\.80/);
  assert.match(await page.locator('#policy-summary li[data-bloc="Democratic"]').textContent(), /no change/);
  await page.context().close();
  assert.deepEqual(h.problems, []);
});

test('two blocs with different policies give the API’s numbers, and the map shows the change', async () => {
  const page = await h.open();
  await page.click('[data-preset="election-2024"]');
  await settled(page);
  await editBloc(page, 'Democratic');
  await slide(page, '#scale', 0.5);
  await page.check('#withdraw-grants');
  await editBloc(page, 'Republican');
  await page.check('#devolve-medicaid');
  await settled(page);
  // the editor shows each bloc's own policy
  assert.equal(await page.isChecked('#withdraw-grants'), false);
  await editBloc(page, 'Democratic');
  assert.equal(await page.isChecked('#devolve-medicaid'), false);
  assert.equal(await page.isDisabled('#devolve-grants'), true);

  const winners = await h.get('/api/blocs?election=2024');
  const groups = Object.fromEntries(winners.blocs.map((b) => [b.bloc, b.states]));
  const expected = await h.scenario({
    name: 'laboratories',
    blocs: { assignment: await h.assignment(groups, 'Rest') },
    bluexit: { bloc: { Democratic: { income_tax_scale: 0.5, withdraw: ['grants'], replace_share: 1 } } },
    devolution: { bloc: { Republican: { programs: ['medicaid'] } } },
  });
  await sameFigures(page, expected);
  assert.match(await page.locator('#policy-summary li[data-bloc="Democratic"]').textContent(),
    /federal income tax ×0\.50; grants withdrawn, the states replacing 100%/);
  assert.match(await page.locator('#policy-summary li[data-bloc="Republican"]').textContent(), /Medicaid moved to the states/);

  // the scenario choropleth: each state's value is the API's change per resident
  await page.selectOption('#mode', 'scenario');
  const drawn = await page.$$eval('#map path[data-state]', (ps) => ps.map((p) => [p.dataset.state, p.dataset.value, p.style.fill]));
  assert.equal(drawn.length, expected.states.length);
  const byState = new Map(expected.states.map((s) => [s.state, s.net_delta_per_resident_usd]));
  for (const [state, value] of drawn) assert.equal(Number(value), byState.get(state), state);
  assert.ok(new Set(drawn.map((d) => d[2])).size > 10, 'many colours');
  assert.match(await page.locator('#legend .legend-title').textContent(),
    /^Scenario: change in net per resident, FY\d{4}, flow method, deficit not charged$/);
  assert.match(page.url(), /[?&]mode=scenario\b/);
  // the bloc outlines stay: a band in each bloc's colour, dark lines between the blocs
  const bands = await page.$$eval('#bloc-bands path', (ps) => ps.map((p) => [p.dataset.bloc, p.style.stroke, p.getAttribute('d').length]));
  assert.deepEqual(bands.map((b) => b[0]).sort(), ['Democratic', 'Republican']);
  assert.ok(bands.every((b) => b[2] > 100));
  assert.ok((await page.locator('#bloc-borders').getAttribute('d')).length > 100);
  // the ledger colouring uses the ledger's net per resident
  await page.selectOption('#mode', 'net');
  const ledger = await h.get('/api/ledger?method=flow&deficit=none');
  const ny = await page.locator('#map path[data-state="NY"]').getAttribute('data-value');
  assert.equal(Number(ny), ledger.states.find((s) => s.state === 'NY').net_per_capita_usd);
  await page.context().close();
  assert.deepEqual(h.problems, []);
});
