// The county view: the county map loaded on demand, counties moved between
// blocs by click, keyboard and the list of units without an outline, a bloc
// of counties only, contiguity warnings, and the figures per bloc, each
// checked against POST /api/scenario?graph=counties for the same plan.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { fmtInt, harness, settled, countyCell, snap } = require('./helpers');

const h = harness();

/** The 2024 winners' blocs with `counties` moved ({fips: bloc}), as the page sends them. */
async function body(counties) {
  const blocs = await h.get('/api/blocs?election=2024');
  const assignment = {};
  for (const b of blocs.blocs) for (const s of b.states) assignment[s] = b.bloc;
  const out = {
    name: 'map', ledger: { method: 'flow', deficit: 'none' },
    blocs: { assignment, votes: 2024 }, bluexit: { federal_response: 'deficit' },
  };
  if (counties) out.blocs.counties = counties;
  return out;
}

const bloc = (answer, name) => answer.blocs.find((b) => b.bloc === name);

let page;

test('the county map loads only when opened, and shows the API’s figures per bloc', async () => {
  page = await h.open();
  await page.click('[data-preset="election-2024"]');
  await settled(page);
  // not loaded with the page (650 KB)
  assert.equal(await page.locator('#county-map path').count(), 0);
  const requested = [];
  page.on('request', (r) => requested.push(r.url()));
  await page.click('#view-counties');
  await page.waitForSelector('#county-map path[data-county]');
  await settled(page);
  assert.ok(requested.some((u) => u.endsWith('/api/map?level=counties')));
  assert.equal(await page.locator('#view-counties').getAttribute('aria-pressed'), 'true');
  assert.match(page.url(), /[?&]view=counties\b/);
  const map = await h.get('/api/map?level=counties');
  assert.equal(await page.locator('#county-map path[data-county]').count(), map.counties.length);
  assert.equal(await page.locator('#county-map').getAttribute('viewBox'), `0 0 ${map.width} ${map.height}`);
  assert.equal(await page.locator('#map').isVisible(), false);
  // the units without an outline, as buttons beside the map
  assert.equal(await page.locator('#unmapped-list button[data-county]').count(), map.unmapped.length);
  // each county in its state's bloc
  assert.match(await page.locator('#county-map path[data-county="41025"]').getAttribute('aria-label'), /Harney County, OR: Democratic/);
  const expected = await h.post('/api/scenario?graph=counties', await body());
  for (const b of expected.blocs) {
    assert.equal((await countyCell(page, b.bloc, 'population')).text, fmtInt(b.population), b.bloc);
    assert.equal(Number((await countyCell(page, b.bloc, 'stranded')).value), b.stranded_voters, b.bloc);
    assert.equal(Number((await countyCell(page, b.bloc, 'net-per-capita')).value), b.net_per_capita_usd, b.bloc);
    assert.equal(Number((await countyCell(page, b.bloc, 'units')).value), b.units.length, b.bloc);
  }
  // the figures are labelled as estimates, and the notes are the API's
  assert.match(await page.locator('#county-note').textContent(), /apportioned by population \(estimates/);
  for (const n of expected.notes) assert.ok((await page.locator('#county-notes').textContent()).toLowerCase().includes(n.toLowerCase()), n);
  assert.deepEqual(h.problems, []);
});

test('moving Harney County, OR, moves its population from one bloc to the other', async () => {
  const before = await h.post('/api/scenario?graph=counties', await body());
  await page.click('#county-map path[data-county="41025"]');
  await settled(page);
  assert.match(await page.locator('#county-map path[data-county="41025"]').getAttribute('aria-label'), /Harney County, OR: Republican \(moved from Democratic\)/);
  assert.match(page.url(), /[?&]c=41025:1\b/);
  const after = await h.post('/api/scenario?graph=counties', await body({ 41025: 'Republican' }));
  assert.deepEqual(after.county_moves, [['41025', 'Republican']]);
  const moved = bloc(after, 'Republican').population - bloc(before, 'Republican').population;
  assert.ok(moved > 0 && moved < 20000, `Harney's population ${moved}`);
  assert.equal(bloc(before, 'Democratic').population - bloc(after, 'Democratic').population, moved);
  for (const name of ['Democratic', 'Republican']) {
    const shown = await countyCell(page, name, 'population');
    assert.equal(shown.text, fmtInt(bloc(after, name).population), name);
    assert.equal(Number(shown.value) - bloc(before, name).population, name === 'Republican' ? moved : -moved, name);
  }
  assert.match(await page.locator('#county-status').textContent(), /Harney County, OR is now in Republican/);
  // the state ledger counts whole states, and says so
  assert.match(await page.locator('#county-moves-note').textContent(), /1 county move applies on the county graph only/);
  assert.match(await page.locator('#bloc-list li[data-bloc="1"] .bloc-count').textContent(), /1 county moved in/);
  assert.deepEqual(h.problems, []);
});

test('a county moved away from its bloc by keyboard: the contiguity warning gives the API’s pieces', async () => {
  // find New York County by name, then Enter on the map
  await page.fill('#find-county', 'New York County, NY');
  await page.press('#find-county', 'Enter');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.county), '36061');
  await page.keyboard.press('Enter');
  await settled(page);
  const expected = await h.post('/api/scenario?graph=counties', await body({ 41025: 'Republican', 36061: 'Republican' }));
  const rep = bloc(expected, 'Republican');
  assert.ok(rep.pieces > 1, 'Manhattan is an exclave of the Republican bloc');
  const warning = page.locator('#county-warnings li[data-bloc="Republican"]');
  assert.equal(await warning.getAttribute('data-pieces'), String(rep.pieces));
  assert.match(await warning.textContent(), new RegExp('Republican is in ' + rep.pieces + ' pieces'));
  assert.equal((await countyCell(page, 'Republican', 'pieces')).value, String(rep.pieces));
  // arrow keys move between counties, the map keeps one tab stop
  await page.keyboard.press('ArrowRight');
  const next = await page.evaluate(() => document.activeElement.dataset.county);
  assert.ok(next && next !== '36061', 'moved to a neighbour');
  assert.equal(await page.locator('#county-map path[tabindex="0"]').count(), 1);
  assert.deepEqual(h.problems, []);
});

