// Keyboard, phone and accessibility: arrow keys between states, the
// page's shortcuts, the layout and tap targets at 390×844, and axe-core's
// audit (no serious or critical violation) on desktop and phone.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { PHONE, DESKTOP, harness, settled, snap } = require('./helpers');

const h = harness();

// The states whose outline is too small to tap on a phone: DC, RI, DE, CT,
// NJ, MD, MA, VT, NH.
const SMALL_EAST = ['DC', 'RI', 'DE', 'CT', 'NJ', 'MD', 'MA', 'VT', 'NH'];

const focused = (page) => page.evaluate(() => document.activeElement && (document.activeElement.dataset.state || document.activeElement.id));

test('arrow keys move between neighbouring states; Enter and Space assign; shortcuts jump', async () => {
  const page = await h.open();
  await page.focus('#map path[data-state="KS"]');
  // the geographic neighbour in each direction
  for (const [key, want] of [['ArrowRight', 'MO'], ['ArrowLeft', 'KS'], ['ArrowUp', 'NE'], ['ArrowDown', 'KS'],
    ['ArrowLeft', 'CO'], ['ArrowRight', 'KS'], ['ArrowDown', 'OK']]) {
    await page.keyboard.press(key);
    assert.equal(await focused(page), want, key);
  }
  // the focused state is the map's one tab stop
  assert.equal(await page.locator('#map path[data-state="OK"]').getAttribute('tabindex'), '0');
  assert.equal(await page.locator('#map path[data-state][tabindex="0"]').count(), 1);
  await page.keyboard.press('Enter');
  await settled(page);
  assert.match(await page.locator('#map path[data-state="OK"]').getAttribute('aria-label'), /Oklahoma: Bloc 2/);
  await page.keyboard.press(' ');
  await settled(page);
  assert.match(await page.locator('#map path[data-state="OK"]').getAttribute('aria-label'), /Oklahoma: Rest of the union/);
  // shortcuts, as the page lists them
  const listed = await page.locator('#shortcuts').textContent();
  for (const k of ['A', 'C', 'M', 'D', 'Enter', 'Space']) assert.ok(listed.includes(k), k);
  await page.keyboard.press('c');
  assert.equal(await focused(page), 'policy-bloc');
  await page.locator('#reset').focus();
  await page.keyboard.press('a');
  assert.equal(await focused(page), 'year');
  await page.locator('#reset').focus();
  await page.keyboard.press('m');
  assert.equal(await focused(page), 'OK');
  // a letter typed into a field is the field's
  await page.focus('#bloc-name-1');
  await page.keyboard.press('c');
  assert.equal(await focused(page), 'bloc-name-1');
  await page.context().close();
  assert.deepEqual(h.problems, []);
});

test('phone width: the answer first, tap targets for the small states', async () => {
  const phone = await h.open('', PHONE, { hasTouch: true, isMobile: true });
  const screens = (box) => (box.y + box.height) / PHONE.height;
  // the sentence on the first screen, the key figures and the results within three
  assert.ok(screens(await phone.locator('#sentence').boundingBox()) <= 1, 'sentence on the first screen');
  assert.ok(screens(await phone.locator('#key-figures').boundingBox()) <= 2, 'key figures within two screens');
  const map = await phone.locator('#map').boundingBox();
  const panel = await phone.locator('#panel').boundingBox();
  assert.ok(panel.y >= map.y + map.height, 'panel below the map');
  assert.ok(panel.y / PHONE.height <= 3, `the results start within three screens (${panel.y}px)`);
  assert.ok(map.width <= PHONE.width && panel.width <= PHONE.width, 'nothing wider than the screen');
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= PHONE.width, `page scrolls sideways (${overflow}px)`);
  for (const s of SMALL_EAST) {
    const box = await phone.locator(`.tap-state[data-tap-state="${s}"]`).boundingBox();
    assert.ok(box && box.width >= 24 && box.height >= 24, `${s} tap target ${JSON.stringify(box)}`);
  }
  await phone.locator('.tap-state[data-tap-state="DC"]').tap();
  await settled(phone);
  assert.match(await phone.locator('.tap-state[data-tap-state="DC"]').getAttribute('aria-label'), /District of Columbia: Bloc 2/);
  assert.equal(await phone.locator('#map path[data-state="DC"]').getAttribute('data-bloc'), '1');
  // the first two screens and a half: the answer, the map, the start of the results
  await phone.evaluate(() => document.activeElement.blur());
  await snap(phone, 'map-phone.png', { fullPage: true, clip: { x: 0, y: 0, width: PHONE.width, height: 2100 } });
  await phone.context().close();
  assert.deepEqual(h.problems, []);
});

