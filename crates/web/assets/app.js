// fedsplit web page: a map of the states, blocs drawn by clicking, and the
// scenario's figures from the JSON API (the same numbers as the CLI's
// --format json). Plain script, no dependencies; the page's whole state lives
// in the query string so that a link reproduces it.
'use strict';

(function () {
  // ---------------------------------------------------------------- constants

  const SVG_NS = 'http://www.w3.org/2000/svg';
  const DEBOUNCE_MS = 150;
  const MAX_BLOCS = 10;
  const MAX_NAME = 40;
  const DEFAULT_BLOC_NAMES = ['Rest of the union', 'Bloc 2'];
  // Neutral, distinguishable colours (no party red or blue by default).
  const PALETTE = ['#b9bfc8', '#2a9d8f', '#e9a23b', '#8a6fbf', '#6f9e4a',
    '#d07a9a', '#5f7d95', '#b07a4f', '#4db6c9', '#c9b03a'];
  // Conventional colours, used only by the election presets.
  const ELECTION_COLOURS = { Democratic: '#3f6fb5', Republican: '#c8473d', Swing: '#9a8fb8' };
  const CHANNELS = ['grants', 'medicaid', 'snap', 'other-payments'];
  // Diverging scale (brown–teal), negative to positive, centred on 0.
  const DIVERGING = ['#8c510a', '#d8b365', '#f6e8c3', '#f2f2ee', '#c7eae5', '#5ab4ac', '#01665e'];

  const DEFAULTS = Object.freeze({
    mode: 'blocs',
    method: 'flow',
    deficit: 'none',
    policy: 1,
    scale: 1,
    withdraw: [],
    replace: 1,
    instrument: 'agi-flat',
    pooling: 'state',
    response: 'deficit',
    partition: false,
    debt: 'population',
    goods: 'population',
  });
  const CHOICES = {
    mode: ['blocs', 'net'],
    method: ['flow', 'benefit'],
    deficit: ['none', 'scale-spending', 'scale-receipts', 'per-capita'],
    instrument: ['agi-flat', 'state-income-tax', 'sales-tax'],
    pooling: ['state', 'bloc'],
    response: ['deficit', 'cut-spending'],
    debt: ['population', 'gdp', 'net-benefit'],
    goods: ['population', 'gdp'],
  };

  // -------------------------------------------------------------------- state

  /** The page's state: everything the URL carries. */
  let S = defaultState();

  const geo = { states: [], byPostal: new Map(), paths: new Map(), labels: new Map(), callouts: new Map() };
  const cache = { ledger: new Map(), blocs: new Map(), examples: null, explain: new Map() };
  let ledger = null;        // the /api/ledger answer for the current options
  let result = null;        // the last /api/scenario answer
  let resultText = '';      // its bytes, for the JSON download
  let resultKey = '';       // the request body that produced it
  let scenarioNote = '';    // why there is no scenario, when there is none
  let timer = 0;
  let seq = 0;
  let inflight = null;
  let ledgerInflight = null;
  let detailsInflight = null;
  let hovered = null;

  const $ = (id) => document.getElementById(id);

  function defaultState() {
    return {
      blocs: DEFAULT_BLOC_NAMES.map((name, i) => ({ name, color: PALETTE[i] })),
      assign: {},
      mode: DEFAULTS.mode,
      method: DEFAULTS.method,
      deficit: DEFAULTS.deficit,
      policy: DEFAULTS.policy,
      scale: DEFAULTS.scale,
      withdraw: DEFAULTS.withdraw.slice(),
      replace: DEFAULTS.replace,
      instrument: DEFAULTS.instrument,
      pooling: DEFAULTS.pooling,
      response: DEFAULTS.response,
      partition: DEFAULTS.partition,
      debt: DEFAULTS.debt,
      goods: DEFAULTS.goods,
    };
  }

  const blocOf = (postal) => S.assign[postal] || 0;
  const statesIn = (i) => geo.states.filter((s) => blocOf(s.postal) === i).map((s) => s.postal);

  // --------------------------------------------------------------- formatting

  const MINUS = '\u2212';
  const nf = (digits) => new Intl.NumberFormat('en-US', {
    minimumFractionDigits: digits, maximumFractionDigits: digits,
  });
  const NF0 = nf(0);
  const NF1 = nf(1);
  const NF2 = nf(2);

  function signed(text, value, always) {
    if (value < 0) return MINUS + text;
    if (always && value > 0) return '+' + text;
    return text;
  }
  /** Whole number with thousands separators. */
  function fmtInt(n) {
    if (n == null || !Number.isFinite(n)) return '—';
    const r = Math.round(n);
    return signed(NF0.format(Math.abs(r)), r, false);
  }
  /** Billions of dollars, one decimal: $1,339.9B; `sign` adds + to gains. */
  function fmtB(n, sign) {
    if (n == null || !Number.isFinite(n)) return '—';
    const r = Math.round(n / 1e8) / 10;
    return signed('$' + NF1.format(Math.abs(r)) + 'B', r, sign);
  }
  /** Whole dollars: $5,019 (per resident). */
  function fmtD(n, sign) {
    if (n == null || !Number.isFinite(n)) return '—';
    const r = Math.round(n);
    return signed('$' + NF0.format(Math.abs(r)), r, sign);
  }
  function fmtPct(fraction, sign) {
    if (fraction == null || !Number.isFinite(fraction)) return '—';
    const r = Math.round(fraction * 1000) / 10;
    return signed(NF1.format(Math.abs(r)) + '%', r, sign);
  }
  function fmtShortPeople(n) {
    if (n >= 1e6) return NF1.format(n / 1e6) + 'M';
    if (n >= 1e3) return NF0.format(n / 1e3) + 'k';
    return NF0.format(n);
  }
  function fmtShortD(n) {
    const a = Math.abs(n);
    const t = a >= 1000 ? (a % 1000 === 0 ? NF0.format(a / 1000) : NF1.format(a / 1000)) + 'k' : NF0.format(a);
    return signed('$' + t, n, true);
  }

  // ----------------------------------------------------------------- URL state

  function hex(c) { return /^#[0-9a-f]{6}$/i.test(c) ? c.toLowerCase() : null; }

  function toQuery() {
    const parts = [];
    const defaultBlocs = S.blocs.length === DEFAULT_BLOC_NAMES.length &&
      S.blocs.every((b, i) => b.name === DEFAULT_BLOC_NAMES[i] && b.color === PALETTE[i]);
    if (!defaultBlocs) {
      parts.push('k=' + S.blocs.map((b) => encodeURIComponent(b.name) + ':' + b.color.slice(1)).join(','));
    }
    const assigned = geo.states.filter((s) => blocOf(s.postal) > 0)
      .map((s) => s.postal + ':' + blocOf(s.postal));
    if (assigned.length) parts.push('b=' + assigned.join(','));
    const simple = ['mode', 'method', 'deficit', 'instrument', 'pooling', 'response', 'debt', 'goods'];
    for (const key of simple) if (S[key] !== DEFAULTS[key]) parts.push(key + '=' + S[key]);
    if (S.policy !== DEFAULTS.policy) parts.push('policy=' + S.policy);
    if (S.scale !== DEFAULTS.scale) parts.push('scale=' + S.scale);
    if (S.withdraw.length) parts.push('withdraw=' + S.withdraw.join('.'));
    if (S.replace !== DEFAULTS.replace) parts.push('replace=' + S.replace);
    if (S.partition) parts.push('partition=1');
    return parts.join('&');
  }

  function safeDecode(text) {
    try { return decodeURIComponent(text); } catch (e) { return null; }
  }

  function number(text, lo, hi, step) {
    const v = Number(text);
    if (text === '' || !Number.isFinite(v) || v < lo || v > hi) return null;
    return Math.round(Math.round(v / step) * step * 100) / 100;
  }

  /** The state a query string describes; anything unreadable falls back to the default. */
  function fromQuery(search) {
    const st = defaultState();
    const params = new Map();
    for (const part of search.replace(/^\?/, '').split('&')) {
      if (!part) continue;
      const eq = part.indexOf('=');
      const key = eq < 0 ? part : part.slice(0, eq);
      params.set(key, eq < 0 ? '' : part.slice(eq + 1));
    }
    if (params.has('k')) {
      const blocs = [];
      for (const item of params.get('k').split(',')) {
        const colon = item.lastIndexOf(':');
        const name = safeDecode(colon < 0 ? item : item.slice(0, colon));
        const color = colon < 0 ? null : hex('#' + item.slice(colon + 1));
        const clean = name == null ? '' : name.trim().slice(0, MAX_NAME);
        if (!clean || blocs.some((b) => b.name.toLowerCase() === clean.toLowerCase())) continue;
        blocs.push({ name: clean, color: color || PALETTE[blocs.length % PALETTE.length] });
        if (blocs.length === MAX_BLOCS) break;
      }
      if (blocs.length) st.blocs = blocs;
    }
    if (params.has('b')) {
      for (const item of params.get('b').split(',')) {
        const m = /^([A-Za-z]{2}):(\d{1,2})$/.exec(item);
        if (!m) continue;
        const postal = m[1].toUpperCase();
        const idx = Number(m[2]);
        if (!geo.byPostal.has(postal) || idx < 1 || idx >= MAX_BLOCS) continue;
        while (st.blocs.length <= idx) st.blocs.push(newBloc(st.blocs));
        st.assign[postal] = idx;
      }
    }
    for (const key of Object.keys(CHOICES)) {
      const v = params.has(key) ? safeDecode(params.get(key)) : null;
      if (v != null && CHOICES[key].includes(v)) st[key] = v;
    }
    const policy = params.has('policy') ? Number(params.get('policy')) : NaN;
    if (Number.isInteger(policy) && policy >= 0 && policy < st.blocs.length) st.policy = policy;
    st.policy = Math.min(st.policy, st.blocs.length - 1);
    const scale = params.has('scale') ? number(params.get('scale'), 0, 1.5, 0.05) : null;
    if (scale != null) st.scale = scale;
    const replace = params.has('replace') ? number(params.get('replace'), 0, 1, 0.05) : null;
    if (replace != null) st.replace = replace;
    if (params.has('withdraw')) {
      st.withdraw = CHANNELS.filter((c) => params.get('withdraw').split('.').includes(c));
    }
    st.partition = params.get('partition') === '1';
    return st;
  }

  let lastKind = '';
  let lastPush = 0;
  /** Records the state in the URL: a new history entry, except that a quick
   * run of changes to one control (dragging a slider, typing a name) shares one. */
  function pushUrl(kind) {
    const q = toQuery();
    const want = q ? '?' + q : location.pathname;
    if (location.search === (q ? '?' + q : '')) return;
    const now = Date.now();
    const merge = kind && kind !== 'other' && kind === lastKind && now - lastPush < 1500;
    if (merge) history.replaceState(null, '', want);
    else history.pushState(null, '', want);
    lastKind = kind || '';
    lastPush = now;
  }

  // ------------------------------------------------------------------ fetching

  class ApiError extends Error {
    constructor(message, field) { super(message); this.field = field || ''; }
  }

  async function getJson(url, options) {
    const response = await fetch(url, options);
    const text = await response.text();
    let body = null;
    try { body = JSON.parse(text); } catch (e) { body = null; }
    if (!response.ok) {
      const err = body && body.error ? body.error : { message: response.status + ' ' + response.statusText };
      throw new ApiError(err.message || 'request failed', err.field);
    }
    if (body == null) throw new ApiError('the server sent something that is not JSON');
    return { body, text };
  }

  const isAbort = (e) => e && e.name === 'AbortError';

  function ledgerKey() { return 'method=' + S.method + '&deficit=' + S.deficit; }

  async function loadLedger() {
    const key = ledgerKey();
    if (cache.ledger.has(key)) { ledger = cache.ledger.get(key); return true; }
    if (ledgerInflight) ledgerInflight.abort();
    const ctl = new AbortController();
    ledgerInflight = ctl;
    try {
      const { body } = await getJson('/api/ledger?' + key, { signal: ctl.signal });
      cache.ledger.set(key, body);
      if (key === ledgerKey()) ledger = body;
      return key === ledgerKey();
    } finally {
      if (ledgerInflight === ctl) ledgerInflight = null;
    }
  }

  /** The scenario the page describes, as the JSON body of POST /api/scenario. */
  function scenarioBody() {
    const assignment = {};
    for (const s of geo.states) assignment[s.postal] = S.blocs[blocOf(s.postal)].name;
    const body = {
      name: 'map',
      ledger: { method: S.method, deficit: S.deficit },
      blocs: { assignment },
      bluexit: { federal_response: S.response },
    };
    const policy = S.blocs[S.policy];
    if (policy && statesIn(S.policy).length) {
      body.bluexit.bloc = {};
      body.bluexit.bloc[policy.name] = {
        income_tax_scale: S.scale,
        withdraw: S.withdraw.slice(),
        replace_share: S.replace,
        instrument: S.instrument,
        pooling: S.pooling,
      };
    }
    if (S.partition) body.partition = { public_goods_key: S.goods, debt_key: S.debt };
    return body;
  }

  function nonEmptyBlocs() {
    return S.blocs.filter((_, i) => statesIn(i).length > 0).length;
  }

  // --------------------------------------------------------------- recompute

  function setBusy(busy) {
    $('panel').setAttribute('aria-busy', busy ? 'true' : 'false');
    $('panel').classList.toggle('pending', busy);
  }

  /** Something changed: redraw what is local now, fetch the rest shortly.
   * `kind` names the control for the history entry; false: do not record. */
  function changed(kind) {
    renderLocal();
    setBusy(true);
    clearTimeout(timer);
    timer = setTimeout(() => { recompute(kind); }, DEBOUNCE_MS);
  }

  async function recompute(kind) {
    if (kind !== false) pushUrl(kind || 'other');
    const my = ++seq;
    if (inflight) { inflight.abort(); inflight = null; }
    showError('');
    try {
      const fresh = await loadLedger();
      if (my !== seq) return;
      if (fresh) {
        renderLocal();
        const shown = $('details-state').value;
        if (shown) showDetails(shown, false);
      }
      if (nonEmptyBlocs() < 2) {
        result = null; resultText = ''; resultKey = '';
        scenarioNote = 'Move at least one state into a second bloc to compute a scenario.';
      } else {
        const body = JSON.stringify(scenarioBody());
        if (body !== resultKey || !result) {
          const ctl = new AbortController();
          inflight = ctl;
          const { body: answer, text } = await getJson('/api/scenario', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body,
            signal: ctl.signal,
          });
          if (inflight === ctl) inflight = null;
          if (my !== seq) return;
          result = answer; resultText = text; resultKey = body;
        }
        scenarioNote = '';
      }
      renderPanel();
      announce();
      setBusy(false);
    } catch (e) {
      if (isAbort(e) || my !== seq) return;
      result = null; resultText = ''; resultKey = '';
      scenarioNote = '';
      renderPanel();
      showError(e.field ? e.field + ': ' + e.message : e.message);
      setBusy(false);
    }
  }

  function showError(message) {
    const el = $('error');
    el.textContent = message;
    el.hidden = !message;
  }

  // ---------------------------------------------------------------------- map

  function svg(tag, attrs, parent) {
    const el = document.createElementNS(SVG_NS, tag);
    for (const k in attrs) el.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(el);
    return el;
  }

  function buildMap(map) {
    const root = $('map');
    root.setAttribute('viewBox', '0 0 ' + map.width + ' ' + map.height);
    root.textContent = '';
    const shapes = svg('g', { class: 'states' }, root);
    const labels = svg('g', { class: 'labels', 'aria-hidden': 'true' }, root);
    svg('path', { id: 'focus-ring', class: 'focus-ring', d: '' }, root);
    geo.states = map.states.slice();
    for (const s of geo.states) {
      geo.byPostal.set(s.postal, s);
      const p = svg('path', {
        d: s.d, 'data-state': s.postal, role: 'button', tabindex: '0', class: 'state',
      }, shapes);
      geo.paths.set(s.postal, p);
      p.addEventListener('click', () => cycle(s.postal));
      p.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' || ev.key === ' ' || ev.key === 'Spacebar') {
          ev.preventDefault();
          cycle(s.postal);
        } else if (ev.key === 'd' || ev.key === 'D') {
          ev.preventDefault();
          showDetails(s.postal, true);
        }
      });
      p.addEventListener('pointerenter', (ev) => { hover(s.postal, ev); });
      p.addEventListener('pointermove', (ev) => { placeTooltip(ev.clientX, ev.clientY); });
      p.addEventListener('pointerleave', () => { unhover(s.postal); });
      p.addEventListener('focus', () => { hover(s.postal, null); });
      p.addEventListener('blur', () => { unhover(s.postal); });
    }
    // Labels only where the state is large enough to hold one.
    for (const s of geo.states) {
      const box = geo.paths.get(s.postal).getBBox();
      if (box.width < 26 || box.height < 16) continue;
      const t = svg('text', { x: s.label_x, y: s.label_y, class: 'label' }, labels);
      t.textContent = s.postal;
      geo.labels.set(s.postal, t);
    }
    // Small states get a labelled box off the coast that also takes clicks.
    // The path stays the accessible control; the box is a pointer shortcut.
    const callouts = svg('g', { class: 'callouts', 'aria-hidden': 'true' }, root);
    root.appendChild($('focus-ring'));
    const small = geo.states.filter((s) => !geo.labels.has(s.postal)).sort((a, b) => a.label_y - b.label_y);
    const boxX = map.width - 58;
    let lastY = -Infinity;
    for (const s of small) {
      const y = Math.max(s.label_y, lastY + 22);
      lastY = y;
      svg('line', { x1: s.label_x, y1: s.label_y, x2: boxX, y2: y, class: 'leader' }, callouts);
      const g = svg('g', { class: 'callout', 'data-callout': s.postal }, callouts);
      const rect = svg('rect', { x: boxX, y: y - 9, width: 34, height: 18, rx: 3 }, g);
      const t = svg('text', { x: boxX + 17, y, class: 'label' }, g);
      t.textContent = s.postal;
      geo.callouts.set(s.postal, { rect, text: t });
      g.addEventListener('click', () => cycle(s.postal));
      g.addEventListener('pointerenter', (ev) => { hover(s.postal, ev); });
      g.addEventListener('pointermove', (ev) => { placeTooltip(ev.clientX, ev.clientY); });
      g.addEventListener('pointerleave', () => { unhover(s.postal); });
    }
    const details = $('details-state');
    for (const s of geo.states.slice().sort((a, b) => a.name.localeCompare(b.name))) {
      const o = document.createElement('option');
      o.value = s.postal;
      o.textContent = s.name;
      details.appendChild(o);
    }
  }

  function cycle(postal) {
    const next = (blocOf(postal) + 1) % S.blocs.length;
    if (next === 0) delete S.assign[postal]; else S.assign[postal] = next;
    changed('assign:' + postal);
    if (hovered === postal) showTooltip(postal);
  }

  function luminance(color) {
    const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
    if (!m) return 1;
    const c = [m[1], m[2], m[3]].map((h) => {
      const v = parseInt(h, 16) / 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }

  function mix(a, b, t) {
    const pa = [1, 3, 5].map((i) => parseInt(a.slice(i, i + 2), 16));
    const pb = [1, 3, 5].map((i) => parseInt(b.slice(i, i + 2), 16));
    return '#' + pa.map((v, i) => Math.round(v + (pb[i] - v) * t).toString(16).padStart(2, '0')).join('');
  }

  /** t in [-1, 1] to the diverging scale. */
  function diverging(t) {
    const x = (Math.max(-1, Math.min(1, t)) + 1) / 2 * (DIVERGING.length - 1);
    const i = Math.min(DIVERGING.length - 2, Math.floor(x));
    return mix(DIVERGING[i], DIVERGING[i + 1], x - i);
  }

  /** Square-root scale, symmetric about 0: small differences stay visible next to large ones. */
  function scaleT(v, domain) {
    const t = Math.min(1, Math.abs(v) / domain);
    return Math.sign(v) * Math.sqrt(t);
  }

  function niceCeil(v) {
    if (!(v > 0)) return 1;
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
    return 10 * p;
  }

  /** The choropleth's half-range: the second-largest magnitude, so that one outlier does not flatten the rest. */
  function netDomain() {
    if (!ledger) return 1;
    const mags = ledger.states.map((s) => Math.abs(s.net_per_capita_usd)).sort((a, b) => b - a);
    return niceCeil(mags.length > 1 ? mags[1] : mags[0]);
  }

  function ledgerRow(postal) {
    return ledger ? ledger.states.find((s) => s.state === postal) : null;
  }

  function paintMap() {
    const net = S.mode === 'net' && ledger;
    const domain = net ? netDomain() : 1;
    for (const s of geo.states) {
      const p = geo.paths.get(s.postal);
      const bloc = S.blocs[blocOf(s.postal)];
      let fill = bloc.color;
      if (net) {
        const row = ledgerRow(s.postal);
        fill = row ? diverging(scaleT(row.net_per_capita_usd, domain)) : '#cccccc';
      }
      p.style.fill = fill;
      p.setAttribute('aria-label', s.name + ': ' + bloc.name);
      p.dataset.bloc = String(blocOf(s.postal));
      const label = geo.labels.get(s.postal);
      const ink = luminance(fill) < 0.33 ? '#ffffff' : '#1d232b';
      if (label) label.style.fill = ink;
      const callout = geo.callouts.get(s.postal);
      if (callout) { callout.rect.style.fill = fill; callout.text.style.fill = ink; }
    }
    renderLegend(net, domain);
  }

  function renderLegend(net, domain) {
    const el = $('legend');
    el.textContent = '';
    if (net) {
      el.className = 'legend net';
      const title = document.createElement('div');
      title.className = 'legend-title';
      title.textContent = 'Net federal flow per resident, ' + S.method + ' method';
      el.appendChild(title);
      const bar = document.createElement('div');
      bar.className = 'legend-bar';
      bar.style.background = 'linear-gradient(to right, ' + DIVERGING.join(', ') + ')';
      el.appendChild(bar);
      const ticks = document.createElement('div');
      ticks.className = 'legend-ticks';
      // ticks at the bar's quarters: the scale is a square root, so ±½ of the bar is ±¼ of the range
      for (const v of [-domain, -domain / 4, 0, domain / 4, domain]) {
        const t = document.createElement('span');
        t.textContent = (v === -domain ? '≤ ' : v === domain ? '≥ ' : '') + (v === 0 ? '0' : fmtShortD(v));
        ticks.appendChild(t);
      }
      el.appendChild(ticks);
      const ends = document.createElement('div');
      ends.className = 'legend-ends';
      const a = document.createElement('span');
      a.textContent = 'residents pay in more than the state receives';
      const b = document.createElement('span');
      b.textContent = 'the state receives more than residents pay in';
      ends.append(a, b);
      el.appendChild(ends);
    } else {
      el.className = 'legend blocs';
      S.blocs.forEach((b, i) => {
        const item = document.createElement('span');
        item.className = 'legend-item';
        const sw = document.createElement('span');
        sw.className = 'swatch';
        sw.style.background = b.color;
        item.appendChild(sw);
        item.appendChild(document.createTextNode(b.name + ' (' + statesIn(i).length + ')'));
        el.appendChild(item);
      });
    }
  }

  // ------------------------------------------------------------------ tooltip

  function hover(postal, ev) {
    hovered = postal;
    const ring = $('focus-ring');
    ring.setAttribute('d', geo.byPostal.get(postal).d);
    ring.classList.add('on');
    showTooltip(postal);
    if (ev) placeTooltip(ev.clientX, ev.clientY);
    else {
      const r = geo.paths.get(postal).getBoundingClientRect();
      placeTooltip(r.left + r.width / 2, r.top + r.height / 2);
    }
  }

  function unhover(postal) {
    if (hovered !== postal) return;
    hovered = null;
    $('focus-ring').classList.remove('on');
    $('tooltip').hidden = true;
  }

  function kv(parent, label, value, extra) {
    const row = document.createElement('div');
    row.className = 'kv';
    const k = document.createElement('span');
    k.textContent = label;
    const v = document.createElement('span');
    v.className = 'num';
    v.textContent = value;
    row.append(k, v);
    if (extra != null) {
      const x = document.createElement('span');
      x.className = 'num muted';
      x.textContent = extra;
      row.appendChild(x);
    }
    parent.appendChild(row);
  }

  function showTooltip(postal) {
    const s = geo.byPostal.get(postal);
    const tip = $('tooltip');
    tip.textContent = '';
    const head = document.createElement('div');
    head.className = 'tip-head';
    const name = document.createElement('strong');
    name.textContent = s.name;
    const bloc = document.createElement('span');
    bloc.className = 'tip-bloc';
    const sw = document.createElement('span');
    sw.className = 'swatch';
    sw.style.background = S.blocs[blocOf(postal)].color;
    bloc.append(sw, document.createTextNode(S.blocs[blocOf(postal)].name));
    head.append(name, bloc);
    tip.appendChild(head);
    const row = ledgerRow(postal);
    if (row) {
      const grid = document.createElement('div');
      grid.className = 'tip-grid';
      const hdr = document.createElement('div');
      hdr.className = 'kv head';
      for (const t of ['', 'total', 'per resident']) {
        const c = document.createElement('span');
        c.textContent = t;
        hdr.appendChild(c);
      }
      grid.appendChild(hdr);
      const pc = (v) => fmtD(v / row.population, false);
      kv(grid, 'Federal taxes paid', fmtB(row.receipts_usd), pc(row.receipts_usd));
      kv(grid, 'Federal spending', fmtB(row.spending_usd), pc(row.spending_usd));
      kv(grid, 'Net', fmtB(row.net_usd, true), fmtD(row.net_per_capita_usd, true));
      tip.appendChild(grid);
      const foot = document.createElement('div');
      foot.className = 'tip-foot';
      foot.textContent = 'Population ' + fmtInt(row.population) + ' · rank ' + row.rank +
        ' of ' + ledger.states.length + ' by net per resident · ' +
        '$' + NF2.format(row.spending_per_receipt_dollar) + ' spent per $1 paid';
      tip.appendChild(foot);
    }
    const hint = document.createElement('div');
    hint.className = 'tip-hint';
    hint.textContent = 'Click: next bloc · D: sources and grades';
    tip.appendChild(hint);
    tip.hidden = false;
  }

  function placeTooltip(cx, cy) {
    const tip = $('tooltip');
    if (tip.hidden) return;
    const wrap = $('map-wrap').getBoundingClientRect();
    const w = tip.offsetWidth;
    const h = tip.offsetHeight;
    let x = cx - wrap.left + 14;
    let y = cy - wrap.top + 14;
    if (x + w > wrap.width) x = Math.max(0, cx - wrap.left - w - 14);
    if (y + h > wrap.height) y = Math.max(0, cy - wrap.top - h - 14);
    tip.style.left = x + 'px';
    tip.style.top = y + 'px';
  }

  // ------------------------------------------------------------ state details

  async function showDetails(postal, scroll) {
    const select = $('details-state');
    select.value = postal;
    const box = $('details-lines');
    const key = postal + '&' + ledgerKey();
    if (detailsInflight) detailsInflight.abort();
    box.textContent = '';
    box.setAttribute('aria-busy', 'true');
    let data = cache.explain.get(key);
    try {
      if (!data) {
        const ctl = new AbortController();
        detailsInflight = ctl;
        data = (await getJson('/api/explain?state=' + postal + '&' + ledgerKey(), { signal: ctl.signal })).body;
        if (detailsInflight === ctl) detailsInflight = null;
        cache.explain.set(key, data);
      }
    } catch (e) {
      if (isAbort(e)) return;
      box.removeAttribute('aria-busy');
      box.textContent = 'Could not load the breakdown: ' + e.message;
      return;
    }
    if (select.value !== postal) return;
    renderExplain(data);
    box.removeAttribute('aria-busy');
    if (scroll) $('state-details').scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }

  function renderExplain(d) {
    const box = $('details-lines');
    box.textContent = '';
    const summary = document.createElement('p');
    summary.className = 'details-summary';
    summary.textContent = d.name + ': federal taxes paid ' + fmtB(d.receipts_usd) + ', federal spending ' +
      fmtB(d.spending_usd) + ', net ' + fmtB(d.net_usd, true) + ' (' + fmtD(d.net_per_capita_usd, true) +
      ' per resident, ' + fmtPct(d.net_pct_gdp / 100, true) + ' of state GDP).';
    box.appendChild(summary);
    for (const side of ['receipts', 'spending']) {
      const lines = d.lines.filter((l) => l.side === side && l.amount_usd !== 0);
      if (!lines.length) continue;
      const table = document.createElement('table');
      table.className = 'data compact explain';
      const cap = document.createElement('caption');
      cap.textContent = side === 'receipts' ? 'Federal taxes paid by residents' : 'Federal spending in the state';
      table.appendChild(cap);
      const thead = document.createElement('thead');
      const hr = document.createElement('tr');
      for (const t of ['Line', 'Amount', 'Share of US', 'Grade']) {
        const th = document.createElement('th');
        th.scope = 'col';
        th.textContent = t;
        hr.appendChild(th);
      }
      thead.appendChild(hr);
      table.appendChild(thead);
      const tbody = document.createElement('tbody');
      for (const l of lines) {
        const tr = document.createElement('tr');
        const th = document.createElement('th');
        th.scope = 'row';
        const label = document.createElement('div');
        label.textContent = l.label;
        const key = document.createElement('div');
        key.className = 'source';
        key.textContent = l.key;
        th.append(label, key);
        const amount = document.createElement('td');
        amount.className = 'num';
        amount.textContent = fmtB(l.amount_usd);
        const share = document.createElement('td');
        share.className = 'num';
        share.textContent = l.share == null ? '—' : fmtPct(l.share);
        const grade = document.createElement('td');
        grade.className = 'grade grade-' + l.grade;
        grade.textContent = l.grade;
        grade.title = { A: 'administrative per-state amount', B: 'close indicator', C: 'proxy' }[l.grade] || '';
        tr.append(th, amount, share, grade);
        tbody.appendChild(tr);
      }
      table.appendChild(tbody);
      box.appendChild(table);
    }
  }

  // --------------------------------------------------------------- bloc list

  function newBloc(blocs) {
    let n = blocs.length + 1;
    const taken = (name) => blocs.some((b) => b.name.toLowerCase() === name.toLowerCase());
    while (taken('Bloc ' + n)) n++;
    const used = new Set(blocs.map((b) => b.color));
    const color = PALETTE.find((c) => !used.has(c)) || PALETTE[blocs.length % PALETTE.length];
    return { name: 'Bloc ' + n, color };
  }

  function renderBlocList() {
    const list = $('bloc-list');
    list.textContent = '';
    S.blocs.forEach((b, i) => {
      const li = document.createElement('li');
      li.className = 'bloc-item';
      li.dataset.bloc = String(i);
      const color = document.createElement('input');
      color.type = 'color';
      color.value = b.color;
      color.className = 'bloc-color';
      color.setAttribute('aria-label', 'Colour of bloc ' + (i + 1));
      color.addEventListener('input', () => {
        const c = hex(color.value);
        if (!c) return;
        S.blocs[i].color = c;
        paintMap();
        renderPanel();
        scheduleUrlOnly('color:' + i);
      });
      const name = document.createElement('input');
      name.type = 'text';
      name.value = b.name;
      name.maxLength = MAX_NAME;
      name.className = 'bloc-name';
      name.id = 'bloc-name-' + i;
      name.setAttribute('aria-label', 'Name of bloc ' + (i + 1));
      name.addEventListener('input', () => rename(i, name));
      name.addEventListener('blur', () => {
        if (name.getAttribute('aria-invalid') === 'true') {
          name.value = S.blocs[i].name;
          name.removeAttribute('aria-invalid');
          li.querySelector('.bloc-msg').textContent = '';
        }
      });
      const count = document.createElement('span');
      count.className = 'bloc-count';
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'btn ghost small';
      remove.textContent = 'Remove';
      remove.setAttribute('aria-label', 'Remove bloc ' + (i + 1) + ' (its states return to ' + S.blocs[0].name + ')');
      remove.disabled = i === 0;
      if (i === 0) remove.title = 'The first bloc holds every state not assigned elsewhere';
      remove.addEventListener('click', () => removeBloc(i));
      const msg = document.createElement('span');
      msg.className = 'bloc-msg';
      msg.setAttribute('aria-live', 'polite');
      li.append(color, name, count, remove, msg);
      list.appendChild(li);
    });
    $('add-bloc').disabled = S.blocs.length >= MAX_BLOCS;
    updateBlocCounts();
    renderPolicySelect();
  }

  function updateBlocCounts() {
    document.querySelectorAll('#bloc-list .bloc-item').forEach((li) => {
      const i = Number(li.dataset.bloc);
      const states = statesIn(i);
      let pop = 0;
      if (ledger) for (const p of states) { const r = ledgerRow(p); if (r) pop += r.population; }
      li.querySelector('.bloc-count').textContent = states.length + (states.length === 1 ? ' state' : ' states') +
        (ledger && states.length ? ' · ' + fmtShortPeople(pop) : '');
    });
  }

  function renderPolicySelect() {
    const sel = $('policy-bloc');
    sel.textContent = '';
    S.blocs.forEach((b, i) => {
      const o = document.createElement('option');
      o.value = String(i);
      o.textContent = b.name;
      sel.appendChild(o);
    });
    sel.value = String(S.policy);
  }

  function rename(i, input) {
    const li = input.closest('li');
    const msg = li.querySelector('.bloc-msg');
    const v = input.value.trim();
    let problem = '';
    if (!v) problem = 'A bloc needs a name.';
    else if (S.blocs.some((b, j) => j !== i && b.name.toLowerCase() === v.toLowerCase())) problem = 'Another bloc has this name.';
    if (problem) {
      input.setAttribute('aria-invalid', 'true');
      msg.textContent = problem;
      return;
    }
    input.removeAttribute('aria-invalid');
    msg.textContent = '';
    if (S.blocs[i].name === v) return;
    S.blocs[i].name = v;
    const opt = $('policy-bloc').options[i];
    if (opt) opt.textContent = v;
    changed('name:' + i);
  }

  function removeBloc(i) {
    if (i === 0) return;
    for (const p of Object.keys(S.assign)) {
      if (S.assign[p] === i) delete S.assign[p];
      else if (S.assign[p] > i) S.assign[p] -= 1;
    }
    S.blocs.splice(i, 1);
    if (S.policy === i) S.policy = Math.min(1, S.blocs.length - 1);
    else if (S.policy > i) S.policy -= 1;
    renderBlocList();
    changed();
    const next = $('bloc-name-' + Math.min(i, S.blocs.length - 1));
    if (next) next.focus();
  }

  function addBloc() {
    if (S.blocs.length >= MAX_BLOCS) return;
    S.blocs.push(newBloc(S.blocs));
    renderBlocList();
    changed();
    $('bloc-name-' + (S.blocs.length - 1)).focus();
  }

  let urlTimer = 0;
  function scheduleUrlOnly(kind) {
    clearTimeout(urlTimer);
    urlTimer = setTimeout(() => pushUrl(kind), DEBOUNCE_MS);
  }

  // ------------------------------------------------------------------ presets

  async function applyPreset(name) {
    showError('');
    setBusy(true);
    try {
      let blocs;
      let members;
      let partition = null;
      if (name.startsWith('election-')) {
        const year = name.slice('election-'.length);
        if (!cache.blocs.has(year)) cache.blocs.set(year, (await getJson('/api/blocs?election=' + year)).body);
        const data = cache.blocs.get(year);
        blocs = data.blocs.map((b, i) => ({ name: b.bloc, color: ELECTION_COLOURS[b.bloc] || PALETTE[i] }));
        members = data.blocs.map((b) => b.states);
      } else {
        if (!cache.examples) cache.examples = (await getJson('/api/examples')).body;
        const ex = cache.examples.find((e) => e.name === name.slice('example-'.length));
        if (!ex || !ex.scenario || !ex.scenario.blocs || !Array.isArray(ex.scenario.blocs.list)) {
          throw new ApiError('the example ' + name.slice(8) + ' has no list of blocs');
        }
        const list = ex.scenario.blocs.list;
        const rest = list.filter((b) => b.rest);
        const named = list.filter((b) => !b.rest);
        const ordered = (rest.length ? rest : [{ name: 'Rest', states: [] }]).slice(0, 1).concat(named);
        blocs = ordered.map((b, i) => ({ name: b.name, color: PALETTE[i % PALETTE.length] }));
        members = ordered.map((b) => b.states || []);
        partition = ex.scenario.partition || null;
      }
      S.blocs = blocs;
      S.assign = {};
      members.forEach((states, i) => { if (i > 0) for (const p of states) S.assign[p] = i; });
      S.policy = Math.min(S.policy, S.blocs.length - 1);
      if (S.policy === 0 && S.blocs.length > 1) S.policy = 1;
      if (partition) {
        S.partition = true;
        if (CHOICES.debt.includes(partition.debt_key)) S.debt = partition.debt_key;
        if (CHOICES.goods.includes(partition.public_goods_key)) S.goods = partition.public_goods_key;
      }
      syncControls();
      renderBlocList();
      changed();
    } catch (e) {
      showError('Could not load the preset: ' + e.message);
      setBusy(false);
    }
  }

  // ----------------------------------------------------------------- controls

  function syncControls() {
    $('mode').value = S.mode;
    $('method').value = S.method;
    $('deficit').value = S.deficit;
    $('scale').value = String(S.scale);
    $('replace').value = String(S.replace);
    $('instrument').value = S.instrument;
    $('pooling').value = S.pooling;
    $('response').value = S.response;
    $('partition').checked = S.partition;
    $('debt-key').value = S.debt;
    $('goods-key').value = S.goods;
    for (const c of CHANNELS) $('withdraw-' + c).checked = S.withdraw.includes(c);
    $('policy-bloc').value = String(S.policy);
    updateOutputs();
  }

  function updateOutputs() {
    $('scale-out').textContent = '×' + NF2.format(S.scale);
    $('replace-out').textContent = Math.round(S.replace * 100) + '%';
    $('debt-key').disabled = !S.partition;
    $('goods-key').disabled = !S.partition;
    const policyStates = statesIn(S.policy).length;
    const policyBloc = S.blocs[S.policy];
    $('policy-note').textContent = policyBloc && policyStates === 0
      ? policyBloc.name + ' has no states yet: the policy applies once it has some.' : '';
  }

  function bindControls() {
    const bindSelect = (id, key) => $(id).addEventListener('change', () => {
      S[key] = $(id).value;
      if (key === 'mode') { paintMap(); pushUrl('mode'); return; }
      changed(key);
    });
    bindSelect('mode', 'mode');
    bindSelect('method', 'method');
    bindSelect('deficit', 'deficit');
    bindSelect('instrument', 'instrument');
    bindSelect('pooling', 'pooling');
    bindSelect('response', 'response');
    bindSelect('debt-key', 'debt');
    bindSelect('goods-key', 'goods');
    $('policy-bloc').addEventListener('change', () => {
      S.policy = Number($('policy-bloc').value);
      changed();
    });
    $('scale').addEventListener('input', () => {
      S.scale = Math.round(Number($('scale').value) * 100) / 100;
      changed('scale');
    });
    $('replace').addEventListener('input', () => {
      S.replace = Math.round(Number($('replace').value) * 100) / 100;
      changed('replace');
    });
    for (const c of CHANNELS) {
      $('withdraw-' + c).addEventListener('change', () => {
        S.withdraw = CHANNELS.filter((x) => $('withdraw-' + x).checked);
        changed();
      });
    }
    $('partition').addEventListener('change', () => {
      S.partition = $('partition').checked;
      changed();
    });
    $('add-bloc').addEventListener('click', addBloc);
    $('reset').addEventListener('click', () => {
      S = defaultState();
      syncControls();
      renderBlocList();
      changed();
    });
    document.querySelectorAll('[data-preset]').forEach((b) => {
      b.addEventListener('click', () => applyPreset(b.dataset.preset));
    });
    $('download-csv').addEventListener('click', downloadCsv);
    $('download-json').addEventListener('click', downloadJson);
    $('copy-link').addEventListener('click', copyLink);
    $('details-state').addEventListener('change', () => {
      const v = $('details-state').value;
      if (v) showDetails(v, false);
      else $('details-lines').textContent = '';
    });
    window.addEventListener('popstate', () => {
      S = fromQuery(location.search);
      syncControls();
      renderBlocList();
      changed(false);
    });
  }

  // -------------------------------------------------------------------- panel

  /** Per bloc, summed from the ledger's states: the baseline. */
  function baseline() {
    return S.blocs.map((b, i) => {
      const out = { population: 0, receipts: 0, spending: 0, net: 0, gdp: 0, states: statesIn(i) };
      if (!ledger) return out;
      for (const p of out.states) {
        const r = ledgerRow(p);
        if (!r) continue;
        out.population += r.population;
        out.receipts += r.receipts_usd;
        out.spending += r.spending_usd;
        out.net += r.net_usd;
        if (r.net_pct_gdp) out.gdp += r.net_usd / (r.net_pct_gdp / 100);
      }
      out.perCapita = out.population ? out.net / out.population : null;
      return out;
    });
  }

  function scenarioBloc(name) {
    return result ? result.blocs.find((b) => b.bloc === name) || null : null;
  }
  function partitionRow(name) {
    return result && result.partition ? result.partition.find((p) => p.country === name) || null : null;
  }

  /** Light updates that need no fetch (colours, counts, baseline). */
  function renderLocal() {
    paintMap();
    updateBlocCounts();
    updateOutputs();
    renderPanel();
  }

  function renderPanel() {
    const base = baseline();
    const shown = S.blocs.map((b, i) => ({ b, i, base: base[i] })).filter((x) => x.base.states.length > 0);
    const table = $('bloc-table');
    const thead = table.tHead;
    const tbody = table.tBodies[0];
    thead.textContent = '';
    tbody.textContent = '';
    const hr = document.createElement('tr');
    const corner = document.createElement('th');
    corner.scope = 'col';
    corner.className = 'corner';
    const cornerText = document.createElement('span');
    cornerText.className = 'visually-hidden';
    cornerText.textContent = 'Measure';
    corner.appendChild(cornerText);
    hr.appendChild(corner);
    for (const x of shown) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.dataset.bloc = x.b.name;
      th.className = 'bloc-head';
      th.textContent = x.b.name;
      th.style.boxShadow = 'inset 0 -4px 0 ' + x.b.color;
      hr.appendChild(th);
    }
    thead.appendChild(hr);
    const cols = shown.length + 1;

    const section = (title) => {
      const tr = document.createElement('tr');
      tr.className = 'section';
      const th = document.createElement('th');
      th.scope = 'colgroup';
      th.colSpan = cols;
      th.textContent = title;
      tr.appendChild(th);
      tbody.appendChild(tr);
    };
    const row = (field, label, cell, help) => {
      const tr = document.createElement('tr');
      tr.dataset.field = field;
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = label;
      if (help) th.title = help;
      tr.appendChild(th);
      for (const x of shown) {
        const td = document.createElement('td');
        td.className = 'num';
        td.dataset.bloc = x.b.name;
        td.dataset.field = field;
        const [text, value, cls] = cell(x);
        td.textContent = text;
        if (value != null) td.dataset.value = String(value);
        if (cls) td.classList.add(cls);
        tr.appendChild(td);
      }
      tbody.appendChild(tr);
    };
    const tone = (v) => (v > 0 ? 'pos' : v < 0 ? 'neg' : null);

    section('Baseline (FY2022 ledger, ' + S.method + ' method)');
    row('states', 'States', (x) => [String(x.base.states.length), x.base.states.length]);
    row('population', 'Population', (x) => {
      const s = scenarioBloc(x.b.name);
      const v = s ? s.population : x.base.population;
      return [fmtInt(v), v];
    });
    row('gdp', 'GDP', (x) => {
      const s = scenarioBloc(x.b.name);
      const v = s ? s.gdp_usd : x.base.gdp;
      return [fmtB(v), v];
    });
    row('receipts', 'Federal taxes paid', (x) => [fmtB(x.base.receipts), x.base.receipts]);
    row('spending', 'Federal spending', (x) => [fmtB(x.base.spending), x.base.spending]);
    row('net', 'Net (spending − taxes)', (x) => [fmtB(x.base.net, true), x.base.net, tone(x.base.net)]);
    row('net-per-capita', 'Net per resident ($)', (x) => [fmtD(x.base.perCapita, true), x.base.perCapita, tone(x.base.perCapita)]);

    if (result) {
      section('Scenario: change from the baseline');
      const d = (field, label, key, sign, fmt, help) => row(field, label, (x) => {
        const s = scenarioBloc(x.b.name);
        const v = s ? s[key] : null;
        return [s ? fmt(v, sign) : '—', v, sign ? tone(v) : null];
      }, help);
      d('federal-taxes', 'Δ federal taxes', 'federal_taxes_delta_usd', false, (v) => fmtB(v, true), 'Positive: more federal tax paid');
      d('federal-spending', 'Δ federal spending', 'federal_spending_delta_usd', false, (v) => fmtB(v, true), 'Positive: more federal spending received');
      d('state-taxes', 'Δ state taxes', 'state_taxes_delta_usd', false, (v) => fmtB(v, true), 'Replacement taxes raised by the states');
      d('net-delta', 'Net Δ', 'net_delta_usd', true, fmtB, 'Spending received − taxes paid, federal and state together');
      d('net-delta-per-resident', 'Net Δ per resident ($)', 'net_delta_per_resident_usd', true, fmtD);
      row('kept', '$ kept per $1 lost', (x) => {
        const s = scenarioBloc(x.b.name);
        const v = s ? s.dollars_kept_per_dollar_lost : null;
        return [v == null ? '—' : '$' + NF2.format(v), v];
      }, 'Federal tax kept per dollar of federal spending lost');

      if (result.partition) {
        section('Partition: each bloc as a country');
        const p = (field, label, fmt, key, signedTone, help) => row(field, label, (x) => {
          const r = partitionRow(x.b.name);
          const v = r ? r[key] : null;
          return [r ? fmt(v) : '—', v, signedTone ? tone(v) : null];
        }, help);
        p('revenue', 'Revenue', (v) => fmtB(v), 'revenue_usd');
        p('primary-balance', 'Primary balance', (v) => fmtB(v, true), 'primary_balance_usd', true);
        p('debt', 'Debt', (v) => fmtB(v), 'debt_usd');
        p('debt-to-gdp', 'Debt / GDP', (v) => fmtPct(v), 'debt_to_gdp');
        p('interest', 'Interest', (v) => fmtB(v), 'interest_usd');
        p('overall-balance', 'Overall balance', (v) => fmtB(v, true), 'overall_balance_usd', true);
        p('tax-to-balance', 'Tax change to balance', (v) => fmtPct(v, true), 'tax_change_to_balance', false,
          'Change in revenue that would bring the overall balance to zero');
      }

      section('Voters (' + (result.meta && result.meta.votes_year ? result.meta.votes_year : 2024) + ' presidential election)');
      row('stranded', 'Stranded voters', (x) => {
        const s = scenarioBloc(x.b.name);
        return s ? [fmtInt(s.stranded_voters), s.stranded_voters] : ['—', null];
      }, "Voters in the bloc who did not vote for the bloc's popular-vote winner");
      row('stranded-share', 'Share of the bloc’s votes', (x) => {
        const s = scenarioBloc(x.b.name);
        const share = s && s.votes && s.votes.total ? s.stranded_voters / s.votes.total : null;
        return [fmtPct(share), share];
      });
      row('contiguous', 'Contiguous over land', (x) => {
        const s = scenarioBloc(x.b.name);
        if (!s) return ['—', null];
        return [s.contiguous ? 'yes' : 'no', s.contiguous ? 1 : 0, s.contiguous ? null : 'warn'];
      });
    }

    renderWarnings(shown);
    renderChart(shown);
    renderBudget();
    $('download-json').disabled = !result;
  }

  function renderWarnings(shown) {
    const ul = $('warnings');
    ul.textContent = '';
    const add = (text, cls) => {
      const li = document.createElement('li');
      li.textContent = text;
      if (cls) li.className = cls;
      ul.appendChild(li);
    };
    if (scenarioNote) add(scenarioNote, 'info');
    if (!result) return;
    for (const x of shown) {
      const s = scenarioBloc(x.b.name);
      if (s && !s.contiguous) {
        add(x.b.name + ' is not contiguous over land; outside its largest connected piece: ' +
          s.exclaves.map((p) => (geo.byPostal.get(p) || { name: p }).name).join(', ') + '.', 'warn');
      }
    }
  }

  function renderChart(shown) {
    const root = $('bloc-chart');
    root.textContent = '';
    const W = 420;
    const left = 8;
    const right = W - 8;
    const rowH = result ? 56 : 38;
    const top = 8;
    const series = [{ key: 'base', label: 'Baseline net federal flow' }];
    if (result) series.push({ key: 'delta', label: 'Scenario net change' });
    const values = shown.map((x) => {
      const s = scenarioBloc(x.b.name);
      return { base: x.base.perCapita || 0, delta: s ? s.net_delta_per_resident_usd : 0 };
    });
    let lo = 0;
    let hi = 0;
    for (const v of values) for (const s of series) { lo = Math.min(lo, v[s.key]); hi = Math.max(hi, v[s.key]); }
    if (lo === hi) hi = 1;
    const pad = 64;
    const x0 = left + (lo < 0 ? pad : 0);
    const x1 = right - (hi > 0 ? pad : 0);
    const sx = (v) => x0 + (v - lo) / (hi - lo) * (x1 - x0);
    const H = top + shown.length * rowH + 8 + series.length * 16;
    root.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    root.setAttribute('height', String(H));
    const zero = sx(0);
    shown.forEach((x, k) => {
      const y = top + k * rowH;
      const name = svg('text', { x: left, y: y + 11, class: 'chart-name' }, root);
      name.textContent = x.b.name;
      series.forEach((s, j) => {
        const v = values[k][s.key];
        const by = y + 17 + j * 17;
        const xa = Math.min(sx(v), zero);
        const w = Math.max(Math.abs(sx(v) - zero), v === 0 ? 0 : 1);
        const bar = svg('rect', { x: xa, y: by, width: w, height: 13, rx: 2, class: 'bar bar-' + s.key }, root);
        if (s.key === 'base') bar.style.fill = x.b.color;
        const t = svg('text', {
          x: v < 0 ? xa - 4 : xa + w + 4, y: by + 10.5,
          class: 'chart-value', 'text-anchor': v < 0 ? 'end' : 'start',
        }, root);
        t.textContent = fmtD(v, true);
      });
    });
    svg('line', { x1: zero, x2: zero, y1: top, y2: top + shown.length * rowH, class: 'axis' }, root);
    // key
    series.forEach((s, j) => {
      const ky = top + shown.length * rowH + 12 + j * 16;
      const r = svg('rect', { x: left, y: ky - 8, width: 12, height: 10, rx: 2, class: 'bar bar-' + s.key }, root);
      if (s.key === 'base') r.classList.add('key-base');
      const t = svg('text', { x: left + 18, y: ky + 1, class: 'chart-key' }, root);
      t.textContent = s.label + ', $ per resident' + (s.key === 'base' ? ' (bars in the bloc colour)' : '');
    });
    root.setAttribute('aria-label', 'Bar chart, dollars per resident: ' + shown.map((x, k) =>
      x.b.name + ' baseline ' + fmtD(values[k].base, true) +
      (result ? ', scenario change ' + fmtD(values[k].delta, true) : '')).join('; '));
  }

  function renderBudget() {
    const tbody = $('federal-budget').tBodies[0];
    tbody.textContent = '';
    const fb = result ? result.federal_budget : null;
    const rows = [
      ['receipts', 'Receipts', 'receipts_before_usd', 'receipts_after_usd'],
      ['outlays', 'Outlays', 'outlays_before_usd', 'outlays_after_usd'],
      ['deficit', 'Deficit', 'deficit_before_usd', 'deficit_after_usd'],
    ];
    for (const [field, label, before, after] of rows) {
      const tr = document.createElement('tr');
      tr.dataset.field = field;
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = label;
      tr.appendChild(th);
      const vals = fb ? [fb[before], fb[after], fb[after] - fb[before]] : [null, null, null];
      vals.forEach((v, j) => {
        const td = document.createElement('td');
        td.className = 'num';
        td.textContent = j === 2 ? fmtB(v, true) : fmtB(v);
        if (v != null) td.dataset.value = String(v);
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    }
    if (fb && fb.spending_cut_usd) {
      const tr = document.createElement('tr');
      tr.dataset.field = 'spending-cut';
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = 'Other spending cut';
      const td = document.createElement('td');
      td.colSpan = 3;
      td.className = 'num';
      td.textContent = fmtB(fb.spending_cut_usd);
      tr.append(th, td);
      tbody.appendChild(tr);
    }
  }

  function announce() {
    let text;
    const base = baseline();
    if (!result) {
      text = scenarioNote || 'No scenario.';
    } else {
      const i = S.policy;
      const b = S.blocs[i];
      const s = b ? scenarioBloc(b.name) : null;
      const parts = [];
      if (s) {
        parts.push(b.name + ': ' + base[i].states.length + ' states, ' + fmtInt(s.population) +
          ' residents; net change ' + fmtB(s.net_delta_usd, true) + ' (' +
          fmtD(s.net_delta_per_resident_usd, true) + ' per resident).');
      }
      parts.push('Federal deficit ' + fmtB(result.federal_budget.deficit_before_usd) + ' before, ' +
        fmtB(result.federal_budget.deficit_after_usd) + ' after.');
      text = parts.join(' ');
    }
    if ($('status').textContent !== text) $('status').textContent = text;
  }

  // ---------------------------------------------------------------- downloads

  function csvField(v) {
    if (v == null) return '';
    const t = typeof v === 'string' ? v : String(v);
    return /[",\n\r]/.test(t) ? '"' + t.replace(/"/g, '""') + '"' : t;
  }

  function buildCsv() {
    const base = baseline();
    const header = ['bloc', 'states', 'population', 'gdp_usd', 'baseline_receipts_usd', 'baseline_spending_usd',
      'baseline_net_usd', 'baseline_net_per_capita_usd'];
    const scen = ['federal_taxes_delta_usd', 'federal_income_tax_delta_usd', 'federal_spending_delta_usd',
      'state_taxes_delta_usd', 'state_spending_delta_usd', 'net_delta_usd', 'net_delta_per_resident_usd',
      'dollars_kept_per_dollar_lost'];
    const votes = ['votes_dem', 'votes_rep', 'votes_other', 'votes_total', 'stranded_voters',
      'state_stranded_voters', 'contiguous', 'exclaves'];
    const part = ['revenue_usd', 'located_spending_usd', 'public_goods_usd', 'primary_balance_usd', 'debt_usd',
      'interest_usd', 'overall_balance_usd', 'debt_to_gdp', 'tax_change_to_balance'];
    const cols = header.concat(result ? scen.concat(votes) : [], result && result.partition ? part : []);
    const lines = [cols.join(',')];
    S.blocs.forEach((b, i) => {
      const x = base[i];
      if (!x.states.length) return;
      const s = scenarioBloc(b.name);
      const r = partitionRow(b.name);
      const row = [b.name, x.states.join(' '), s ? s.population : x.population, s ? s.gdp_usd : x.gdp,
        x.receipts, x.spending, x.net, x.perCapita];
      if (result) {
        for (const k of scen) row.push(s ? s[k] : null);
        row.push(s ? s.votes.dem : null, s ? s.votes.rep : null, s ? s.votes.other : null, s ? s.votes.total : null,
          s ? s.stranded_voters : null, s ? s.state_stranded_voters : null, s ? s.contiguous : null,
          s ? s.exclaves.join(' ') : null);
      }
      if (result && result.partition) for (const k of part) row.push(r ? r[k] : null);
      lines.push(row.map(csvField).join(','));
    });
    return lines.join('\n') + '\n';
  }

  function download(name, type, text) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  function downloadCsv() { download('fedsplit-blocs.csv', 'text/csv', buildCsv()); }
  function downloadJson() { if (resultText) download('fedsplit-scenario.json', 'application/json', resultText); }

  async function copyLink() {
    const btn = $('copy-link');
    try {
      await navigator.clipboard.writeText(location.href);
      btn.textContent = 'Link copied';
    } catch (e) {
      btn.textContent = 'Copy the address bar';
    }
    setTimeout(() => { btn.textContent = 'Copy link'; }, 2000);
  }

  // --------------------------------------------------------------------- init

  async function init() {
    setBusy(true);
    bindControls();
    try {
      const [health, map] = await Promise.all([getJson('/api/health'), getJson('/api/map')]);
      $('dataset-meta').textContent = 'FY2022 data · fedsplit ' + health.body.version + ' · dataset ' +
        String(health.body.dataset_sha256).slice(0, 12);
      $('dataset-meta').title = 'dataset sha256 ' + health.body.dataset_sha256;
      buildMap(map.body);
    } catch (e) {
      showError('Could not load the map: ' + e.message);
      setBusy(false);
      return;
    }
    S = fromQuery(location.search);
    syncControls();
    renderBlocList();
    changed(false);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