test('a new bloc of counties only: the State of Jefferson', async () => {
  await page.fill('#new-bloc-name', 'State of Jefferson');
  await page.click('#county-new-bloc button[type="submit"]');
  await settled(page);
  assert.equal(await page.locator('#brush option:checked').textContent(), 'puts it in State of Jefferson');
  const jefferson = ['06015', '06093', '06049', '41033', '41029', '41035'];
  for (const f of jefferson) await page.click(`#county-map path[data-county="${f}"]`);
  await settled(page);
  const moves = { 41025: 'Republican', 36061: 'Republican' };
  for (const f of jefferson) moves[f] = 'State of Jefferson';
  const expected = await h.post('/api/scenario?graph=counties', await body(moves));
  const jeff = bloc(expected, 'State of Jefferson');
  assert.equal(jeff.units.length, jefferson.length);
  assert.equal((await countyCell(page, 'State of Jefferson', 'population')).text, fmtInt(jeff.population));
  assert.equal((await countyCell(page, 'State of Jefferson', 'pieces')).value, String(jeff.pieces));
  assert.equal((await countyCell(page, 'Democratic', 'population')).text, fmtInt(bloc(expected, 'Democratic').population));
  // the state ledger has no such bloc: it has no state
  assert.equal(await page.locator('#bloc-table th[data-bloc="State of Jefferson"]').count(), 0);
  assert.match(await page.locator('#legend').textContent(), /State of Jefferson \(6 counties\)/);
  // a unit without an outline, from the list beside the map
  await page.selectOption('#brush', { label: 'puts it in Republican' });
  await page.click('#unmapped-list button[data-county="09110"]');
  await settled(page);
  assert.match(await page.locator('#unmapped-list button[data-county="09110"]').getAttribute('aria-label'), /Republican \(moved\)/);
  moves['09110'] = 'Republican';
  const withCt = await h.post('/api/scenario?graph=counties', await body(moves));
  assert.equal((await countyCell(page, 'Republican', 'population')).text, fmtInt(bloc(withCt, 'Republican').population));
  // the county view and the county figures beside it, the whole width of the page
  await page.locator('#county-map path[data-county="41025"]').hover();
  await page.waitForSelector('#tooltip:not([hidden])');
  const top = await page.evaluate(() => document.querySelector('.stage').getBoundingClientRect().top + window.scrollY);
  await snap(page, 'map-counties.png', { fullPage: true, clip: { x: 0, y: top - 12, width: 1440, height: 1900 } });
  await page.mouse.move(1, 1);

  // the whole state survives a reload, county moves included
  const url = page.url();
  await page.reload();
  await page.waitForSelector('#county-map path[data-county]');
  await settled(page);
  assert.equal(page.url(), url);
  assert.equal((await countyCell(page, 'State of Jefferson', 'population')).text, fmtInt(jeff.population));
  assert.equal((await countyCell(page, 'Republican', 'population')).text, fmtInt(bloc(withCt, 'Republican').population));
  // back to the states: the county figures hide, the moves stay in the address
  await page.click('#view-states');
  await settled(page);
  assert.equal(await page.locator('#county-section').isVisible(), false);
  assert.match(page.url(), /[?&]c=/);
  assert.match(await page.locator('#county-moves-note').textContent(), /open the county view/);
  await page.context().close();
  assert.deepEqual(h.problems, []);
});

test('a county the graph does not have is refused by the API, and the page says why', async () => {
  const refused = await h.post('/api/scenario?graph=counties', await body({ '02013': 'Republican' }), 400);
  assert.match(refused.error.message, /not a county of the graph/);
  // a link with an Alaska borough: left out, with a notice
  const p = await h.open('?view=counties&c=02013:1,41025:1&b=CA:1');
  await p.waitForSelector('#county-map path[data-county]');
  await settled(p);
  assert.match(await p.locator('#notice-text').textContent(), /Left out 1 county move.*02013/);
  assert.doesNotMatch(p.url(), /02013/);
  await p.context().close();
  assert.deepEqual(h.problems, []);
});
