// Keyboard, phone and accessibility: arrow keys between states, the
// page's shortcuts, the layout and tap targets at 390×844, and axe-core's
// audit (no serious or critical violation) on desktop and phone.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { ARTIFACTS, PHONE, DESKTOP, harness, settled } = require('./helpers');

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
  await phone.screenshot({ path: path.join(ARTIFACTS, 'map-phone.png'), fullPage: true });
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
    await page.context().close();
  }
  assert.deepEqual(h.problems, []);
});