/** axe-core's violations of impact serious or critical on `page`. */
async function audit(page) {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n  ` + v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join('\n  '));
}

test('axe finds no serious or critical violation, desktop and phone, with and without a scenario', async () => {
  for (const viewport of [DESKTOP, PHONE]) {
    // The page's Content-Security-Policy forbids inline scripts, which is how
    // addScriptTag injects axe: this context alone bypasses it.
    const page = await h.open('', viewport, { bypassCSP: true });
    assert.deepEqual(await audit(page), [], `default view at ${viewport.width}px`);
    await page.click('[data-preset="example-bluexit-2024"]');
    await settled(page);
    await page.selectOption('#mode', 'scenario');
    await page.locator('#bloc-table button.info').first().click();
    assert.deepEqual(await audit(page), [], `bluexit-2024 at ${viewport.width}px`);
    // the county view with a move, the income charts and the ensemble's bars
    await page.click('#view-counties');
    await page.waitForSelector('#county-map path[data-county]');
    await settled(page);
    await page.locator('#county-map path[data-county="41025"]').focus();
    await page.keyboard.press('Enter');
    await settled(page);
    await page.locator('#ensemble-summary').click();
    await page.waitForSelector('#ensemble-metrics [data-metric]');
    await page.locator('#county-note button.info').click();
    await page.locator('#ensemble-intro button.info').first().click();
    assert.deepEqual(await audit(page), [], `county view and ensemble at ${viewport.width}px`);
    await page.context().close();
  }
  assert.deepEqual(h.problems, []);
});

test('phone width, county view: the answer stays first, the county tools fit, the units without outline are tappable', async () => {
  const phone = await h.open('?view=counties&b=CA:1', PHONE, { hasTouch: true, isMobile: true });
  await phone.waitForSelector('#county-map path[data-county]');
  await settled(phone);
  assert.ok((await phone.locator('#sentence').boundingBox()).y + 40 <= PHONE.height, 'sentence on the first screen');
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= PHONE.width, `page scrolls sideways (${overflow}px)`);
  const map = await phone.locator('#county-map').boundingBox();
  assert.ok(map.width <= PHONE.width);
  for (const f of ['09110', '51610']) {
    const box = await phone.locator(`#unmapped-list button[data-county="${f}"]`).boundingBox();
    assert.ok(box && box.width >= 24 && box.height >= 24, `${f} tap target ${JSON.stringify(box)}`);
  }
  await phone.locator('#unmapped-list button[data-county="51610"]').tap();
  await settled(phone);
  assert.match(await phone.locator('#unmapped-list button[data-county="51610"]').getAttribute('aria-label'), /Falls Church city, VA: Bloc 2 \(moved\)/);
  // the new sections come after the results that were there
  const order = await phone.$$eval('#panel [data-section]', (ss) => ss.map((s) => s.dataset.section));
  assert.ok(order.indexOf('income') > order.indexOf('budget') && order.indexOf('ensemble') > order.indexOf('income'), order.join(' '));
  await phone.context().close();
  assert.deepEqual(h.problems, []);
});
