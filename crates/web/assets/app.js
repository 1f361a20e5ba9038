// fedsplit web page: the report's answer in one sentence, a map of the
// states with blocs drawn by clicking, and the scenario's figures from the
// JSON API (the same numbers as the CLI's --format json). Plain script, no
// dependencies; the page's whole state lives in the query string so that a
// link reproduces it.
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
  // Conventional colours, used only for blocs named after an election's winners.
  const ELECTION_COLOURS = { Democratic: '#3f6fb5', Republican: '#c8473d', Swing: '#9a8fb8' };
  const CHANNELS = ['grants', 'medicaid', 'snap', 'other-payments'];
  const CHANNEL_WORDS = { grants: 'grants', medicaid: 'Medicaid', snap: 'SNAP', 'other-payments': 'other payments' };
  const INSTRUMENTS = ['agi-flat', 'state-income-tax', 'sales-tax'];
  const INSTRUMENT_WORDS = {
    'agi-flat': 'a flat tax on AGI', 'state-income-tax': 'their income taxes, scaled', 'sales-tax': 'their sales taxes, scaled',
  };
  // The elections the API takes for vote statistics (`blocs.votes`); no endpoint lists them.
  const VOTE_YEARS = [2016, 2020, 2024];
  // Diverging scale (brown–teal), negative to positive, centred on 0.
  const DIVERGING = ['#8c510a', '#d8b365', '#f6e8c3', '#f2f2ee', '#c7eae5', '#5ab4ac', '#01665e'];

  // The assumptions in the words of the report's sentence, shortened for headings.
  const METHOD_WORDS = { flow: 'flow method', benefit: 'benefit method' };
  const DEFICIT_WORDS = {
    none: 'deficit not charged',
    'per-capita': 'located gap charged per resident',
    'full-per-capita': 'whole deficit charged per resident',
    'scale-spending': 'spending scaled down to receipts',
    'scale-receipts': 'located gap charged in proportion to receipts',
  };
  // The other ledger options, named in headings only when they are not the default.
  const OPTION_WORDS = {
    interest: { exclude: 'net interest left out', income: 'net interest by income', 'per-capita': 'net interest per resident' },
    residual: { exclude: 'residual left out', 'per-capita': 'residual per resident' },
    corporate: { headquarters: 'corporate tax by headquarters', gdp: 'corporate tax by GDP' },
    procurement: { population: 'procurement by population', gdp: 'procurement by GDP' },
  };
  // The API's parameter for each ledger option the page keeps.
  const LEDGER_PARAMS = {
    method: 'method', deficit: 'deficit', interest: 'interest', residual: 'residual',
    corporate: 'corporate_key', procurement: 'procurement_key',
  };

  // Short definitions, shown by the "?" buttons next to the terms.
  const DEFINITIONS = {
    net: 'Net = federal spending received in the state (or bloc) minus the federal taxes its residents pay. ' +
      'Positive: it receives more than it pays in; negative: it pays in more than it receives.',
    stranded: 'Stranded voters: voters whose presidential choice lost in their bloc, that is, everyone in the bloc ' +
      "who did not vote for the candidate who won the bloc's popular vote.",
    mandatory: "The mandatory programs' part of the net: Social Security, Medicare, Medicaid and CHIP, SNAP, other " +
      'payments to individuals and the mandatory part of grants, less the share of the taxes that pays for them.',
    gap: 'Located gap: federal spending placed in the states minus the federal taxes their residents pay.',
    estimates: 'Estimates: the county graph has no fiscal data of its own. Each county gets its state’s federal ' +
      'spending and taxes apportioned by population; populations and votes are the counties’ own. A bloc’s ' +
      'figures add up its counties.',
    contiguous: 'Contiguous: every part of the bloc can be reached from every other without crossing another bloc, ' +
      'moving between bordering units (states or counties). A bloc in 3 pieces is not contiguous.',
    ensemble: 'Ensemble: a large random sample of plans that split the same map into the same number of blocs, ' +
      'each bloc contiguous and of nearly equal population, drawn by a Markov chain (ReCom) that recombines two ' +
      'neighbouring blocs at each step. It shows what is usual for such plans; the plan on the page need not be ' +
      'contiguous or balanced itself.',
    percentile: 'Percentile: the share of the ensemble’s plans whose value is below this plan’s (ties count half). ' +
      'The 50th percentile is the middle; between the 25th and the 75th the plan is typical of the ensemble.',
    'better-off': 'Better off: returns in the AGI classes whose average return pays less in federal income tax ' +
      'plus replacement taxes than before. A class counts as a whole (class averages), so a share is of returns ' +
      'in classes that gain.',
    agi: 'AGI class: the IRS groups tax returns by adjusted gross income (AGI); figures are per return in each ' +
      'class, from the IRS Statistics of Income by state.',
  };

  // A bloc's policy as the page edits it; the page's defaults change nothing.
  const POLICY_DEFAULT = Object.freeze({
    scale: 1, withdraw: [], replace: 1, instrument: 'agi-flat', pooling: 'state', devolve: [], devolveInstrument: 'agi-flat',
  });
  // The scenario schema's defaults (`fedsplit scenario --schema`), for reading example files.
  const SCHEMA_BLUEXIT = Object.freeze({ scale: 1, withdraw: [], replace: 0, instrument: 'agi-flat', pooling: 'state' });
  // Each policy field in the URL: `p1=tax:0.5,withdraw:grants.medicaid`. The
  // income-tax scale takes the schema's range, wider than the slider's.
  const POLICY_FIELDS = [
    { key: 'scale', url: 'tax', kind: 'number', lo: 0, hi: 10 },
    { key: 'withdraw', url: 'withdraw', kind: 'channels' },
    { key: 'replace', url: 'replace', kind: 'number', lo: 0, hi: 1 },
    { key: 'instrument', url: 'instrument', kind: 'choice', choices: INSTRUMENTS },
    { key: 'pooling', url: 'pooling', kind: 'choice', choices: ['state', 'bloc'] },
    { key: 'devolve', url: 'devolve', kind: 'channels' },
    { key: 'devolveInstrument', url: 'devolve-tax', kind: 'choice', choices: INSTRUMENTS },
  ];

  const DEFAULTS = Object.freeze({
    mode: 'blocs',
    method: 'flow',
    deficit: 'none',
    interest: '',
    residual: '',
    corporate: 'capital',
    procurement: 'federal-gdp',
    response: 'deficit',
    debt: 'population',
    goods: 'population',
  });
  const CHOICES = {
    mode: ['blocs', 'net', 'scenario'],
    method: ['flow', 'benefit'],
    deficit: ['none', 'per-capita', 'full-per-capita', 'scale-spending', 'scale-receipts'],
    interest: ['', 'exclude', 'income', 'per-capita'],
    residual: ['', 'exclude', 'per-capita'],
    corporate: ['capital', 'headquarters', 'gdp'],
    procurement: ['federal-gdp', 'population', 'gdp'],
    response: ['deficit', 'cut-spending'],
    debt: ['population', 'gdp', 'net-benefit'],
    goods: ['population', 'gdp'],
  };

  // -------------------------------------------------------------------- state

  const data = { years: [], defaultYear: 0, examples: [] };
  // The county graph leaves out these states (GET /api/map?level=counties).
  const OFF_COUNTY_GRAPH = ['AK', 'HI'];
  // The metrics of an ensemble drawn as percentile bars, in this order.
  const ENSEMBLE_BARS = ['stranded_total', 'max_net_per_capita', 'min_net_per_capita'];

  /** The page's state: everything the URL carries. */
  let S = null;

  const geo = {
    states: [], byPostal: new Map(), byFips: new Map(), paths: new Map(), labels: new Map(), callouts: new Map(), taps: new Map(),
    segments: [], neighbours: new Map(),
  };
  // The county view, loaded the first time it is opened (GET /api/map?level=counties, 650 KB).
  const counties = {
    loaded: false, loading: null, units: [], byFips: new Map(), paths: new Map(), buttons: new Map(),
    segments: [], neighbours: new Map(), regions: [], note: '', current: '',
  };
  const cache = new Map();  // GET url -> promise of its JSON body
  let ledger = null;        // the /api/ledger answer for the current options
  let report = null;        // the /api/report answer for the current options
  let series = null;        // the /api/series?by=state answer for the current options
  let result = null;        // the last /api/scenario?by=income answer
  let resultText = '';      // its bytes, for the JSON download
  let resultKey = '';       // the request body that produced it
  let scenarioNote = '';    // why there is no scenario, when there is none
  let countyPlan = null;    // the last /api/scenario?graph=counties answer
  let countyKey = '';       // the request body that produced it (or countyError)
  let countyError = '';     // the API's refusal of that body
  let lastMoved = '';       // the unit moved last, for the status line
  let timer = 0;
  let seq = 0;
  let inflight = null;
  let hovered = null;
  let current = '';         // the state that takes the map's one tab stop
  const openDefs = new Set();

  const $ = (id) => document.getElementById(id);

  function defaultState() {
    return {
      blocs: DEFAULT_BLOC_NAMES.map((name, i) => ({ name, color: PALETTE[i] })),
      assign: {},
      policies: {},
      edit: 1,
      year: data.defaultYear,
      votes: 2024,
      partition: false,
      series: '',
      preset: '',
      edited: false,
      view: 'states',
      counties: {},
      incomeBloc: -1,
      incomeState: '',
      ensemble: false,
      ...DEFAULTS,
    };
  }

  const blocOf = (postal) => S.assign[postal] || 0;
  const statesIn = (i) => geo.states.filter((s) => blocOf(s.postal) === i).map((s) => s.postal);

  function clonePolicy(p) {
    return { ...p, withdraw: p.withdraw.slice(), devolve: p.devolve.slice() };
  }
  function samePolicy(a, b) {
    return POLICY_FIELDS.every((f) => String(a[f.key]) === String(b[f.key]));
  }
  /** A policy that changes nothing (what a bloc has when it has none). */
  function inert(p) {
    return p.scale === 1 && !p.withdraw.length && !p.devolve.length;
  }
  function policyOf(name) {
    return S.policies[name] || POLICY_DEFAULT;
  }

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
  /** "1 state", "3 states"; `nouns` for an irregular plural. */
  function plural(n, noun, nouns) {
    return fmtInt(n) + ' ' + (n === 1 ? noun : nouns || noun + 's');
  }
  /** "a", "a and b", "a, b and c". */
  function listJoin(items) {
    if (items.length < 2) return items.join('');
    return items.slice(0, -1).join(', ') + ' and ' + items[items.length - 1];
  }
  const stateName = (postal) => (geo.byPostal.get(postal) || { name: postal }).name;

  // ---------------------------------------------------------- the assumptions

  /** The assumptions in a few words, for every heading and legend: "FY2024, flow method, deficit not charged". */
  function assumptionText(withYear) {
    const parts = withYear === false ? [] : ['FY' + S.year];
    parts.push(METHOD_WORDS[S.method], DEFICIT_WORDS[S.deficit]);
    for (const key of Object.keys(OPTION_WORDS)) {
      const words = OPTION_WORDS[key][S[key]];
      if (words) parts.push(words);
    }
    return parts.join(', ');
  }

  /** The ledger options as query parameters; `year` adds the fiscal year. */
  function ledgerQuery(year) {
    const parts = [];
    for (const key of Object.keys(LEDGER_PARAMS)) {
      if (key === 'method' || key === 'deficit' || S[key] !== DEFAULTS[key]) parts.push(LEDGER_PARAMS[key] + '=' + S[key]);
    }
    if (year) parts.push('year=' + S.year);
    return parts.join('&');
  }

  /** Federal receipts include the deficit charged back under most treatments: say so. */
  function receiptsWords(who) {
    const charged = S.deficit !== 'none' && S.deficit !== 'scale-spending';
    return 'Federal taxes paid' + (who || '') + (charged ? ', plus the deficit charged' : '');
  }
  function spendingWords(where) {
    return 'Federal spending' + (where || '') + (S.deficit === 'scale-spending' ? ', scaled down to receipts' : '');
  }

  // ----------------------------------------------------------------- URL state

  function hex(c) { return /^#[0-9a-f]{6}$/i.test(c) ? c.toLowerCase() : null; }

  function policyToText(p) {
    const parts = [];
    for (const f of POLICY_FIELDS) {
      const v = p[f.key];
      if (String(v) === String(POLICY_DEFAULT[f.key])) continue;
      parts.push(f.url + ':' + (f.kind === 'channels' ? v.join('.') : v));
    }
    return parts.join(',');
  }

  function policyFromText(text) {
    const p = clonePolicy(POLICY_DEFAULT);
    for (const item of text.split(',')) {
      const colon = item.indexOf(':');
      const f = POLICY_FIELDS.find((x) => x.url === item.slice(0, colon));
      if (!f) continue;
      const v = item.slice(colon + 1);
      if (f.kind === 'number') {
        const n = number(v, f.lo, f.hi);
        if (n != null) p[f.key] = n;
      } else if (f.kind === 'channels') {
        p[f.key] = CHANNELS.filter((c) => v.split('.').includes(c));
      } else if (f.choices.includes(v)) {
        p[f.key] = v;
      }
    }
    p.devolve = p.devolve.filter((c) => !p.withdraw.includes(c));
    return p;
  }

  function toQuery() {
    const parts = ['year=' + S.year];
    const defaultBlocs = S.blocs.length === DEFAULT_BLOC_NAMES.length &&
      S.blocs.every((b, i) => b.name === DEFAULT_BLOC_NAMES[i] && b.color === PALETTE[i]);
    if (!defaultBlocs) {
      parts.push('k=' + S.blocs.map((b) => encodeURIComponent(b.name) + ':' + b.color.slice(1)).join(','));
    }
    const assigned = geo.states.filter((s) => blocOf(s.postal) > 0)
      .map((s) => s.postal + ':' + blocOf(s.postal));
    if (assigned.length) parts.push('b=' + assigned.join(','));
    for (const key of Object.keys(DEFAULTS)) if (S[key] !== DEFAULTS[key]) parts.push(key + '=' + S[key]);
    S.blocs.forEach((b, i) => {
      const p = S.policies[b.name];
      if (p) parts.push('p' + i + '=' + policyToText(p));
    });
    if (S.edit !== 1) parts.push('edit=' + S.edit);
    if (S.votes !== 2024) parts.push('votes=' + S.votes);
    if (S.partition) parts.push('partition=1');
    if (S.series) parts.push('series=' + S.series);
    if (S.preset) parts.push('preset=' + S.preset + (S.edited ? '&edited=1' : ''));
    if (S.view === 'counties') parts.push('view=counties');
    const moves = Object.keys(S.counties).sort().map((f) => f + ':' + S.counties[f]);
    if (moves.length) parts.push('c=' + moves.join(','));
    if (S.incomeBloc >= 0) parts.push('ib=' + S.incomeBloc);
    if (S.incomeState) parts.push('is=' + S.incomeState);
    if (S.ensemble) parts.push('ensemble=1');
    return parts.join('&');
  }

  function safeDecode(text) {
    try { return decodeURIComponent(text); } catch (e) { return null; }
  }

  /** A number in [lo, hi] from text, to four decimals; null otherwise. */
  function number(text, lo, hi) {
    const v = Number(text);
    if (text === '' || !Number.isFinite(v) || v < lo || v > hi) return null;
    return Math.round(v * 1e4) / 1e4;
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
    const year = Number(params.get('year'));
    if (data.years.includes(year)) st.year = year;
    const votes = Number(params.get('votes'));
    if (VOTE_YEARS.includes(votes)) st.votes = votes;
    st.blocs.forEach((b, i) => {
      const text = params.has('p' + i) ? safeDecode(params.get('p' + i)) : null;
      const p = text == null ? null : policyFromText(text);
      if (p && !samePolicy(p, POLICY_DEFAULT)) st.policies[b.name] = p;
    });
    // Links from before policies per bloc: one policy, on bloc `policy`.
    const legacy = ['scale', 'withdraw', 'replace', 'instrument', 'pooling'].filter((k) => params.has(k));
    const legacyBloc = params.has('policy') ? Number(params.get('policy')) : 1;
    if (legacy.length && Number.isInteger(legacyBloc) && st.blocs[legacyBloc]) {
      const text = legacy.map((k) => (k === 'scale' ? 'tax' : k) + ':' + params.get(k)).join(',');
      st.policies[st.blocs[legacyBloc].name] = policyFromText(text);
    }
    const edit = Number(params.has('edit') ? params.get('edit') : params.get('policy'));
    if (Number.isInteger(edit) && edit >= 0 && edit < st.blocs.length) st.edit = edit;
    st.edit = Math.min(st.edit, st.blocs.length - 1);
    st.partition = params.get('partition') === '1';
    const seriesOf = params.get('series') || '';
    if (/^b\d$/.test(seriesOf) || geo.byPostal.has(seriesOf)) st.series = seriesOf;
    const preset = params.get('preset') || '';
    if (presetKnown(preset)) {
      st.preset = preset;
      st.edited = params.get('edited') === '1';
    }
    st.view = params.get('view') === 'counties' ? 'counties' : 'states';
    // County moves: FIPS:bloc. FIPS codes are checked once the county map is loaded.
    if (params.has('c')) {
      for (const item of params.get('c').split(',')) {
        const m = /^(\d{5}):(\d{1,2})$/.exec(item);
        if (!m) continue;
        const idx = Number(m[2]);
        if (idx >= MAX_BLOCS) continue;
        while (st.blocs.length <= idx) st.blocs.push(newBloc(st.blocs));
        // A move into the county's own state's bloc is no move.
        if ((st.assign[stateOfFips(m[1])] || 0) !== idx) st.counties[m[1]] = idx;
      }
    }
    const ib = Number(params.get('ib'));
    if (params.has('ib') && Number.isInteger(ib) && ib >= 0 && ib < st.blocs.length) st.incomeBloc = ib;
    const is = params.get('is') || '';
    if (geo.byPostal.has(is)) st.incomeState = is;
    st.ensemble = params.get('ensemble') === '1';
    return st;
  }

  let lastKind = '';
  let lastPush = 0;
  /** Records the state in the URL: a new history entry, except that a quick
   * run of changes to one control (dragging a slider, typing a name) shares one. */
  function pushUrl(kind) {
    const q = toQuery();
    if (location.search === '?' + q) return;
    const now = Date.now();
    const merge = kind && kind !== 'other' && kind === lastKind && now - lastPush < 1500;
    if (merge) history.replaceState(null, '', '?' + q);
    else history.pushState(null, '', '?' + q);
    lastKind = kind || '';
    lastPush = now;
  }

  let urlTimer = 0;
  function scheduleUrlOnly(kind) {
    clearTimeout(urlTimer);
    urlTimer = setTimeout(() => pushUrl(kind), DEBOUNCE_MS);
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

  /** A GET answer, fetched once per URL (the answers depend only on the URL). */
  function cachedJson(url) {
    let p = cache.get(url);
    if (!p) {
      p = getJson(url).then((r) => r.body);
      cache.set(url, p);
      p.catch(() => cache.delete(url));
    }
    return p;
  }

  const isAbort = (e) => e && e.name === 'AbortError';

  /** The scenario the page describes, as the JSON body of POST /api/scenario. */
  function scenarioBody() {
    const assignment = {};
    for (const s of geo.states) assignment[s.postal] = S.blocs[blocOf(s.postal)].name;
    const body = {
      name: S.preset.startsWith('example-') && !S.edited ? S.preset.slice('example-'.length) : 'map',
      year: S.year,
      ledger: {},
      blocs: { assignment, votes: S.votes },
    };
    for (const key of Object.keys(LEDGER_PARAMS)) {
      if (key === 'method' || key === 'deficit' || S[key] !== DEFAULTS[key]) body.ledger[LEDGER_PARAMS[key]] = S[key];
    }
    // Per-bloc overrides only for blocs that have states (the API refuses a name it does not know).
    const bluexit = {};
    const devolution = {};
    S.blocs.forEach((b, i) => {
      const p = S.policies[b.name];
      if (!p || !statesIn(i).length) return;
      if (p.scale !== 1 || p.withdraw.length) {
        bluexit[b.name] = {
          income_tax_scale: p.scale, withdraw: p.withdraw.slice(), replace_share: p.replace,
          instrument: p.instrument, pooling: p.pooling,
        };
      }
      if (p.devolve.length) devolution[b.name] = { programs: p.devolve.slice(), instrument: p.devolveInstrument };
    });
    const hasDevolution = Object.keys(devolution).length > 0;
    // A scenario needs one policy: with none set, an empty bluexit gives the blocs' figures and no change.
    if (Object.keys(bluexit).length || (!hasDevolution && !S.partition)) {
      body.bluexit = { federal_response: S.response };
      if (Object.keys(bluexit).length) body.bluexit.bloc = bluexit;
    }
    if (hasDevolution) body.devolution = { bloc: devolution };
    if (S.partition) body.partition = { public_goods_key: S.goods, debt_key: S.debt };
    return body;
  }

  function nonEmptyBlocs() {
    return S.blocs.filter((_, i) => statesIn(i).length > 0).length;
  }

  /** The scenario with the county moves, for the county graph (the state
   * ledger ignores them, so the state answer is asked without). */
  function countyBody() {
    const body = scenarioBody();
    const moves = {};
    for (const f of Object.keys(S.counties).sort()) moves[f] = S.blocs[S.counties[f]].name;
    if (Object.keys(moves).length) body.blocs.counties = moves;
    return body;
  }

  /** The body for the shipped ensembles: their year (none sent), county moves on the county graph only. */
  function ensembleBody(graph) {
    const body = graph === 'counties' ? countyBody() : scenarioBody();
    delete body.year;
    return body;
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

  /** The blocs or policies changed: a loaded preset is no longer as shipped. */
  function edited() {
    if (S.preset) S.edited = true;
  }

  async function recompute(kind) {
    if (kind !== false) pushUrl(kind || 'other');
    const my = ++seq;
    if (inflight) { inflight.abort(); inflight = null; }
    showError('');
    try {
      const [l, r, s] = await Promise.all([
        cachedJson('/api/ledger?' + ledgerQuery(true)),
        cachedJson('/api/report?' + ledgerQuery(true)),
        cachedJson('/api/series?by=state&' + ledgerQuery(false)),
      ]);
      if (my !== seq) return;
      const fresh = l !== ledger;
      ledger = l; report = r; series = s;
      renderAnswer();
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
          const { body: answer, text } = await getJson('/api/scenario?by=income', {
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
      if (S.view === 'counties') {
        await loadCounties();
        if (my !== seq) return;
        await fetchCountyPlan(my);
        if (my !== seq) return;
      }
      paintMap();
      renderPanel();
      announce();
      setBusy(false);
      refreshEnsemble();
    } catch (e) {
      if (isAbort(e) || my !== seq) return;
      result = null; resultText = ''; resultKey = '';
      scenarioNote = '';
      paintMap();
      renderPanel();
      showError(e.field ? e.field + ': ' + e.message : e.message);
      setBusy(false);
      refreshEnsemble();
    }
  }

  /** POST /api/scenario?graph=counties for the page's plan with its county
   * moves; its own error (e.g. a county the graph does not have) leaves the
   * state figures standing. */
  async function fetchCountyPlan(my) {
    // The API counts a plan's blocs by their states: with every state in one
    // bloc it refuses the plan, counties moved out or not.
    if (!counties.loaded || nonEmptyBlocs() < 2) {
      countyPlan = null; countyError = ''; countyKey = '';
      return;
    }
    const body = JSON.stringify(countyBody());
    if (body === countyKey && (countyPlan || countyError)) return;
    try {
      const { body: answer } = await getJson('/api/scenario?graph=counties', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body,
      });
      if (my !== seq) return;
      countyPlan = answer;
      countyError = '';
    } catch (e) {
      if (my !== seq) return;
      countyPlan = null;
      countyError = (e.field ? e.field + ': ' : '') + e.message;
    }
    countyKey = body;
  }

  function showError(message) {
    const el = $('error');
    el.textContent = message;
    el.hidden = !message;
  }

  function showNotice(text) {
    $('notice-text').textContent = text;
    $('notice').hidden = !text;
  }

  // -------------------------------------------------------------------- DOM

  function svg(tag, attrs, parent) {
    const el = document.createElementNS(SVG_NS, tag);
    for (const k in attrs) el.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(el);
    return el;
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  /** The header row of a table with one column per bloc ({ b: bloc } items). */
  function blocHeaderRow(blocs) {
    const hr = document.createElement('tr');
    const corner = el('th', 'corner');
    corner.scope = 'col';
    corner.appendChild(el('span', 'visually-hidden', 'Measure'));
    hr.appendChild(corner);
    for (const x of blocs) {
      const th = el('th', 'bloc-head', x.b.name);
      th.scope = 'col';
      th.dataset.bloc = x.b.name;
      th.style.boxShadow = 'inset 0 -4px 0 ' + x.b.color;
      hr.appendChild(th);
    }
    return hr;
  }

  /** A term with a "?" button that shows its definition inline (works by
   * keyboard and tap, unlike a hover title). `ctx` keeps it open across redraws. */
  function term(label, key, ctx) {
    const id = 'def-' + ctx;
    const wrap = el('span', 'term');
    wrap.appendChild(document.createTextNode(label));
    const btn = el('button', 'info', '?');
    btn.type = 'button';
    btn.setAttribute('aria-label', 'What “' + label + '” means');
    btn.setAttribute('aria-controls', id);
    const def = el('span', 'def', DEFINITIONS[key]);
    def.id = id;
    const open = openDefs.has(id);
    def.hidden = !open;
    btn.setAttribute('aria-expanded', String(open));
    btn.addEventListener('click', () => {
      const show = def.hidden;
      def.hidden = !show;
      btn.setAttribute('aria-expanded', String(show));
      if (show) openDefs.add(id); else openDefs.delete(id);
    });
    wrap.append(btn, def);
    return wrap;
  }

  // ---------------------------------------------------------------------- map

  /** The outline of a path as rings of [x, y] in integer tenths, so that the
   * vertices of a border two states share compare exactly (the map is drawn
   * at 0.1 precision). */
  function rings(d) {
    const out = [];
    let ring = null;
    let x = 0;
    let y = 0;
    const re = /([MmLlHhVvZz])([^MmLlHhVvZz]*)/g;
    let m;
    while ((m = re.exec(d))) {
      const cmd = m[1];
      const n = (m[2].match(/-?\d*\.?\d+(?:e[-+]?\d+)?/gi) || []).map((t) => Math.round(Number(t) * 10));
      const rel = cmd === cmd.toLowerCase();
      const up = cmd.toUpperCase();
      if (up === 'Z') {
        // Closing returns to the ring's first point.
        if (ring) [x, y] = ring[0];
        ring = null;
        continue;
      }
      if (up === 'H' || up === 'V') {
        for (const v of n) {
          if (up === 'H') x = rel ? x + v : v; else y = rel ? y + v : v;
          if (ring) ring.push([x, y]);
        }
        continue;
      }
      for (let i = 0; i + 1 < n.length; i += 2) {
        x = rel ? x + n[i] : n[i];
        y = rel ? y + n[i + 1] : n[i + 1];
        if (up === 'M' && i === 0) { ring = [[x, y]]; out.push(ring); } else if (ring) ring.push([x, y]);
      }
    }
    return out;
  }

  /** Every border segment, with the one or two states it bounds; and each state's neighbours. */
  function buildSegments() {
    const byKey = new Map();
    for (const s of geo.states) {
      for (const r of rings(s.d)) {
        for (let i = 0; i < r.length; i++) {
          const a = r[i];
          const b = r[(i + 1) % r.length];
          if (a[0] === b[0] && a[1] === b[1]) continue;
          const [p, q] = a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]) ? [a, b] : [b, a];
          const key = p.join(',') + ',' + q.join(',');
          const seg = byKey.get(key);
          if (seg) { if (seg.a !== s.postal) seg.b = s.postal; } else byKey.set(key, { a: s.postal, b: null, p, q });
        }
      }
    }
    geo.segments = Array.from(byKey.values());
    for (const s of geo.states) geo.neighbours.set(s.postal, new Set());
    for (const seg of geo.segments) {
      if (!seg.b) continue;
      geo.neighbours.get(seg.a).add(seg.b);
      geo.neighbours.get(seg.b).add(seg.a);
    }
  }

  function buildMap(map) {
    const root = $('map');
    root.setAttribute('viewBox', '0 0 ' + map.width + ' ' + map.height);
    root.textContent = '';
    geo.states = map.states.slice();
    for (const s of geo.states) { geo.byPostal.set(s.postal, s); geo.byFips.set(s.fips, s); }
    buildSegments();
    const defs = svg('defs', {}, root);
    const shapes = svg('g', { class: 'states' }, root);
    // Bloc outlines over any colouring: a band in the bloc's colour inside
    // its edge (the stroke clipped to the bloc), and a dark line between blocs.
    svg('g', { id: 'bloc-clips' }, defs);
    svg('g', { id: 'bloc-bands', class: 'bloc-bands', 'aria-hidden': 'true' }, root);
    svg('path', { id: 'bloc-borders', class: 'bloc-borders', d: '', 'aria-hidden': 'true' }, root);
    const labels = svg('g', { class: 'labels', 'aria-hidden': 'true' }, root);
    for (const s of geo.states) {
      const p = svg('path', {
        d: s.d, id: 'state-' + s.postal, 'data-state': s.postal, role: 'button', tabindex: '-1', class: 'state',
      }, shapes);
      geo.paths.set(s.postal, p);
      p.addEventListener('click', () => cycle(s.postal));
      p.addEventListener('keydown', (ev) => stateKey(s.postal, ev));
      p.addEventListener('pointerenter', (ev) => { hover(s.postal, ev); });
      p.addEventListener('pointermove', (ev) => { placeTooltip(ev.clientX, ev.clientY); });
      p.addEventListener('pointerleave', () => { unhover(s.postal); });
      p.addEventListener('focus', () => { setCurrent(s.postal); hover(s.postal, null); });
      p.addEventListener('blur', () => { unhover(s.postal); });
    }
    setCurrent(geo.states[0].postal);
    // Labels only where the state is large enough to hold one.
    for (const s of geo.states) {
      const box = geo.paths.get(s.postal).getBBox();
      if (box.width < 26 || box.height < 16) continue;
      const t = svg('text', { x: s.label_x, y: s.label_y, class: 'label' }, labels);
      t.textContent = s.postal;
      geo.labels.set(s.postal, t);
    }
    // States too small for a label get a labelled box off the coast that
    // also takes clicks. The path stays the accessible control on the map;
    // the box is a pointer shortcut.
    const callouts = svg('g', { class: 'callouts', 'aria-hidden': 'true' }, root);
    svg('path', { id: 'focus-ring', class: 'focus-ring', d: '' }, root);
    const byLatitude = (a, b) => a.label_y - b.label_y;
    const small = geo.states.filter((s) => !geo.labels.has(s.postal)).sort(byLatitude);
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
    // States whose shorter side is under 45 map units (under 18 px on a
    // phone) also get a button below the map, large enough to tap.
    const tapList = $('tap-list');
    const tiny = geo.states.filter((s) => {
      const box = geo.paths.get(s.postal).getBBox();
      return Math.min(box.width, box.height) < 45;
    }).sort(byLatitude);
    for (const s of tiny) {
      const b = el('button', 'tap-state');
      b.type = 'button';
      b.dataset.tapState = s.postal;
      const sw = el('span', 'swatch');
      sw.setAttribute('aria-hidden', 'true');
      b.append(sw, document.createTextNode(s.postal));
      b.addEventListener('click', () => cycle(s.postal));
      b.addEventListener('focus', () => { hover(s.postal, null); });
      b.addEventListener('blur', () => { unhover(s.postal); });
      tapList.appendChild(b);
      geo.taps.set(s.postal, { button: b, swatch: sw });
    }
    const byName = geo.states.slice().sort((a, b) => a.name.localeCompare(b.name));
    for (const s of byName) {
      const o = document.createElement('option');
      o.value = s.postal;
      o.textContent = s.name;
      $('details-state').appendChild(o);
    }
  }

  /** The map has one tab stop, on `postal`; arrows move it (roving tabindex). */
  function setCurrent(postal) {
    if (current === postal) return;
    if (current) geo.paths.get(current).setAttribute('tabindex', '-1');
    current = postal;
    geo.paths.get(postal).setAttribute('tabindex', '0');
  }

  const DIRECTIONS = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

  /** Where an arrow key leads from unit `from` ({x, y}): among `candidates`
   * (codes; `at(code)` gives a unit's {x, y} or null to skip it), the one
   * that way within the cone (sideways offset ≤ cone × distance along),
   * scored by distance plus twice the sideways offset. */
  function toward(from, key, candidates, at, cone) {
    const [ux, uy] = DIRECTIONS[key];
    let best = null;
    let bestScore = Infinity;
    for (const code of candidates) {
      const u = at(code);
      if (!u || u === from) continue;
      const dx = u.x - from.x;
      const dy = u.y - from.y;
      const along = dx * ux + dy * uy;
      const across = Math.abs(dx * uy - dy * ux);
      if (along <= 0 || across > along * cone) continue;
      const score = Math.hypot(dx, dy) + 2 * across;
      if (score < bestScore) { bestScore = score; best = code; }
    }
    return best;
  }

  /** The state an arrow key leads to: the bordering state that way (within
   * about 56° of the arrow), else the nearest state that way on the map
   * (within 45°), from label position to label position. None: stay. */
  function stateToward(postal, key) {
    const at = (code) => {
      const s = geo.byPostal.get(code);
      return s && { x: s.label_x, y: s.label_y, code };
    };
    const from = at(postal);
    const others = (codes) => [...codes].filter((c) => c !== postal);
    return toward(from, key, others(geo.neighbours.get(postal) || []), at, 1.5)
      || toward(from, key, others(geo.byPostal.keys()), at, 1);
  }

  function stateKey(postal, ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    if (ev.key === 'Enter' || ev.key === ' ' || ev.key === 'Spacebar') {
      ev.preventDefault();
      cycle(postal);
    } else if (ev.key === 'd' || ev.key === 'D') {
      ev.preventDefault();
      selectState(postal, true);
    } else if (DIRECTIONS[ev.key]) {
      ev.preventDefault();
      const next = stateToward(postal, ev.key);
      if (next) geo.paths.get(next).focus();
    }
  }

  function cycle(postal) {
    const next = (blocOf(postal) + 1) % S.blocs.length;
    if (next === 0) delete S.assign[postal]; else S.assign[postal] = next;
    edited();
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
  function domainOf(values) {
    const mags = values.map(Math.abs).sort((a, b) => b - a);
    if (!mags.length) return 1;
    return niceCeil(mags.length > 1 ? mags[1] : mags[0]);
  }

  function ledgerRow(postal) {
    return ledger ? ledger.states.find((s) => s.state === postal) : null;
  }
  function scenarioState(postal) {
    return result ? result.states.find((s) => s.state === postal) || null : null;
  }

  /** The value each state is coloured by in the current mode, or null (blocs, or no data yet). */
  function choropleth() {
    if (S.mode === 'net' && ledger) {
      return { values: new Map(ledger.states.map((r) => [r.state, r.net_per_capita_usd])) };
    }
    if (S.mode === 'scenario' && result) {
      return { values: new Map(result.states.map((r) => [r.state, r.net_delta_per_resident_usd])) };
    }
    return null;
  }

  function paintMap() {
    const chart = choropleth();
    const domain = chart ? domainOf(Array.from(chart.values.values())) : 1;
    for (const s of geo.states) {
      const p = geo.paths.get(s.postal);
      const bloc = S.blocs[blocOf(s.postal)];
      let fill = bloc.color;
      if (S.mode !== 'blocs') {
        const v = chart ? chart.values.get(s.postal) : null;
        fill = v == null ? '#cccccc' : diverging(scaleT(v, domain));
        if (v == null) delete p.dataset.value; else p.dataset.value = String(v);
      } else {
        delete p.dataset.value;
      }
      p.style.fill = fill;
      p.setAttribute('aria-label', s.name + ': ' + bloc.name);
      p.dataset.bloc = String(blocOf(s.postal));
      const label = geo.labels.get(s.postal);
      const ink = luminance(fill) < 0.33 ? '#ffffff' : '#1d232b';
      if (label) label.style.fill = ink;
      const callout = geo.callouts.get(s.postal);
      if (callout) { callout.rect.style.fill = fill; callout.text.style.fill = ink; }
      const tap = geo.taps.get(s.postal);
      if (tap) {
        tap.swatch.style.background = fill;
        // The accessible name starts with the visible text (the postal code).
        tap.button.setAttribute('aria-label', s.postal + ' ' + s.name + ': ' + bloc.name);
        tap.button.style.borderColor = bloc.color;
      }
    }
    paintOutlines();
    paintCounties();
    renderLegend(chart, domain);
  }

  /** The bloc outlines: every border segment not inside one bloc. */
  function paintOutlines() {
    const seg = (g) => 'M' + g.p[0] / 10 + ' ' + g.p[1] / 10 + 'L' + g.q[0] / 10 + ' ' + g.q[1] / 10;
    const bands = S.blocs.map(() => []);
    const borders = [];
    for (const g of geo.segments) {
      const a = blocOf(g.a);
      const b = g.b ? blocOf(g.b) : -1;
      if (a === b) continue;
      const d = seg(g);
      bands[a].push(d);
      if (b >= 0) { bands[b].push(d); borders.push(d); }
    }
    $('bloc-borders').setAttribute('d', borders.join(''));
    const clips = $('bloc-clips');
    const group = $('bloc-bands');
    clips.textContent = '';
    group.textContent = '';
    S.blocs.forEach((b, i) => {
      const members = statesIn(i);
      if (!members.length) return;
      const clip = svg('clipPath', { id: 'bloc-clip-' + i }, clips);
      for (const p of members) svg('use', { href: '#state-' + p }, clip);
      const band = svg('path', { d: bands[i].join(''), 'clip-path': 'url(#bloc-clip-' + i + ')', class: 'bloc-band' }, group);
      band.style.stroke = b.color;
      band.dataset.bloc = b.name;
    });
  }

  function renderLegend(chart, domain) {
    const legend = $('legend');
    legend.textContent = '';
    if (S.mode !== 'blocs') {
      legend.className = 'legend net';
      const title = el('div', 'legend-title');
      if (S.mode === 'net') {
        title.append(term('Net', 'net', 'legend'), document.createTextNode(' per resident, ' + assumptionText()));
      } else {
        title.textContent = 'Scenario: change in net per resident, ' + assumptionText();
      }
      if (S.view === 'counties') title.appendChild(document.createTextNode(' (each county shows its state’s figure)'));
      legend.appendChild(title);
      if (!chart) {
        legend.appendChild(el('div', 'legend-empty', S.mode === 'scenario'
          ? 'No scenario yet: move a state into a second bloc.' : 'Loading…'));
      } else {
        const bar = el('div', 'legend-bar');
        bar.style.background = 'linear-gradient(to right, ' + DIVERGING.join(', ') + ')';
        legend.appendChild(bar);
        const ticks = el('div', 'legend-ticks');
        // ticks at the bar's quarters: the scale is a square root, so ±½ of the bar is ±¼ of the range
        for (const v of [-domain, -domain / 4, 0, domain / 4, domain]) {
          const bound = v === -domain ? '≤ ' : v === domain ? '≥ ' : '';
          ticks.appendChild(el('span', null, bound + (v === 0 ? '0' : fmtShortD(v))));
        }
        legend.appendChild(ticks);
        const ends = el('div', 'legend-ends');
        if (S.mode === 'net') {
          ends.append(el('span', null, 'residents pay in more than the state receives'),
            el('span', null, 'the state receives more than residents pay in'));
        } else {
          ends.append(el('span', null, 'the state loses under the scenario'), el('span', null, 'the state gains'));
        }
        legend.appendChild(ends);
      }
    } else {
      legend.className = 'legend blocs';
    }
    const blocs = el('div', 'legend-blocs');
    const onCounties = S.view === 'counties' && counties.loaded;
    const units = onCounties ? countyCounts() : null;
    S.blocs.forEach((b, i) => {
      const n = onCounties ? units[i] : statesIn(i).length;
      if (!n) return;
      const item = el('span', 'legend-item');
      item.dataset.bloc = b.name;
      const sw = el('span', 'swatch');
      sw.style.background = b.color;
      item.append(sw, document.createTextNode(b.name + ' (' +
        (onCounties ? plural(n, 'county', 'counties') : plural(n, 'state')) + ')'));
      blocs.appendChild(item);
    });
    const note = el('span', 'legend-item muted', S.view === 'counties'
      ? 'Dark lines: borders between blocs; thin lines: state lines.'
      : S.mode === 'blocs'
        ? 'Dark lines: borders between blocs.'
        : 'Bloc outlines: a band in the bloc’s colour inside its edge; dark lines between blocs.');
    blocs.appendChild(note);
    legend.appendChild(blocs);
  }

  // ------------------------------------------------------------- county view

  /** The state a county FIPS code belongs to (its first two digits). */
  function stateOfFips(f) {
    const st = geo.byFips.get(f.slice(0, 2));
    return st ? st.postal : '';
  }
  /** A county's bloc: its state's, unless it was moved. */
  function countyBloc(f) {
    const moved = S.counties[f];
    return moved != null ? moved : blocOf(stateOfFips(f));
  }
  const unitName = (u) => u.n + ', ' + u.s;

  function loadCounties() {
    if (!counties.loading) {
      counties.loading = cachedJson('/api/map?level=counties').then((map) => {
        buildCountyMap(map);
        counties.loaded = true;
        // Moves read from a link before the map was known: keep only the graph's units.
        const unknown = Object.keys(S.counties).filter((f) => !counties.byFips.has(f));
        for (const f of unknown) delete S.counties[f];
        for (const f of Object.keys(S.counties)) if (S.counties[f] === blocOf(stateOfFips(f))) delete S.counties[f];
        if (unknown.length) {
          showNotice('Left out ' + plural(unknown.length, 'county move') + ' for codes the county graph does not have: ' +
            unknown.join(', ') + '.');
          history.replaceState(null, '', '?' + toQuery());
        }
        $('county-loading').hidden = true;
      }, (e) => {
        counties.loading = null;
        $('county-loading').textContent = 'Could not load the county map: ' + e.message;
        throw e;
      });
    }
    return counties.loading;
  }

  /** Border segments between the county outlines (and Connecticut's), and each unit's neighbours. */
  function buildCountySegments(shapes) {
    const byKey = new Map();
    for (const u of shapes) {
      for (const r of rings(u.d)) {
        for (let i = 0; i < r.length; i++) {
          const a = r[i];
          const b = r[(i + 1) % r.length];
          if (a[0] === b[0] && a[1] === b[1]) continue;
          const [p, q] = a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]) ? [a, b] : [b, a];
          const key = (p[0] * 100000 + p[1]) + ',' + (q[0] * 100000 + q[1]);
          const seg = byKey.get(key);
          if (seg) { if (seg.a !== u.f) seg.b = u.f; } else byKey.set(key, { a: u.f, b: null, p, q });
        }
      }
    }
    counties.segments = Array.from(byKey.values()).filter((g) => g.b);
    for (const u of shapes) counties.neighbours.set(u.f, new Set());
    for (const g of counties.segments) {
      counties.neighbours.get(g.a).add(g.b);
      counties.neighbours.get(g.b).add(g.a);
    }
  }

  function buildCountyMap(map) {
    const root = $('county-map');
    root.setAttribute('viewBox', '0 0 ' + map.width + ' ' + map.height);
    root.textContent = '';
    counties.note = map.note || '';
    const shapes = svg('g', { class: 'counties' }, root);
    const whole = svg('g', { class: 'whole-states' }, root);
    svg('path', { id: 'county-borders', class: 'bloc-borders', d: '', 'aria-hidden': 'true' }, root);
    // State lines for orientation (the county graph has no Alaska or Hawaii).
    const lines = geo.states.filter((st) => !OFF_COUNTY_GRAPH.includes(st.postal)).map((st) => st.d).join('');
    svg('path', { class: 'state-lines', d: lines, 'aria-hidden': 'true' }, root);
    const off = svg('text', { x: 150, y: 560, class: 'off-graph', 'aria-hidden': 'true' }, root);
    off.textContent = 'Alaska and Hawaii: not on the county graph';
    const points = svg('g', { class: 'county-points' }, root);
    svg('path', { id: 'county-ring', class: 'focus-ring', d: '' }, root);
    const add = (u, kind) => {
      const unit = { f: u.f, s: u.s, n: u.n, d: u.d || '', x: u.x, y: u.y, kind, within: u.w || '' };
      counties.units.push(unit);
      counties.byFips.set(u.f, unit);
      return unit;
    };
    const bind = (node, f) => {
      node.addEventListener('click', () => moveCounty(f));
      node.addEventListener('pointerenter', (ev) => hoverCounty(f, ev));
      node.addEventListener('pointermove', (ev) => placeTooltip(ev.clientX, ev.clientY));
      node.addEventListener('pointerleave', () => unhoverCounty(f));
    };
    for (const c of map.counties) {
      const u = add(c, 'county');
      const p = svg('path', {
        d: c.d, id: 'county-' + c.f, 'data-county': c.f, 'data-state': c.s, role: 'button', tabindex: '-1', class: 'county',
      }, shapes);
      counties.paths.set(c.f, p);
      bind(p, c.f);
      p.addEventListener('keydown', (ev) => countyKeydown(c.f, ev));
      p.addEventListener('focus', () => { setCountyCurrent(c.f); hoverCounty(c.f, null); });
      p.addEventListener('blur', () => unhoverCounty(c.f));
      u.label = [c.x, c.y];
    }
    // States drawn whole (Connecticut): their units are listed beside the map.
    counties.whole = new Map();
    for (const st of map.states || []) {
      const p = svg('path', { d: st.d, class: 'whole-state', 'data-whole': st.s, 'aria-hidden': 'true' }, whole);
      counties.whole.set(st.f, { shape: p, postal: st.s, name: st.n });
      p.addEventListener('click', () => {
        const first = counties.units.find((u) => u.within === st.f);
        if (first && counties.buttons.get(first.f)) counties.buttons.get(first.f).button.focus();
      });
    }
    counties.regions = [];
    for (const u of map.unmapped || []) {
      const unit = add(u, u.w ? 'region' : 'point');
      counties.regions.push(unit);
      if (!u.w) {
        const c = svg('circle', { cx: u.x, cy: u.y, r: 2.6, class: 'county-point', 'data-county': u.f, 'aria-hidden': 'true' }, points);
        counties.paths.set(u.f, c);
        bind(c, u.f);
      }
    }
    buildCountySegments(map.counties.concat(map.states || []));
    // The units without an outline, as buttons beside the map.
    const list = $('unmapped-list');
    list.textContent = '';
    for (const u of counties.regions) {
      const b = el('button', 'tap-state unit');
      b.type = 'button';
      b.dataset.county = u.f;
      const sw = el('span', 'swatch');
      sw.setAttribute('aria-hidden', 'true');
      b.append(sw, document.createTextNode(u.n.replace(/ Planning Region$/, '') + ', ' + u.s));
      b.addEventListener('click', () => moveCounty(u.f));
      b.addEventListener('focus', () => hoverCounty(u.f, null));
      b.addEventListener('blur', () => unhoverCounty(u.f));
      list.appendChild(b);
      counties.buttons.set(u.f, { button: b, swatch: sw });
    }
    const names = $('county-names');
    names.textContent = '';
    for (const u of counties.units.slice().sort((a, b) => unitName(a).localeCompare(unitName(b)))) {
      const o = document.createElement('option');
      o.value = unitName(u);
      names.appendChild(o);
    }
    setCountyCurrent(counties.byFips.has('41025') ? '41025' : map.counties[0].f);
  }

  function setCountyCurrent(f) {
    if (counties.current === f) return;
    const old = counties.paths.get(counties.current);
    if (old && old.tagName === 'path') old.setAttribute('tabindex', '-1');
    counties.current = f;
    counties.paths.get(f).setAttribute('tabindex', '0');
  }

  /** The county an arrow key leads to: the bordering one that way, else the nearest that way. */
  function countyToward(f, key) {
    const at = (code) => {
      const u = counties.byFips.get(code);
      return u && u.kind === 'county' ? u : null;
    };
    const from = counties.byFips.get(f);
    const others = (codes) => [...codes].filter((c) => c !== f);
    return toward(from, key, others(counties.neighbours.get(f) || []), at, 1.5)
      || toward(from, key, others(counties.paths.keys()), at, 1);
  }

  function countyKeydown(f, ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    if (ev.key === 'Enter' || ev.key === ' ' || ev.key === 'Spacebar') {
      ev.preventDefault();
      moveCounty(f);
    } else if (DIRECTIONS[ev.key]) {
      ev.preventDefault();
      const next = countyToward(f, ev.key);
      if (next) counties.paths.get(next).focus();
    }
  }

  /** Moves a county as the "Clicking a county" choice says: to the next bloc,
   * or into the chosen bloc (a second click returns it to its state's bloc). */
  function moveCounty(f) {
    const u = counties.byFips.get(f);
    if (!u) return;
    const home = blocOf(u.s);
    const now = countyBloc(f);
    const brush = $('brush').value;
    let next;
    if (brush === '' || brush === 'next') next = (now + 1) % S.blocs.length;
    else if (brush === 'home') next = home;
    else next = Number(brush) === now ? home : Number(brush);
    if (next === home) delete S.counties[f]; else S.counties[f] = next;
    lastMoved = f;
    edited();
    changed('county:' + f);
    if (hovered === 'county:' + f) showCountyTooltip(f);
  }

  function renderBrush() {
    const sel = $('brush');
    const keep = sel.value;
    sel.textContent = '';
    const opt = (value, text) => {
      const o = el('option', null, text);
      o.value = value;
      sel.appendChild(o);
    };
    opt('next', 'moves it to the next bloc');
    S.blocs.forEach((b, i) => opt(String(i), 'puts it in ' + b.name));
    opt('home', 'returns it to its state’s bloc');
    sel.value = Array.from(sel.options).some((o) => o.value === keep) ? keep : 'next';
  }

  function addCountyBloc(ev) {
    ev.preventDefault();
    const input = $('new-bloc-name');
    const msg = $('new-bloc-msg');
    const v = input.value.trim().slice(0, MAX_NAME);
    let problem = '';
    if (!v) problem = 'Type a name for the new bloc.';
    else if (S.blocs.some((b) => b.name.toLowerCase() === v.toLowerCase())) problem = 'A bloc has this name: choose it above.';
    else if (S.blocs.length >= MAX_BLOCS) problem = 'At most ' + MAX_BLOCS + ' blocs.';
    if (problem) {
      input.setAttribute('aria-invalid', 'true');
      msg.textContent = problem;
      return;
    }
    input.removeAttribute('aria-invalid');
    msg.textContent = '';
    const b = newBloc(S.blocs);
    b.name = v;
    // Not the neutral grey of the first bloc: a bloc of counties should stand out from the rest.
    const used = new Set(S.blocs.map((x) => x.color));
    b.color = PALETTE.slice(1).find((c) => !used.has(c)) || b.color;
    S.blocs.push(b);
    input.value = '';
    edited();
    renderBlocList();
    $('brush').value = String(S.blocs.length - 1);
    $('county-status').textContent = 'Added the bloc ' + v + ': clicking a county now puts it in ' + v + '.';
    changed();
  }

  function findCounty() {
    const v = $('find-county').value.trim().toLowerCase();
    if (!v) return;
    const u = counties.units.find((x) => unitName(x).toLowerCase() === v);
    if (!u) return;
    const node = counties.paths.get(u.f);
    if (node && node.tagName === 'path') node.focus();
    else if (counties.buttons.get(u.f)) counties.buttons.get(u.f).button.focus();
  }

  /** Units per bloc on the county graph, counted here (the figures come from the API). */
  function countyCounts() {
    const n = S.blocs.map(() => 0);
    for (const u of counties.units) n[countyBloc(u.f)] += 1;
    return n;
  }

  function paintCounties() {
    if (!counties.loaded || S.view !== 'counties') return;
    const chart = choropleth();
    const domain = chart ? domainOf(Array.from(chart.values.values())) : 1;
    const fillOf = (f, state) => {
      if (S.mode === 'blocs' || !chart) return S.blocs[countyBloc(f)].color;
      const v = chart.values.get(state);
      return v == null ? '#cccccc' : diverging(scaleT(v, domain));
    };
    for (const u of counties.units) {
      const bloc = S.blocs[countyBloc(u.f)];
      const moved = S.counties[u.f] != null;
      const label = unitName(u) + ': ' + bloc.name + (moved ? ' (moved from ' + S.blocs[blocOf(u.s)].name + ')' : '');
      const node = counties.paths.get(u.f);
      if (node) {
        node.style.fill = fillOf(u.f, u.s);
        node.dataset.bloc = String(countyBloc(u.f));
        node.classList.toggle('moved', moved);
        if (node.tagName === 'path') node.setAttribute('aria-label', label);
      }
      const tap = counties.buttons.get(u.f);
      if (tap) {
        tap.swatch.style.background = bloc.color;
        tap.button.style.borderColor = bloc.color;
        tap.button.dataset.bloc = String(countyBloc(u.f));
        tap.button.setAttribute('aria-label', tap.button.textContent + ': ' + bloc.name + (moved ? ' (moved)' : ''));
      }
    }
    // A state drawn whole takes the bloc most of its units are in; mixed ones are hatched by a dashed edge.
    for (const [f, w] of counties.whole) {
      const tally = new Map();
      for (const u of counties.units) if (u.within === f) tally.set(countyBloc(u.f), (tally.get(countyBloc(u.f)) || 0) + 1);
      let best = blocOf(w.postal);
      for (const [b, n] of tally) if (n > (tally.get(best) || 0)) best = b;
      w.bloc = best;
      w.shape.style.fill = S.mode === 'blocs' || !chart ? S.blocs[best].color : fillOf(f, w.postal);
      w.shape.classList.toggle('mixed', tally.size > 1);
    }
    const blocOfShape = (f) => (counties.whole.has(f) ? counties.whole.get(f).bloc : countyBloc(f));
    const seg = (g) => 'M' + g.p[0] / 10 + ' ' + g.p[1] / 10 + 'L' + g.q[0] / 10 + ' ' + g.q[1] / 10;
    const borders = [];
    for (const g of counties.segments) if (blocOfShape(g.a) !== blocOfShape(g.b)) borders.push(seg(g));
    $('county-borders').setAttribute('d', borders.join(''));
  }

  function hoverCounty(f, ev) {
    hovered = 'county:' + f;
    const u = counties.byFips.get(f);
    const ring = $('county-ring');
    ring.setAttribute('d', u.d || (u.x != null ? 'M' + (u.x - 5) + ' ' + u.y + 'a5 5 0 1 0 10 0a5 5 0 1 0 -10 0' : ''));
    ring.classList.toggle('on', !!(u.d || u.x != null));
    showCountyTooltip(f);
    if (ev) placeTooltip(ev.clientX, ev.clientY);
    else {
      const node = counties.paths.get(f) || (counties.buttons.get(f) || {}).button;
      const r = node.getBoundingClientRect();
      placeTooltip(r.left + r.width / 2, r.top + r.height / 2);
    }
  }

  function unhoverCounty(f) {
    if (hovered !== 'county:' + f) return;
    hovered = null;
    $('county-ring').classList.remove('on');
    $('tooltip').hidden = true;
  }

  function showCountyTooltip(f) {
    const u = counties.byFips.get(f);
    const tip = $('tooltip');
    tip.textContent = '';
    const head = el('div', 'tip-head');
    const bloc = el('span', 'tip-bloc');
    const sw = el('span', 'swatch');
    const b = S.blocs[countyBloc(f)];
    sw.style.background = b.color;
    bloc.append(sw, document.createTextNode(b.name));
    head.append(el('strong', null, unitName(u)), bloc);
    tip.appendChild(head);
    const home = S.blocs[blocOf(u.s)].name;
    tip.appendChild(el('div', 'tip-foot', S.counties[f] != null
      ? 'Moved from ' + home + ', the bloc of ' + stateName(u.s) + '.'
      : 'In the bloc of its state, ' + stateName(u.s) + '.'));
    if (u.kind === 'region') tip.appendChild(el('div', 'tip-foot', 'A planning region of Connecticut: no outline of its own on the map.'));
    if (u.kind === 'point') tip.appendChild(el('div', 'tip-foot', 'Too small to outline at this scale: drawn as a point.'));
    tip.appendChild(el('div', 'tip-hint', 'Click or Enter: ' + $('brush').selectedOptions[0].textContent + ' · arrows: next county'));
    tip.hidden = false;
  }

  /** Shows the state or the county map. */
  function setView(view, record) {
    S.view = view;
    syncView();
    if (view === 'counties') loadCounties().catch(() => {});
    changed(record === false ? false : 'view');
  }

  function syncView() {
    const c = S.view === 'counties';
    $('view-states').setAttribute('aria-pressed', String(!c));
    $('view-counties').setAttribute('aria-pressed', String(c));
    // SVG elements have no `hidden` property: set the attribute.
    $('map').toggleAttribute('hidden', c);
    $('county-map').toggleAttribute('hidden', !c);
    $('county-tools').hidden = !c;
    $('tap-states').hidden = c;
    $('county-section').hidden = !c;
    $('map-heading').textContent = c ? 'Map of the counties' : 'Map of the states';
    $('shortcuts').hidden = c;
    if (!c && hovered && hovered.startsWith('county:')) { hovered = null; $('tooltip').hidden = true; }
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
    const row = el('div', 'kv');
    row.append(el('span', null, label), el('span', 'num', value));
    if (extra != null) row.appendChild(el('span', 'num muted', extra));
    parent.appendChild(row);
  }

  function showTooltip(postal) {
    const s = geo.byPostal.get(postal);
    const tip = $('tooltip');
    tip.textContent = '';
    const head = el('div', 'tip-head');
    const bloc = el('span', 'tip-bloc');
    const sw = el('span', 'swatch');
    sw.style.background = S.blocs[blocOf(postal)].color;
    bloc.append(sw, document.createTextNode(S.blocs[blocOf(postal)].name));
    head.append(el('strong', null, s.name), bloc);
    tip.appendChild(head);
    const row = ledgerRow(postal);
    if (row) {
      const grid = el('div', 'tip-grid');
      const hdr = el('div', 'kv head');
      for (const t of ['FY' + S.year, 'total', 'per resident']) hdr.appendChild(el('span', null, t));
      grid.appendChild(hdr);
      const pc = (v) => fmtD(v / row.population, false);
      kv(grid, receiptsWords(), fmtB(row.receipts_usd), pc(row.receipts_usd));
      kv(grid, spendingWords(), fmtB(row.spending_usd), pc(row.spending_usd));
      kv(grid, 'Net', fmtB(row.net_usd, true), fmtD(row.net_per_capita_usd, true));
      const sc = scenarioState(postal);
      if (sc) kv(grid, 'Scenario change', fmtB(sc.net_delta_usd, true), fmtD(sc.net_delta_per_resident_usd, true));
      tip.appendChild(grid);
      tip.appendChild(el('div', 'tip-foot', 'Population ' + fmtInt(row.population) + ' · rank ' + row.rank +
        ' of ' + ledger.states.length + ' by net per resident · ' +
        '$' + NF2.format(row.spending_per_receipt_dollar) + ' spent per $1 paid · ' + assumptionText(false)));
    }
    tip.appendChild(el('div', 'tip-hint', 'Click: next bloc · D: sources and grades · arrows: next state'));
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

  /** The state chosen for details; the chart over the years follows it. */
  function selectState(postal, scroll) {
    showDetails(postal, scroll);
    S.series = postal;
    renderSeries();
    scheduleUrlOnly('series');
  }

  async function showDetails(postal, scroll) {
    const select = $('details-state');
    select.value = postal;
    const box = $('details-lines');
    box.textContent = '';
    box.setAttribute('aria-busy', 'true');
    let d;
    try {
      d = await cachedJson('/api/explain?state=' + postal + '&' + ledgerQuery(true));
    } catch (e) {
      box.removeAttribute('aria-busy');
      box.textContent = 'Could not load the breakdown: ' + e.message;
      return;
    }
    if (select.value !== postal) return;
    renderExplain(d);
    box.removeAttribute('aria-busy');
    if (scroll) $('state-details').scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }

  function renderExplain(d) {
    const box = $('details-lines');
    box.textContent = '';
    box.appendChild(el('p', 'details-summary', d.name + ', ' + assumptionText() + '. ' +
      receiptsWords() + ': ' + fmtB(d.receipts_usd) + '. ' + spendingWords() + ': ' + fmtB(d.spending_usd) +
      '. Net: ' + fmtB(d.net_usd, true) + ' (' + fmtD(d.net_per_capita_usd, true) + ' per resident, ' +
      fmtPct(d.net_pct_gdp / 100, true) + ' of state GDP).'));
    for (const side of ['receipts', 'spending']) {
      const lines = d.lines.filter((l) => l.side === side && l.amount_usd !== 0);
      if (!lines.length) continue;
      const table = el('table', 'data compact explain');
      const caption = side === 'receipts' ? 'Federal taxes paid by residents' : 'Federal spending in the state';
      table.appendChild(el('caption', null, caption));
      const thead = document.createElement('thead');
      const hr = document.createElement('tr');
      for (const t of ['Line', 'Amount', 'Share of US', 'Grade']) {
        const th = el('th', null, t);
        th.scope = 'col';
        hr.appendChild(th);
      }
      thead.appendChild(hr);
      table.appendChild(thead);
      const tbody = document.createElement('tbody');
      for (const l of lines) {
        const tr = document.createElement('tr');
        const th = document.createElement('th');
        th.scope = 'row';
        th.append(el('div', null, l.label), el('div', 'source', l.key));
        const grade = el('td', 'grade grade-' + l.grade, l.grade);
        grade.title = { A: 'administrative per-state amount', B: 'close indicator', C: 'proxy' }[l.grade] || '';
        tr.append(th, el('td', 'num', fmtB(l.amount_usd)), el('td', 'num', l.share == null ? '—' : fmtPct(l.share)), grade);
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
      const li = el('li', 'bloc-item');
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
      const remove = el('button', 'btn ghost small', 'Remove');
      remove.type = 'button';
      remove.setAttribute('aria-label', 'Remove bloc ' + (i + 1) + ' (its states return to ' + S.blocs[0].name + ')');
      remove.disabled = i === 0;
      if (i === 0) remove.title = 'The first bloc holds every state not assigned elsewhere';
      remove.addEventListener('click', () => removeBloc(i));
      const msg = el('span', 'bloc-msg');
      msg.setAttribute('aria-live', 'polite');
      li.append(color, name, el('span', 'bloc-count'), remove, msg);
      list.appendChild(li);
    });
    $('add-bloc').disabled = S.blocs.length >= MAX_BLOCS;
    updateBlocCounts();
    renderPolicySelect();
    renderBrush();
  }

  function updateBlocCounts() {
    document.querySelectorAll('#bloc-list .bloc-item').forEach((li) => {
      const i = Number(li.dataset.bloc);
      const states = statesIn(i);
      let pop = 0;
      if (ledger) for (const p of states) { const r = ledgerRow(p); if (r) pop += r.population; }
      const moved = Object.values(S.counties).filter((b) => b === i).length;
      li.querySelector('.bloc-count').textContent = plural(states.length, 'state') +
        (ledger && states.length ? ' · ' + fmtShortPeople(pop) : '') +
        (moved ? ' · ' + plural(moved, 'county', 'counties') + ' moved in' : '');
    });
  }

  function renderPolicySelect() {
    const sel = $('policy-bloc');
    sel.textContent = '';
    S.blocs.forEach((b, i) => {
      const o = document.createElement('option');
      o.value = String(i);
      o.textContent = b.name + (S.policies[b.name] && !inert(S.policies[b.name]) ? ' (has a policy)' : '');
      sel.appendChild(o);
    });
    sel.value = String(S.edit);
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
    const old = S.blocs[i].name;
    if (old === v) return;
    // The policy belongs to the bloc, so it follows the new name.
    if (S.policies[old]) { S.policies[v] = S.policies[old]; delete S.policies[old]; }
    S.blocs[i].name = v;
    renderPolicySelect();
    edited();
    changed('name:' + i);
  }

  function removeBloc(i) {
    if (i === 0) return;
    for (const p of Object.keys(S.assign)) {
      if (S.assign[p] === i) delete S.assign[p];
      else if (S.assign[p] > i) S.assign[p] -= 1;
    }
    for (const f of Object.keys(S.counties)) {
      if (S.counties[f] === i) delete S.counties[f];
      else if (S.counties[f] > i) S.counties[f] -= 1;
    }
    // A county's move to what is now its state's bloc is no move.
    const [gone] = S.blocs.splice(i, 1);
    for (const f of Object.keys(S.counties)) if (S.counties[f] === blocOf(stateOfFips(f))) delete S.counties[f];
    if (S.incomeBloc === i) S.incomeBloc = -1;
    else if (S.incomeBloc > i) S.incomeBloc -= 1;
    if (S.policies[gone.name]) {
      delete S.policies[gone.name];
      showNotice('The policy of ' + gone.name + ' was removed with the bloc.');
    }
    if (S.edit === i) S.edit = Math.min(1, S.blocs.length - 1);
    else if (S.edit > i) S.edit -= 1;
    if (S.series === 'b' + i) S.series = '';
    edited();
    renderBlocList();
    syncPolicyControls();
    changed();
    const next = $('bloc-name-' + Math.min(i, S.blocs.length - 1));
    if (next) next.focus();
  }

  function addBloc() {
    if (S.blocs.length >= MAX_BLOCS) return;
    S.blocs.push(newBloc(S.blocs));
    edited();
    renderBlocList();
    changed();
    $('bloc-name-' + (S.blocs.length - 1)).focus();
  }

  // ------------------------------------------------------------------ presets

  function presetKnown(name) {
    if (/^election-\d{4}$/.test(name)) return VOTE_YEARS.includes(Number(name.slice(9)));
    return name.startsWith('example-') && data.examples.some((e) => e.name === name.slice(8));
  }

  function buildExampleButtons() {
    const group = $('example-presets');
    for (const ex of data.examples) {
      const b = el('button', 'chip', ex.name);
      b.type = 'button';
      b.dataset.preset = 'example-' + ex.name;
      b.setAttribute('aria-pressed', 'false');
      b.title = ex.description || '';
      group.appendChild(b);
    }
  }

  /** A scenario's blocs as [{name, states}], the bloc that takes every
   * unplaced state first (the page's first bloc plays that part). */
  async function blocGroups(spec) {
    const all = geo.states.map((s) => s.postal);
    if (spec.election != null) {
      const q = 'election=' + spec.election + (spec.margin != null ? '&margin=' + spec.margin : '') + '&year=' + S.year;
      const answer = await cachedJson('/api/blocs?' + q);
      return answer.blocs.map((b) => ({ name: b.bloc, states: b.states }));
    }
    let named = [];
    let restName = '';
    if (Array.isArray(spec.list)) {
      for (const b of spec.list) {
        if (b.rest) restName = String(b.name).trim();
        else named.push({ name: String(b.name).trim(), states: (b.states || []).map((p) => String(p).toUpperCase()) });
      }
    } else if (spec.assignment) {
      const byName = new Map();
      for (const [p, name] of Object.entries(spec.assignment)) {
        const n = String(name).trim();
        if (!byName.has(n)) byName.set(n, []);
        byName.get(n).push(p.toUpperCase());
      }
      named = Array.from(byName, ([name, states]) => ({ name, states }));
    } else {
      throw new ApiError('the scenario gives its blocs in a form the page does not know');
    }
    const placed = new Set(named.flatMap((b) => b.states));
    const unplaced = all.filter((p) => !placed.has(p));
    if (restName) return [{ name: restName, states: unplaced }].concat(named);
    return (unplaced.length ? [{ name: 'Rest', states: unplaced }] : []).concat(named);
  }

  /** One bloc's policy in a scenario file: the table's defaults, then its `bloc.NAME` overrides. */
  function examplePolicy(sc, name) {
    const p = clonePolicy(POLICY_DEFAULT);
    const channels = (list) => CHANNELS.filter((c) => (list || []).includes(c));
    if (sc.bluexit) {
      const b = { ...SCHEMA_BLUEXIT };
      for (const layer of [sc.bluexit, (sc.bluexit.bloc || {})[name] || {}]) {
        if (layer.income_tax_scale != null) b.scale = layer.income_tax_scale;
        if (layer.withdraw) b.withdraw = channels(layer.withdraw);
        if (layer.replace_share != null) b.replace = layer.replace_share;
        if (INSTRUMENTS.includes(layer.instrument)) b.instrument = layer.instrument;
        if (layer.pooling === 'state' || layer.pooling === 'bloc') b.pooling = layer.pooling;
      }
      Object.assign(p, b);
    }
    if (sc.devolution) {
      for (const layer of [sc.devolution, (sc.devolution.bloc || {})[name] || {}]) {
        if (layer.programs) p.devolve = channels(layer.programs);
        if (INSTRUMENTS.includes(layer.instrument)) p.devolveInstrument = layer.instrument;
      }
    }
    return p;
  }

  function blocColour(name, i) {
    return ELECTION_COLOURS[name] || PALETTE[i % PALETTE.length];
  }

  /** New blocs from a preset. County moves follow their bloc's name; a bloc
   * made of counties only is kept after the preset's. Returns what was dropped. */
  function setBlocs(groups) {
    const old = S.blocs;
    const oldAssign = S.assign;
    const moves = Object.entries(S.counties).map(([f, i]) => [f, old[i]]);
    const countyOnly = old.filter((b, i) => !geo.states.some((st) => (oldAssign[st.postal] || 0) === i) &&
      moves.some(([, m]) => m === b) && !groups.some((g) => g.name === b.name));
    S.blocs = groups.map((g, i) => ({ name: g.name, color: blocColour(g.name, i) }));
    for (const b of countyOnly) if (S.blocs.length < MAX_BLOCS) S.blocs.push({ name: b.name, color: b.color });
    S.assign = {};
    groups.forEach((g, i) => { if (i > 0) for (const p of g.states) if (geo.byPostal.has(p)) S.assign[p] = i; });
    if (S.series.startsWith('b')) S.series = '';
    S.incomeBloc = -1;
    S.counties = {};
    let dropped = 0;
    for (const [f, b] of moves) {
      const i = S.blocs.findIndex((x) => x.name === b.name);
      if (i < 0) { dropped += 1; continue; }
      if (i !== blocOf(stateOfFips(f))) S.counties[f] = i;
    }
    return { dropped, kept: Object.keys(S.counties).length };
  }

  function countyNotes(moves, notes) {
    if (moves.kept) notes.push('Kept ' + plural(moves.kept, 'county move') + ' (to blocs that still have their name).');
    if (moves.dropped) notes.push('Dropped ' + plural(moves.dropped, 'county move') + ': no bloc has that name now.');
  }

  /** "the policy of A", "the policies of A and B". */
  function policiesOf(names) {
    return (names.length === 1 ? 'the policy of ' : 'the policies of ') + listJoin(names);
  }

  /** Presets replace the blocs. Policies belong to a bloc's name: an
   * election preset keeps the policies of names that remain and drops the
   * others; an example brings its own blocs and policies and replaces all.
   * Either way the notice says what happened (Back undoes it). */
  async function applyPreset(name) {
    showError('');
    setBusy(true);
    try {
      const old = S.policies;
      const before = Object.keys(old).filter((n) => !inert(old[n]));
      const editName = S.blocs[S.edit] ? S.blocs[S.edit].name : '';
      const notes = [];
      if (name.startsWith('election-')) {
        const year = Number(name.slice('election-'.length));
        const groups = await blocGroups({ election: year });
        const moves = setBlocs(groups);
        const names = new Set(groups.map((g) => g.name));
        const kept = before.filter((n) => names.has(n));
        const dropped = before.filter((n) => !names.has(n));
        S.policies = {};
        for (const n of Object.keys(old)) if (names.has(n)) S.policies[n] = old[n];
        notes.push('Blocs: the states each candidate won in ' + year + '.');
        if (kept.length) notes.push('Kept ' + policiesOf(kept) + ' (a bloc still has that name).');
        if (dropped.length) notes.push('Dropped ' + policiesOf(dropped) + ': no bloc has that name now.');
        if (S.votes !== year) notes.push('Stranded voters now count the ' + year + ' election.');
        countyNotes(moves, notes);
        S.votes = year;
      } else {
        const ex = data.examples.find((e) => e.name === name.slice('example-'.length));
        if (!ex) throw new ApiError('no example ' + name.slice(8));
        const sc = ex.scenario;
        const groups = await blocGroups(sc.blocs || {});
        const moves = setBlocs(groups);
        S.policies = {};
        for (const g of groups) {
          const p = examplePolicy(sc, g.name);
          if (!inert(p)) S.policies[g.name] = p;
        }
        const choice = (key, v) => (CHOICES[key].includes(v) ? v : DEFAULTS[key]);
        S.response = choice('response', sc.bluexit && sc.bluexit.federal_response);
        S.partition = !!sc.partition;
        S.debt = choice('debt', sc.partition && sc.partition.debt_key);
        S.goods = choice('goods', sc.partition && sc.partition.public_goods_key);
        const votes = sc.blocs && (sc.blocs.votes || sc.blocs.election);
        S.votes = VOTE_YEARS.includes(votes) ? votes : 2024;
        const set = [];
        for (const [key, param] of Object.entries(LEDGER_PARAMS)) {
          const v = sc.ledger ? sc.ledger[param] : undefined;
          if (v != null && CHOICES[key].includes(v) && S[key] !== v) { S[key] = v; set.push(param + ' ' + v); }
        }
        if (sc.year && data.years.includes(sc.year) && sc.year !== S.year) { S.year = sc.year; set.push('FY' + sc.year); }
        notes.push('Loaded the example ' + ex.name + ': its blocs and policies replace the ones on the page.');
        const lost = before.filter((n) => !S.policies[n] || !samePolicy(S.policies[n], old[n]));
        if (lost.length) notes.push('Dropped ' + policiesOf(lost) + '.');
        if (set.length) notes.push('It sets the assumptions: ' + set.join(', ') + '.');
        countyNotes(moves, notes);
      }
      const editIndex = S.blocs.findIndex((b) => b.name === editName);
      const withPolicy = S.blocs.findIndex((b) => S.policies[b.name]);
      S.edit = editIndex >= 0 && S.policies[editName] ? editIndex
        : withPolicy >= 0 ? withPolicy : Math.min(1, S.blocs.length - 1);
      S.preset = name;
      S.edited = false;
      if (before.length || name.startsWith('example-')) notes.push('Back undoes this.');
      showNotice(notes.join(' '));
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
    for (const id of ['mode', 'method', 'deficit', 'interest', 'residual', 'corporate', 'procurement', 'response']) {
      $(id).value = S[id];
    }
    $('year').value = String(S.year);
    $('votes').value = String(S.votes);
    $('partition').checked = S.partition;
    $('debt-key').value = S.debt;
    $('goods-key').value = S.goods;
    // Options beyond the three main ones stay in view when one is set.
    if (['interest', 'residual', 'corporate', 'procurement'].some((k) => S[k] !== DEFAULTS[k])) $('more-options').open = true;
    $('ensemble-details').open = S.ensemble;
    syncView();
    syncPolicyControls();
  }

  /** The policy editor shows the policy of the bloc chosen in it. */
  function syncPolicyControls() {
    const p = policyOf(S.blocs[S.edit].name);
    $('policy-bloc').value = String(S.edit);
    $('scale').value = String(p.scale);
    $('replace').value = String(p.replace);
    $('instrument').value = p.instrument;
    $('pooling').value = p.pooling;
    $('devolve-instrument').value = p.devolveInstrument;
    for (const c of CHANNELS) {
      const w = $('withdraw-' + c);
      const d = $('devolve-' + c);
      w.checked = p.withdraw.includes(c);
      d.checked = p.devolve.includes(c);
      // A program is either withdrawn or moved to the states, not both (the API refuses both).
      w.disabled = d.checked;
      d.disabled = w.checked;
    }
    updateOutputs();
  }

  function updateOutputs() {
    const p = policyOf(S.blocs[S.edit].name);
    $('scale-out').textContent = '×' + NF2.format(p.scale);
    $('replace-out').textContent = Math.round(p.replace * 100) + '%';
    $('debt-key').disabled = !S.partition;
    $('goods-key').disabled = !S.partition;
    const bloc = S.blocs[S.edit];
    const countyOnly = Object.values(S.counties).includes(S.edit);
    $('policy-note').textContent = bloc && statesIn(S.edit).length === 0
      ? bloc.name + (countyOnly ? ' holds counties only: policies apply to the state ledger, which counts whole states.'
        : ' has no states yet: its policy applies once it has some.') : '';
  }

  /** Edits the policy of the bloc in the editor; a policy back at the defaults is removed. */
  function editPolicy(change, kind) {
    const name = S.blocs[S.edit].name;
    const p = clonePolicy(policyOf(name));
    change(p);
    if (samePolicy(p, POLICY_DEFAULT)) delete S.policies[name]; else S.policies[name] = p;
    edited();
    syncPolicyControls();
    renderPolicySelect();
    changed(kind);
  }

  function bindControls() {
    const assumption = (id) => $(id).addEventListener('change', () => {
      S[id] = id === 'year' ? Number($(id).value) : $(id).value;
      changed(id);
    });
    for (const id of ['year', 'method', 'deficit', 'interest', 'residual', 'corporate', 'procurement']) assumption(id);
    $('mode').addEventListener('change', () => {
      S.mode = $('mode').value;
      paintMap();
      pushUrl('mode');
    });
    const scenario = (id, key) => $(id).addEventListener('change', () => {
      S[key] = $(id).value;
      edited();
      changed(key);
    });
    scenario('response', 'response');
    scenario('debt-key', 'debt');
    scenario('goods-key', 'goods');
    $('votes').addEventListener('change', () => {
      S.votes = Number($('votes').value);
      edited();
      changed('votes');
    });
    $('partition').addEventListener('change', () => {
      S.partition = $('partition').checked;
      edited();
      changed();
    });
    $('policy-bloc').addEventListener('change', () => {
      S.edit = Number($('policy-bloc').value);
      syncPolicyControls();
      renderSeries();
      scheduleUrlOnly('edit');
    });
    $('scale').addEventListener('input', () => {
      editPolicy((p) => { p.scale = Math.round(Number($('scale').value) * 100) / 100; }, 'scale');
    });
    $('replace').addEventListener('input', () => {
      editPolicy((p) => { p.replace = Math.round(Number($('replace').value) * 100) / 100; }, 'replace');
    });
    $('instrument').addEventListener('change', () => editPolicy((p) => { p.instrument = $('instrument').value; }));
    $('pooling').addEventListener('change', () => editPolicy((p) => { p.pooling = $('pooling').value; }));
    $('devolve-instrument').addEventListener('change', () => {
      editPolicy((p) => { p.devolveInstrument = $('devolve-instrument').value; });
    });
    for (const c of CHANNELS) {
      $('withdraw-' + c).addEventListener('change', () => editPolicy((p) => {
        p.withdraw = CHANNELS.filter((x) => $('withdraw-' + x).checked);
      }));
      $('devolve-' + c).addEventListener('change', () => editPolicy((p) => {
        p.devolve = CHANNELS.filter((x) => $('devolve-' + x).checked);
      }));
    }
    $('policy-copy').addEventListener('click', () => {
      const p = policyOf(S.blocs[S.edit].name);
      for (const b of S.blocs) {
        if (samePolicy(p, POLICY_DEFAULT)) delete S.policies[b.name]; else S.policies[b.name] = clonePolicy(p);
      }
      edited();
      renderPolicySelect();
      changed();
    });
    $('policy-clear').addEventListener('click', () => editPolicy((p) => Object.assign(p, clonePolicy(POLICY_DEFAULT))));
    $('add-bloc').addEventListener('click', addBloc);
    $('reset').addEventListener('click', () => {
      const view = S.view;
      S = defaultState();
      S.view = view;
      showNotice('');
      syncControls();
      renderBlocList();
      changed();
    });
    document.querySelectorAll('[data-preset]').forEach((b) => {
      b.addEventListener('click', () => applyPreset(b.dataset.preset));
    });
    $('notice-close').addEventListener('click', () => showNotice(''));
    for (const b of document.querySelectorAll('[data-view]')) {
      b.addEventListener('click', () => { if (S.view !== b.dataset.view) setView(b.dataset.view); });
    }
    $('county-new-bloc').addEventListener('submit', addCountyBloc);
    $('find-county').addEventListener('change', findCounty);
    $('find-county').addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); findCounty(); } });
    $('clear-counties').addEventListener('click', () => {
      if (!Object.keys(S.counties).length) return;
      S.counties = {};
      edited();
      changed();
    });
    $('income-bloc').addEventListener('change', () => {
      S.incomeBloc = Number($('income-bloc').value);
      renderIncome();
      scheduleUrlOnly('income');
    });
    $('income-state').addEventListener('change', () => {
      S.incomeState = $('income-state').value;
      renderIncome();
      scheduleUrlOnly('income');
    });
    $('ensemble-details').addEventListener('toggle', () => {
      if (S.ensemble === $('ensemble-details').open) return;
      S.ensemble = $('ensemble-details').open;
      scheduleUrlOnly('ensemble');
      refreshEnsemble();
    });
    $('download-csv').addEventListener('click', downloadCsv);
    $('download-json').addEventListener('click', downloadJson);
    $('copy-link').addEventListener('click', copyLink);
    $('details-state').addEventListener('change', () => {
      const v = $('details-state').value;
      if (v) selectState(v, false);
      else $('details-lines').textContent = '';
    });
    $('series-of').addEventListener('change', () => {
      S.series = $('series-of').value;
      renderSeries();
      scheduleUrlOnly('series');
    });
    document.querySelectorAll('[data-open-about]').forEach((b) => b.addEventListener('click', openAbout));
    document.querySelectorAll('[data-jump]').forEach((b) => b.addEventListener('click', () => jump(b.dataset.jump)));
    $('about-close').addEventListener('click', () => $('about-dialog').close());
    document.addEventListener('keydown', shortcut);
    window.addEventListener('popstate', () => {
      S = fromQuery(location.search);
      syncControls();
      renderBlocList();
      changed(false);
    });
  }

  /** Page-wide keys: A assumptions, C scenario controls, M the map. Not while typing. */
  function shortcut(ev) {
    if (ev.defaultPrevented || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const t = ev.target;
    if (t && t.closest && t.closest('input, select, textarea, [contenteditable], dialog[open]')) return;
    const mapTarget = S.view === 'counties' && counties.loaded ? 'county-' + counties.current : 'state-' + current;
    const target = { a: 'year', c: 'policy-bloc', m: mapTarget }[ev.key.toLowerCase()];
    if (!target) return;
    ev.preventDefault();
    jump(target);
  }

  function jump(id) {
    const node = $(id);
    node.focus();
    node.scrollIntoView({ block: 'nearest' });
  }

  // ------------------------------------------------------------------- answer

  function renderAnswer() {
    if (!report) return;
    $('sentence').textContent = report.sentence;
    const national = report.national;
    const n = report.states.length;

    const why = $('deficit-why');
    why.textContent = '';
    const p = el('p');
    const unlocated = report.deficit_usd - national.net_usd;
    if (S.deficit === 'none') {
      p.appendChild(el('strong', null, 'Why most states come out ahead: '));
      p.appendChild(document.createTextNode('in FY' + S.year + ' the federal government spent ' +
        fmtB(report.deficit_usd) + ' more than it collected in taxes (the deficit) and borrowed the difference. ' +
        'Unless the deficit is charged back, spending received exceeds taxes paid in most states, and in most ' +
        'blocs of states, so most look like receivers. Choose a deficit treatment under Assumptions to charge it back.'));
      if (Math.abs(unlocated) > 0.01 * Math.abs(report.deficit_usd)) {
        p.appendChild(document.createTextNode(' The states’ '));
        p.appendChild(term('located gap', 'gap', 'why-gap'));
        p.appendChild(document.createTextNode(' is ' + fmtB(national.net_usd) + '; the other ' + fmtB(unlocated) +
          ' is federal spending these options place in no state.'));
      }
    } else if (S.deficit === 'per-capita') {
      p.appendChild(document.createTextNode('Here the '));
      p.appendChild(term('located gap', 'gap', 'why-gap'));
      p.appendChild(document.createTextNode(' is charged to every resident equally, so the states’ nets add up to ' +
        'zero and a state counts as a receiver only if it receives more per resident than the national average.'));
    } else if (S.deficit === 'full-per-capita') {
      p.textContent = 'Here the whole FY' + S.year + ' deficit (' + fmtB(report.deficit_usd) + ') is charged to ' +
        'every resident equally, including the spending these options place in no state; the states’ nets add up to ' +
        fmtB(national.net_usd, true) + '.';
    } else if (S.deficit === 'scale-spending') {
      p.textContent = 'Here spending located in the states is scaled down in proportion until it equals the taxes ' +
        'their residents pay, so the states’ nets add up to zero.';
    } else {
      p.appendChild(document.createTextNode('Here the '));
      p.appendChild(term('located gap', 'gap', 'why-gap'));
      p.appendChild(document.createTextNode(' is charged to the states in proportion to the federal taxes their ' +
        'residents pay, so the states’ nets add up to zero.'));
    }
    why.appendChild(p);

    const dl = $('key-figures');
    dl.textContent = '';
    const fig = (field, label, value) => {
      const div = el('div', 'figure');
      div.dataset.field = field;
      const dt = el('dt');
      if (typeof label === 'string') dt.textContent = label; else dt.appendChild(label);
      div.append(dt, el('dd', null, value));
      dl.appendChild(div);
    };
    fig('receivers', 'States that receive more than their residents pay', report.receivers + ' of ' + n);
    fig('receipts', receiptsWords(' by residents'), fmtB(national.receipts_usd));
    fig('spending', spendingWords(' located in the states'), fmtB(national.spending_usd));
    const netLabel = el('span');
    netLabel.append(term('Net', 'net', 'key-net'), document.createTextNode(' of all states'));
    fig('net', netLabel, fmtB(national.net_usd, true) + ' (' + fmtD(national.net_per_capita_usd, true) + ' per resident)');
    fig('deficit', 'Federal deficit, FY' + S.year, fmtB(report.deficit_usd));

    const box = $('extremes');
    box.textContent = '';
    const table = (title, rows, field) => {
      const t = el('table', 'data compact extremes-table');
      t.dataset.field = field;
      t.appendChild(el('caption', null, title));
      const thead = document.createElement('thead');
      const hr = document.createElement('tr');
      const h1 = el('th', null, 'State');
      h1.scope = 'col';
      const h2 = el('th');
      h2.scope = 'col';
      h2.append(term('Net', 'net', field + '-net'), document.createTextNode(' per resident'));
      const h3 = el('th');
      h3.scope = 'col';
      h3.appendChild(term('From mandatory programs', 'mandatory', field + '-mandatory'));
      hr.append(h1, h2, h3);
      thead.appendChild(hr);
      t.appendChild(thead);
      const tbody = document.createElement('tbody');
      for (const r of rows) {
        const tr = document.createElement('tr');
        tr.dataset.state = r.state;
        const th = el('th', null, stateName(r.state));
        th.scope = 'row';
        tr.append(th, el('td', 'num', fmtD(r.net_per_capita_usd, true)), el('td', 'num', fmtPct(r.mandatory_share_of_net)));
        tbody.appendChild(tr);
      }
      t.appendChild(tbody);
      box.appendChild(t);
    };
    $('extremes-heading').textContent = 'Largest net receivers and payers per resident, ' + assumptionText();
    table('Receive the most per resident', report.top_receivers_per_capita, 'top-receivers');
    table('Pay in the most per resident', report.top_payers_per_capita, 'top-payers');
    $('about-summary').textContent = 'Figures are from fedsplit’s FY' + S.year + ' ledger (' + assumptionText(false) +
      '): federal receipts attributed to each state’s residents and federal spending attributed to each state, ' +
      'reconciled to the national budget totals. The method and the deficit treatment are choices; the page shows ' +
      'what each implies. Scenario figures are changes from that baseline. Grades: A administrative per-state ' +
      'amount, B close indicator, C proxy.';
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

  /** One bloc's policy in words. */
  function describePolicy(p) {
    const parts = [];
    if (p.scale !== 1) parts.push(p.scale === 0 ? 'no federal income tax' : 'federal income tax ×' + NF2.format(p.scale));
    if (p.withdraw.length) {
      const what = listJoin(p.withdraw.map((c) => CHANNEL_WORDS[c]));
      parts.push(what + ' withdrawn' + (p.replace > 0
        ? ', the states replacing ' + Math.round(p.replace * 100) + '% with ' + INSTRUMENT_WORDS[p.instrument] +
          (p.pooling === 'bloc' ? ', the cost shared across the bloc' : ', each state its own')
        : ', not replaced'));
    }
    if (p.devolve.length) {
      parts.push(listJoin(p.devolve.map((c) => CHANNEL_WORDS[c])) + ' moved to the states, paid by ' +
        INSTRUMENT_WORDS[p.devolveInstrument]);
    }
    return parts.length ? parts.join('; ') : 'no change';
  }

  function renderScenarioSummary(shown) {
    const info = $('preset-info');
    info.hidden = !S.preset;
    if (S.preset) {
      const changedNote = S.edited ? ' (changed since it was loaded)' : '';
      if (S.preset.startsWith('election-')) {
        const year = S.preset.slice(9);
        $('preset-name').textContent = 'Preset: ' + year + ' winners' + changedNote;
        $('preset-description').textContent =
          'Each state is in the bloc of the candidate who won its presidential vote in ' + year + '.';
      } else {
        const ex = data.examples.find((e) => e.name === S.preset.slice(8));
        $('preset-name').textContent = 'Example: ' + S.preset.slice(8) + changedNote;
        $('preset-description').textContent = ex ? ex.description : '';
      }
    }
    const ul = $('policy-summary');
    ul.textContent = '';
    let any = false;
    for (const x of shown) {
      const p = policyOf(x.b.name);
      any = any || !inert(p);
      const li = el('li');
      li.dataset.bloc = x.b.name;
      const sw = el('span', 'swatch');
      sw.style.background = x.b.color;
      li.append(sw, el('strong', null, x.b.name + ': '), document.createTextNode(describePolicy(p)));
      ul.appendChild(li);
    }
    if (shown.some((x) => policyOf(x.b.name).scale !== 1 || policyOf(x.b.name).withdraw.length)) {
      ul.appendChild(el('li', 'muted', S.response === 'deficit'
        ? 'Federal response: the deficit changes.' : 'Federal response: other federal spending is cut to match.'));
    }
    if (S.partition) {
      any = true;
      ul.appendChild(el('li', null, 'Partition: each bloc becomes a country (public goods by ' + S.goods +
        ', debt by ' + S.debt + ').'));
    }
    if (!any && shown.length > 1) {
      ul.appendChild(el('li', 'muted', 'No policy yet: the scenario changes nothing. ' +
        'Choose a bloc and a policy under Scenario controls (press C).'));
    }
  }

  function renderPanel() {
    const base = baseline();
    const shown = S.blocs.map((b, i) => ({ b, i, base: base[i] })).filter((x) => x.base.states.length > 0);
    $('assumption-line').textContent = 'Assumptions: ' + assumptionText();
    renderScenarioSummary(shown);
    $('table-heading').textContent = 'Blocs, ' + assumptionText();
    $('bloc-caption').textContent = 'Per bloc, ' + assumptionText() +
      ': the baseline ledger, then the scenario’s changes from it';
    $('table-note').textContent = 'Per bloc, in $ billions unless noted: the baseline ledger, then the scenario’s ' +
      'changes from it.' + (S.deficit === 'none' ? ' With the deficit not charged back, most blocs show a positive ' +
      'net: see “Why most states come out ahead” above.' : '');
    const table = $('bloc-table');
    const thead = table.tHead;
    const tbody = table.tBodies[0];
    thead.textContent = '';
    tbody.textContent = '';
    thead.appendChild(blocHeaderRow(shown));
    const cols = shown.length + 1;

    // A section heading with no rows under it (every row all zero) is dropped by the next heading or the end.
    const dropEmptySection = () => {
      const last = tbody.lastElementChild;
      if (last && last.classList.contains('section')) last.remove();
    };
    const section = (title) => {
      dropEmptySection();
      const tr = el('tr', 'section');
      const th = el('th', null, title);
      th.scope = 'colgroup';
      th.colSpan = cols;
      tr.appendChild(th);
      tbody.appendChild(tr);
    };
    // `hideZero`: a row whose every value is zero (or absent) says nothing: leave it out.
    const row = (field, label, cell, options) => {
      const o = options || {};
      const cells = shown.map(cell);
      if (o.hideZero && cells.every(([, v]) => v == null || v === 0)) return;
      const tr = document.createElement('tr');
      tr.dataset.field = field;
      const th = document.createElement('th');
      th.scope = 'row';
      if (typeof label === 'string') th.textContent = label; else th.appendChild(label);
      if (o.help) th.title = o.help;
      tr.appendChild(th);
      shown.forEach((x, k) => {
        const [text, value, cls] = cells[k];
        const td = el('td', 'num', text);
        td.dataset.bloc = x.b.name;
        td.dataset.field = field;
        if (value != null) td.dataset.value = String(value);
        if (cls) td.classList.add(cls);
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    };
    const tone = (v) => (v > 0 ? 'pos' : v < 0 ? 'neg' : null);
    const withTerm = (before, word, key, after, ctx) => {
      const span = el('span');
      if (before) span.appendChild(document.createTextNode(before));
      span.appendChild(term(word, key, ctx));
      if (after) span.appendChild(document.createTextNode(after));
      return span;
    };

    section('Baseline: ' + assumptionText());
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
    row('receipts', receiptsWords(), (x) => [fmtB(x.base.receipts), x.base.receipts]);
    row('spending', spendingWords(), (x) => [fmtB(x.base.spending), x.base.spending]);
    row('net', withTerm('', 'Net', 'net', ' (spending − taxes)', 'table-net'),
      (x) => [fmtB(x.base.net, true), x.base.net, tone(x.base.net)]);
    row('net-per-capita', 'Net per resident ($)', (x) => [fmtD(x.base.perCapita, true), x.base.perCapita, tone(x.base.perCapita)]);

    if (result) {
      section('Scenario: change from the baseline');
      const d = (field, label, key, sign, fmt, help) => row(field, label, (x) => {
        const s = scenarioBloc(x.b.name);
        const v = s ? s[key] : null;
        return [s ? fmt(v, sign) : '—', v, sign ? tone(v) : null];
      }, { help, hideZero: true });
      d('federal-taxes', 'Δ federal taxes', 'federal_taxes_delta_usd', false, (v) => fmtB(v, true), 'Positive: more federal tax paid');
      d('federal-spending', 'Δ federal spending', 'federal_spending_delta_usd', false, (v) => fmtB(v, true), 'Positive: more federal spending received');
      d('state-taxes', 'Δ state taxes', 'state_taxes_delta_usd', false, (v) => fmtB(v, true), 'Taxes the states raise to replace or run programs');
      d('net-delta', withTerm('', 'Net change', 'net', '', 'table-net-delta'), 'net_delta_usd', true, fmtB,
        'Spending received − taxes paid, federal and state together');
      d('net-delta-per-resident', 'Net change per resident ($)', 'net_delta_per_resident_usd', true, fmtD);
      row('kept', '$ kept per $1 lost', (x) => {
        const s = scenarioBloc(x.b.name);
        const v = s ? s.dollars_kept_per_dollar_lost : null;
        return [v == null ? '—' : '$' + NF2.format(v), v];
      }, { help: 'Federal tax kept per dollar of federal spending lost', hideZero: true });

      if (result.partition) {
        section('Partition: each bloc as a country');
        const p = (field, label, fmt, key, signedTone, help) => row(field, label, (x) => {
          const r = partitionRow(x.b.name);
          const v = r ? r[key] : null;
          return [r ? fmt(v) : '—', v, signedTone ? tone(v) : null];
        }, { help });
        p('revenue', 'Revenue', (v) => fmtB(v), 'revenue_usd');
        p('primary-balance', 'Primary balance', (v) => fmtB(v, true), 'primary_balance_usd', true);
        p('debt', 'Debt', (v) => fmtB(v), 'debt_usd');
        p('debt-to-gdp', 'Debt / GDP', (v) => fmtPct(v), 'debt_to_gdp');
        p('interest', 'Interest', (v) => fmtB(v), 'interest_usd');
        p('overall-balance', 'Overall balance', (v) => fmtB(v, true), 'overall_balance_usd', true);
        p('tax-to-balance', 'Tax change to balance', (v) => fmtPct(v, true), 'tax_change_to_balance', false,
          'Change in revenue that would bring the overall balance to zero');
      }

      section('Voters (' + result.meta.votes_year + ' presidential election)');
      row('stranded', withTerm('', 'Stranded voters', 'stranded', '', 'table-stranded'), (x) => {
        const s = scenarioBloc(x.b.name);
        return s ? [fmtInt(s.stranded_voters), s.stranded_voters] : ['—', null];
      });
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

    dropEmptySection();
    renderWarnings(shown);
    renderCountySection();
    renderChart(shown);
    renderSeries();
    renderBudget();
    renderIncome();
    $('download-json').disabled = !result;
    document.querySelectorAll('[data-preset]').forEach((b) => {
      b.setAttribute('aria-pressed', String(S.preset === b.dataset.preset && !S.edited));
    });
  }

  function renderWarnings(shown) {
    const ul = $('warnings');
    ul.textContent = '';
    const add = (text, cls) => ul.appendChild(el('li', cls, text));
    if (scenarioNote) add(scenarioNote, 'info');
    if (!result) return;
    for (const x of shown) {
      const s = scenarioBloc(x.b.name);
      if (s && !s.contiguous) {
        add(x.b.name + ' is not contiguous over land; outside its largest connected piece: ' +
          listJoin(s.exclaves.map(stateName)) + '.', 'warn');
      }
    }
  }

  function renderChart(shown) {
    const root = $('bloc-chart');
    root.textContent = '';
    $('chart-heading').textContent = 'Net per resident by bloc, ' + assumptionText();
    const W = 420;
    const left = 8;
    const right = W - 8;
    const values = shown.map((x) => {
      const s = scenarioBloc(x.b.name);
      return { base: x.base.perCapita || 0, delta: s ? s.net_delta_per_resident_usd : 0 };
    });
    const series = [{ key: 'base', label: 'Baseline net' }];
    // A scenario that changes nothing would only draw empty bars.
    if (result && values.some((v) => v.delta !== 0)) series.push({ key: 'delta', label: 'Scenario change in net' });
    const rowH = 21 + series.length * 17;
    const top = 8;
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
      svg('text', { x: left, y: y + 11, class: 'chart-name' }, root).textContent = x.b.name;
      series.forEach((s, j) => {
        const v = values[k][s.key];
        const by = y + 17 + j * 17;
        const xa = Math.min(sx(v), zero);
        const w = Math.max(Math.abs(sx(v) - zero), v === 0 ? 0 : 1);
        const bar = svg('rect', { x: xa, y: by, width: w, height: 13, rx: 2, class: 'bar bar-' + s.key }, root);
        bar.dataset.bloc = x.b.name;
        bar.dataset.value = String(v);
        if (s.key === 'base') bar.style.fill = x.b.color;
        svg('text', {
          x: v < 0 ? xa - 4 : xa + w + 4, y: by + 10.5,
          class: 'chart-value', 'text-anchor': v < 0 ? 'end' : 'start',
        }, root).textContent = fmtD(v, true);
      });
    });
    svg('line', { x1: zero, x2: zero, y1: top, y2: top + shown.length * rowH, class: 'axis' }, root);
    series.forEach((s, j) => {
      const ky = top + shown.length * rowH + 12 + j * 16;
      const r = svg('rect', { x: left, y: ky - 8, width: 12, height: 10, rx: 2, class: 'bar bar-' + s.key }, root);
      if (s.key === 'base') r.classList.add('key-base');
      svg('text', { x: left + 18, y: ky + 1, class: 'chart-key' }, root).textContent =
        s.label + ', $ per resident' + (s.key === 'base' ? ' (bars in the bloc colour)' : '');
    });
    root.setAttribute('aria-label', 'Bar chart, net per resident, ' + assumptionText() + ': ' + shown.map((x, k) =>
      x.b.name + ' baseline ' + fmtD(values[k].base, true) +
      (series.length > 1 ? ', scenario change ' + fmtD(values[k].delta, true) : '')).join('; '));
  }

  // ------------------------------------------------------------- county figures

  function renderCountySection() {
    const n = Object.keys(S.counties).length;
    const on = S.view === 'counties';
    const note = $('county-moves-note');
    note.hidden = !n;
    note.textContent = n ? plural(n, 'county move') + (n === 1 ? ' applies' : ' apply') + ' on the county graph ' +
      'only: the figures above are the state ledger’s, for whole states' +
      (on ? ' (the county view’s figures follow).' : '; open the county view (Map: Counties) to see them.') : '';
    if (!on) return;
    $('county-heading').textContent = 'County view: blocs drawn on counties, ' + assumptionText();
    const intro = $('county-note');
    intro.textContent = '';
    intro.append(document.createTextNode('Per bloc on the county graph (the 48 contiguous states and DC): county ' +
      'figures are their state’s apportioned by population ('), term('estimates', 'estimates', 'county-estimates'),
    document.createTextNode('). The state ledger above ignores county moves.'));
    const err = $('county-error');
    err.hidden = !countyError;
    err.textContent = countyError ? 'The county figures: ' + countyError : '';
    const table = $('county-table');
    table.tHead.textContent = '';
    table.tBodies[0].textContent = '';
    const warnings = $('county-warnings');
    warnings.textContent = '';
    const notes = $('county-notes');
    notes.textContent = '';
    $('county-scores').textContent = '';
    const plan = countyPlan;
    if (!plan) {
      if (!countyError) {
        warnings.appendChild(el('li', 'info', !counties.loaded ? 'Loading the county map…'
          : n ? 'The county figures need a second bloc that holds a state: with every state in one bloc the ' +
            'scenario has one bloc, whatever counties are moved out of it. Move a state into a second bloc.'
            : 'Move at least one state into a second bloc to compute the county figures.'));
      }
      return;
    }
    const blocs = S.blocs.map((b) => ({ b, r: plan.blocs.find((x) => x.bloc === b.name) })).filter((x) => x.r);
    table.tHead.appendChild(blocHeaderRow(blocs));
    const tbody = table.tBodies[0];
    const row = (field, label, cell) => {
      const tr = document.createElement('tr');
      tr.dataset.field = field;
      const th = document.createElement('th');
      th.scope = 'row';
      if (typeof label === 'string') th.textContent = label; else th.appendChild(label);
      tr.appendChild(th);
      for (const x of blocs) {
        const [text, value, cls] = cell(x.r);
        const td = el('td', 'num', text);
        td.dataset.bloc = x.b.name;
        td.dataset.field = field;
        if (value != null) td.dataset.value = String(value);
        if (cls) td.classList.add(cls);
        tr.appendChild(td);
      }
      tbody.appendChild(tr);
    };
    const labelled = (before, word, key, after, ctx) => {
      const span = el('span');
      span.appendChild(document.createTextNode(before));
      span.appendChild(term(word, key, ctx));
      if (after) span.appendChild(document.createTextNode(after));
      return span;
    };
    row('units', 'Counties', (r) => [fmtInt(r.units.length), r.units.length]);
    row('population', 'Population', (r) => [fmtInt(r.population), r.population]);
    row('net', labelled('', 'Net', 'net', ' (estimate)', 'county-net'), (r) => [fmtB(r.net_usd, true), r.net_usd]);
    row('net-per-capita', 'Net per resident (estimate)', (r) => [fmtD(r.net_per_capita_usd, true), r.net_per_capita_usd,
      r.net_per_capita_usd > 0 ? 'pos' : r.net_per_capita_usd < 0 ? 'neg' : null]);
    row('stranded', labelled('', 'Stranded voters', 'stranded', ' (' + plan.plan.year + ')', 'county-stranded'),
      (r) => [fmtInt(r.stranded_voters), r.stranded_voters]);
    row('stranded-share', 'Share of the bloc’s votes', (r) => {
      const v = r.total_votes ? r.stranded_voters / r.total_votes : null;
      return [fmtPct(v), v];
    });
    row('winner', 'Winner', (r) => [r.winner, null]);
    row('pieces', labelled('', 'Contiguous', 'contiguous', ' (pieces)', 'county-contiguous'), (r) =>
      [r.pieces === 1 ? 'yes' : 'no: ' + r.pieces + ' pieces', r.pieces, r.pieces === 1 ? null : 'warn']);
    for (const x of blocs) {
      if (x.r.pieces > 1) {
        const li = el('li', 'warn', x.b.name + ' is in ' + x.r.pieces + ' pieces on the county graph: it is not contiguous.');
        li.dataset.bloc = x.b.name;
        li.dataset.pieces = String(x.r.pieces);
        warnings.appendChild(li);
      }
    }
    const sc = plan.scores;
    $('county-scores').textContent = 'The plan: ' + fmtInt(sc.stranded_total) + ' stranded voters in all; the bloc ' +
      'furthest from an equal share of the population is ' + fmtPct(sc.max_pop_deviation) + ' off it; ' + fmtInt(sc.cut_edges) +
      ' borders between counties of different blocs; ' + plural(Object.keys(S.counties).length, 'county move') + '.';
    for (const t of plan.notes) notes.appendChild(el('li', null, t.charAt(0).toUpperCase() + t.slice(1) + '.'));
    if (lastMoved && counties.byFips.has(lastMoved)) {
      const u = counties.byFips.get(lastMoved);
      const b = S.blocs[countyBloc(lastMoved)];
      const r = plan.blocs.find((x) => x.bloc === b.name);
      $('county-status').textContent = unitName(u) + ' is now in ' + b.name + (r ? ': ' + fmtInt(r.population) +
        ' residents, ' + fmtD(r.net_per_capita_usd, true) + ' net per resident (estimates), ' +
        (r.pieces === 1 ? 'contiguous.' : r.pieces + ' pieces.') : '.');
      lastMoved = '';
    }
  }

  // ------------------------------------------------------------ income classes

  const incomeMoves = (r) => r.net_usd !== 0 || r.income_tax_saved_usd !== 0 || r.replacement_tax_usd !== 0;

  function renderIncome() {
    $('income-heading').textContent = 'Who gains by income class, ' + assumptionText();
    const note = $('income-note');
    note.textContent = '';
    note.append(document.createTextNode('Per tax return in each '), term('AGI class', 'agi', 'income-agi'),
      document.createTextNode(': the federal income tax saved minus the replacement taxes the states raise. ' +
        'Taxes only; withdrawn spending not replaced is not assigned to classes. '),
      term('Better off', 'better-off', 'income-better'), document.createTextNode(': the class gains on average.'));
    const empty = $('income-empty');
    const charts = $('income-charts');
    const byBloc = result ? result.income_by_bloc || [] : [];
    if (!result || !byBloc.some(incomeMoves)) {
      empty.hidden = false;
      charts.hidden = true;
      empty.textContent = !result
        ? (scenarioNote || 'No scenario yet.')
        : 'This scenario changes no one’s federal income tax and raises no replacement tax, so no income class ' +
          'gains or loses by taxes: its changes are in spending (see the blocs above).';
      return;
    }
    empty.hidden = true;
    charts.hidden = false;
    // The bloc: the one chosen, else the policy editor's, else the first that changes.
    const present = S.blocs.map((b, i) => ({ b, i, rows: byBloc.filter((r) => r.bloc === b.name) }))
      .filter((x) => x.rows.length);
    const moving = present.filter((x) => x.rows.some(incomeMoves));
    const pick = present.find((x) => x.i === S.incomeBloc) || moving.find((x) => x.i === S.edit) || moving[0];
    if (!pick) {
      // The answer is for blocs that have since been renamed: the new one is on its way.
      empty.hidden = false;
      charts.hidden = true;
      empty.textContent = 'Updating…';
      return;
    }
    const bsel = $('income-bloc');
    bsel.textContent = '';
    for (const x of present) {
      const o = el('option', null, x.b.name + (x.rows.some(incomeMoves) ? '' : ' (no change)'));
      o.value = String(x.i);
      bsel.appendChild(o);
    }
    bsel.value = String(pick.i);
    const rows = pick.rows.filter(incomeMoves).sort((a, b) => a.agi_class - b.agi_class);
    const returns = pick.rows.reduce((a, r) => a + r.returns, 0);
    const better = pick.rows.reduce((a, r) => a + r.returns_better_off, 0);
    const bsum = $('income-bloc-summary');
    bsum.dataset.share = String(returns ? better / returns : 0);
    bsum.textContent = rows.length
      ? pick.b.name + ': ' + fmtPct(returns ? better / returns : 0) + ' of its ' + fmtInt(returns) +
        ' tax returns are better off (' + (rows.length === pick.rows.length ? 'all ' + rows.length + ' classes change'
          : rows.length + ' of its ' + pick.rows.length + ' classes change') + ').'
      : 'Nothing changes for the taxes of ' + pick.b.name + '’s residents.';
    drawIncomeChart($('income-bloc-chart'), rows, pick.b.name, (r) => r.share_better_off);

    // The state: the one chosen, else the first of the bloc (by name) whose taxes change.
    const income = result.income || [];
    const changing = new Set(income.filter(incomeMoves).map((r) => r.state));
    const byName = geo.states.slice().sort((a, b) => a.name.localeCompare(b.name));
    const inBloc = (st) => blocOf(st.postal) === pick.i;
    let state = S.incomeState && geo.byPostal.has(S.incomeState) ? S.incomeState : '';
    if (!state) {
      const first = byName.find((st) => inBloc(st) && changing.has(st.postal)) || byName.find((st) => changing.has(st.postal));
      state = first ? first.postal : byName[0].postal;
    }
    const ssel = $('income-state');
    ssel.textContent = '';
    const groups = [['States whose taxes change', true], ['Other states', false]];
    for (const [label, changes] of groups) {
      const g = document.createElement('optgroup');
      g.label = label;
      for (const st of byName) {
        if (changing.has(st.postal) !== changes) continue;
        const o = el('option', null, st.name);
        o.value = st.postal;
        g.appendChild(o);
      }
      if (g.children.length) ssel.appendChild(g);
    }
    ssel.value = state;
    const srows = income.filter((r) => r.state === state && incomeMoves(r)).sort((a, b) => a.agi_class - b.agi_class);
    const summary = (result.income_summary || []).find((r) => r.state === state);
    const ssum = $('income-state-summary');
    ssum.dataset.share = summary ? String(summary.share_better_off) : '';
    ssum.textContent = srows.length && summary
      ? stateName(state) + ' (' + S.blocs[blocOf(state)].name + '): ' + fmtPct(summary.share_better_off) + ' of its ' +
        fmtInt(summary.returns) + ' tax returns are better off.'
      : 'Nothing changes for the taxes of ' + stateName(state) + '’s residents in this scenario.';
    drawIncomeChart($('income-state-chart'), srows, stateName(state), (r) => (r.better_off ? 1 : 0));
  }

  /** A chart's width in its own units: its container's in pixels, within 320–460. */
  function chartWidth(container) {
    const w = container ? container.clientWidth : 0;
    return w ? Math.max(320, Math.min(460, Math.round(w))) : 420;
  }

  /** Net per return by AGI class, bars from zero on a square-root scale; `better` gives each class's share better off. */
  function drawIncomeChart(root, rows, who, better) {
    root.textContent = '';
    root.toggleAttribute('hidden', !rows.length);
    if (!rows.length) return;
    // As wide as drawn, so that the text keeps its size on a phone.
    const W = chartWidth(root.parentNode);
    const labelW = 78;
    const shareW = 52;
    const top = 20;
    const rowH = 19;
    const values = rows.map((r) => r.net_per_return_usd);
    const t = (v) => Math.sign(v) * Math.sqrt(Math.abs(v));
    const lo = Math.min(0, ...values.map(t));
    const hi = Math.max(0, ...values.map(t));
    const pad = 70;
    const x0 = labelW + (lo < 0 ? pad : 4);
    const x1 = W - shareW - (hi > 0 ? pad : 4);
    const span = hi - lo || 1;
    const sx = (v) => x0 + (t(v) - lo) / span * (x1 - x0);
    const H = top + rows.length * rowH + 22;
    root.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    svg('text', { x: 0, y: 12, class: 'chart-key' }, root).textContent = 'AGI class';
    svg('text', { x: (x0 + x1) / 2, y: 12, class: 'chart-key', 'text-anchor': 'middle' }, root).textContent = 'Net per return';
    svg('text', { x: W, y: 12, class: 'chart-key', 'text-anchor': 'end' }, root).textContent = 'Better off';
    const zero = sx(0);
    rows.forEach((r, k) => {
      const y = top + k * rowH;
      const v = r.net_per_return_usd;
      svg('text', { x: 0, y: y + 12, class: 'chart-tick' }, root).textContent = r.agi_class_label;
      const xa = Math.min(sx(v), zero);
      const w = Math.max(Math.abs(sx(v) - zero), v === 0 ? 0 : 1);
      const bar = svg('rect', { x: xa, y: y + 3, width: w, height: 13, rx: 2, class: 'bar income-bar ' + (v > 0 ? 'gain' : 'loss') }, root);
      bar.dataset.class = String(r.agi_class);
      bar.dataset.value = String(v);
      bar.dataset.share = String(better(r));
      svg('text', {
        x: v < 0 ? xa - 4 : xa + w + 4, y: y + 13.5, class: 'chart-value', 'text-anchor': v < 0 ? 'end' : 'start',
      }, root).textContent = fmtD(v, true);
      svg('text', { x: W, y: y + 13.5, class: 'chart-value', 'text-anchor': 'end' }, root).textContent =
        r.returns_better_off != null ? fmtPct(r.share_better_off) : (r.better_off ? 'yes' : 'no');
    });
    svg('line', { x1: zero, x2: zero, y1: top, y2: top + rows.length * rowH, class: 'axis' }, root);
    svg('text', { x: 0, y: H - 5, class: 'chart-key' }, root).textContent =
      '$ per tax return; bar lengths on a square-root scale';
    root.setAttribute('aria-label', 'Bar chart, ' + who + ', net per tax return by AGI class, ' + assumptionText() + ': ' +
      rows.map((r) => r.agi_class_label + ' ' + fmtD(r.net_per_return_usd, true) +
        (r.returns_better_off != null ? ' (' + fmtPct(r.share_better_off) + ' better off)' : r.better_off ? ' (better off)' : ' (worse off)'))
        .join('; '));
  }

  // ------------------------------------------------------------------ ensemble

  let ensembleSeq = 0;
  const ensembleCache = new Map();  // graph + body -> promise of the answer

  const ENSEMBLE_TITLES = {
    stranded_total: 'Stranded voters',
    max_net_per_capita: 'Largest bloc net per resident',
    min_net_per_capita: 'Smallest bloc net per resident',
  };

  function ordinal(n) {
    const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : { 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] || 'th';
    return n + s;
  }

  function metricValue(name, v) {
    if (name === 'stranded_total') return fmtInt(v);
    if (name === 'cut_edges') return fmtInt(v);
    if (name === 'max_pop_deviation' || name === 'mean_homogeneity') return fmtPct(v);
    return fmtD(v, true);
  }
  function metricShort(name, v) {
    if (name === 'stranded_total') return fmtShortPeople(v);
    return metricValue(name, v);
  }

  /** The percentile in neutral words: "typical" between the 25th and 75th, else lower/higher than a share of the plans. */
  function percentileWords(name, p, plans) {
    const n = fmtInt(plans) + ' balanced contiguous plans';
    if (p >= 0.25 && p <= 0.75) return 'typical: ' + ordinal(Math.round(p * 100)) + ' percentile of the ' + n;
    const low = p < 0.25;
    const pct = Math.floor((low ? 1 - p : p) * 1000) / 10;
    const than = pct >= 100 ? 'all ' + n : NF1.format(pct).replace(/\.0$/, '') + '% of the ' + n;
    if (name === 'stranded_total') return (low ? 'fewer' : 'more') + ' stranded voters than ' + than;
    return (low ? 'lower' : 'higher') + ' than in ' + than;
  }

  async function refreshEnsemble() {
    if (!S.ensemble) return;
    const box = $('ensemble-body');
    const status = $('ensemble-status');
    const graph = S.view === 'counties' ? 'counties' : 'states';
    const my = ++ensembleSeq;
    box.setAttribute('aria-busy', 'true');
    const clear = () => {
      $('ensemble-error').hidden = true;
      $('ensemble-intro').textContent = '';
      $('ensemble-metrics').textContent = '';
      $('ensemble-other').hidden = true;
      $('ensemble-notes').textContent = '';
    };
    if (nonEmptyBlocs() < 2) {
      clear();
      status.classList.remove('visually-hidden');
      status.textContent = 'Move at least one state into a second bloc to compare the plan with the ensemble.';
      box.setAttribute('aria-busy', 'false');
      return;
    }
    if (graph === 'counties') {
      try { await loadCounties(); } catch (e) { box.setAttribute('aria-busy', 'false'); return; }
      if (my !== ensembleSeq) return;
    }
    const body = JSON.stringify(ensembleBody(graph));
    const key = graph + '\n' + body;
    let p = ensembleCache.get(key);
    if (!p) {
      if (ensembleCache.size > 64) ensembleCache.clear();
      p = getJson('/api/ensemble?graph=' + graph, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body,
      }).then((r) => r.body);
      ensembleCache.set(key, p);
      p.catch(() => ensembleCache.delete(key));
    }
    box.classList.add('pending');
    status.classList.remove('visually-hidden');
    status.textContent = 'Placing the plan among the ' + (graph === 'counties' ? 'county' : 'state') +
      ' graph’s ensemble… (the first use of an ensemble scores its plans: a moment)';
    try {
      const answer = await p;
      if (my !== ensembleSeq) return;
      renderEnsemble(answer, graph);
    } catch (e) {
      if (my !== ensembleSeq) return;
      clear();
      status.textContent = '';
      const err = $('ensemble-error');
      err.hidden = false;
      err.dataset.field = e.field || '';
      err.textContent = 'No comparison for this plan: ' + e.message + '.';
    }
    box.classList.remove('pending');
    box.setAttribute('aria-busy', 'false');
  }

  function renderEnsemble(a, graph) {
    $('ensemble-error').hidden = true;
    const meta = a.meta.ensemble || {};
    const opts = a.meta.options || {};
    const intro = $('ensemble-intro');
    intro.textContent = '';
    const text = (t) => intro.appendChild(document.createTextNode(t));
    const fy = meta.fiscal_year || a.meta.year;
    text('The ');
    intro.appendChild(term('ensemble', 'ensemble', 'ensemble-what'));
    text(' of the ' + (graph === 'counties' ? 'county' : 'state') + ' graph with ' + a.k + ' blocs (' +
      String(a.meta.file).replace(/^shipped:/, '') + '): ' + fmtInt(a.plans) + ' plans, each bloc ');
    intro.appendChild(term('contiguous', 'contiguous', 'ensemble-contiguous'));
    text(' and within ±' + NF1.format((meta.tol || 0) * 100).replace(/\.0$/, '') + '% of an equal share of the ' +
      'population; ' + (meta.chains || '?') + ' chains of ' + fmtInt(meta.steps || 0) + ' steps, every ' +
      ordinal(meta.every || 1) + ' plan kept, seed ' + meta.seed + '. FY' + fy + ' populations, ' + a.meta.year +
      ' votes; fiscal figures ' + (METHOD_WORDS[opts.method] || opts.method) + ', ' +
      (DEFICIT_WORDS[opts.deficit] || opts.deficit) + '.');
    const pageOptions = S.method !== opts.method || S.deficit !== opts.deficit ||
      ['interest', 'residual', 'corporate', 'procurement'].some((k) => S[k] !== DEFAULTS[k]);
    if (pageOptions || S.year !== fy) {
      text(' The ensemble is drawn with these; the assumptions chosen above do not apply to this comparison.');
    }
    text(' Each ');
    intro.appendChild(term('percentile', 'percentile', 'ensemble-percentile'));
    text(' is the share of the plans below this plan.');

    const box = $('ensemble-metrics');
    box.textContent = '';
    const words = [];
    for (const name of ENSEMBLE_BARS) {
      const m = a.metrics.find((x) => x.name === name);
      if (!m) continue;
      const fig = el('figure', 'pct-metric');
      fig.dataset.metric = name;
      fig.dataset.percentile = String(m.percentile);
      fig.dataset.plan = String(m.plan);
      fig.dataset.plans = String(a.plans);
      const said = percentileWords(name, m.percentile, a.plans);
      words.push(ENSEMBLE_TITLES[name] + ': ' + said);
      const cap = el('figcaption');
      cap.append(el('strong', null, ENSEMBLE_TITLES[name] + ': ' + metricValue(name, m.plan)),
        document.createTextNode(' — '), el('span', 'pct-words', said + '.'));
      fig.appendChild(cap);
      fig.appendChild(percentileBar(m, name));
      box.appendChild(fig);
    }
    box.appendChild(el('p', 'note', 'Bars: the ensemble from its lowest to its highest value; shaded, the middle 90% ' +
      'and the middle 50% of the plans; a line at the median; the marker is this plan.'));
    const other = $('ensemble-other');
    const list = other.querySelector('ul');
    list.textContent = '';
    for (const m of a.metrics) {
      if (ENSEMBLE_BARS.includes(m.name)) continue;
      const li = el('li');
      li.dataset.metric = m.name;
      li.dataset.percentile = String(m.percentile);
      li.dataset.plan = String(m.plan);
      const p = m.percentile;
      const where = p >= 0.25 && p <= 0.75 ? 'typical, ' + ordinal(Math.round(p * 100)) + ' percentile'
        : ordinal(Math.min(100, Math.floor(p * 100))) + ' percentile, ' + (p < 0.25 ? 'low' : 'high');
      li.append(el('span', 'other-label', m.label.charAt(0).toUpperCase() + m.label.slice(1) + ': '),
        el('strong', null, metricValue(m.name, m.plan)),
        document.createTextNode(' (median plan ' + metricValue(m.name, m.quantiles['50']) + '; ' + where + ')'));
      list.appendChild(li);
    }
    other.hidden = !list.children.length;
    const notes = $('ensemble-notes');
    notes.textContent = '';
    for (const t of a.notes) notes.appendChild(el('li', null, t.charAt(0).toUpperCase() + t.slice(1) + '.'));
    const moves = Object.keys(S.counties).length;
    if (graph === 'states' && moves) {
      notes.appendChild(el('li', null, (moves === 1 ? 'The county move is' : 'The ' + plural(moves, 'county move') + ' are') +
        ' not counted on the state graph: ' +
        'open the county view (Map: Counties) to compare with the county ensemble.'));
    }
    // For screen readers (the captions say the same on screen).
    $('ensemble-status').classList.add('visually-hidden');
    $('ensemble-status').textContent = words.join('; ') + '.';
  }

  /** One metric: the ensemble's range, its 5–95 and 25–75 bands, the median, and the plan's marker. */
  function percentileBar(m, name) {
    const root = svg('svg', { class: 'chart pct-bar', role: 'img' });
    const W = chartWidth($('ensemble-metrics'));
    const H = 58;
    const q = m.quantiles;
    const lo = Math.min(q['0'], m.plan);
    const hi = Math.max(q['100'], m.plan);
    const span = hi - lo || Math.abs(hi) || 1;
    const left = 10;
    const right = W - 10;
    const sx = (v) => left + (v - lo) / span * (right - left);
    root.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    const y = 26;
    svg('rect', { x: sx(q['0']), y: y + 4, width: Math.max(1, sx(q['100']) - sx(q['0'])), height: 6, class: 'pct-range' }, root);
    svg('rect', { x: sx(q['5']), y: y + 1, width: Math.max(1, sx(q['95']) - sx(q['5'])), height: 12, class: 'pct-90' }, root);
    svg('rect', { x: sx(q['25']), y, width: Math.max(1, sx(q['75']) - sx(q['25'])), height: 14, class: 'pct-50' }, root);
    svg('line', { x1: sx(q['50']), x2: sx(q['50']), y1: y - 2, y2: y + 16, class: 'pct-median' }, root);
    const px = sx(m.plan);
    svg('line', { x1: px, x2: px, y1: y - 6, y2: y + 18, class: 'pct-plan' }, root);
    svg('path', { d: 'M' + (px - 5) + ' ' + (y - 12) + 'h10l-5 6z', class: 'pct-plan-mark' }, root);
    const anchor = px < 60 ? 'start' : px > W - 60 ? 'end' : 'middle';
    svg('text', { x: px, y: y - 14, class: 'chart-value', 'text-anchor': anchor }, root).textContent =
      'this plan ' + metricShort(name, m.plan);
    const lowText = 'lowest ' + metricShort(name, q['0']);
    const highText = 'highest ' + metricShort(name, q['100']);
    if (sx(q['100']) - sx(q['0']) >= 170) {
      svg('text', { x: sx(q['0']), y: H - 3, class: 'chart-tick', 'text-anchor': 'start' }, root).textContent = lowText;
      svg('text', { x: sx(q['100']), y: H - 3, class: 'chart-tick', 'text-anchor': 'end' }, root).textContent = highText;
    } else {
      // A narrow range (the plan far outside it): one label, on the side with room.
      const mid = (sx(q['0']) + sx(q['100'])) / 2;
      const side = mid > W / 2 ? { x: sx(q['100']), a: 'end' } : { x: sx(q['0']), a: 'start' };
      svg('text', { x: side.x, y: H - 3, class: 'chart-tick', 'text-anchor': side.a }, root).textContent =
        'plans from ' + metricShort(name, q['0']) + ' to ' + metricShort(name, q['100']);
    }
    root.setAttribute('aria-label', ENSEMBLE_TITLES[name] + ' in the ensemble: lowest ' + metricShort(name, q['0']) +
      ', 5th percentile ' + metricShort(name, q['5']) + ', 25th ' + metricShort(name, q['25']) + ', median ' +
      metricShort(name, q['50']) + ', 75th ' + metricShort(name, q['75']) + ', 95th ' + metricShort(name, q['95']) +
      ', highest ' + metricShort(name, q['100']) + '; this plan ' + metricShort(name, m.plan) + '.');
    return root;
  }

  // ------------------------------------------------------------ over the years

  /** What the chart over the years shows: S.series, else the bloc in the policy editor. */
  function seriesChoice() {
    if (S.series && (geo.byPostal.has(S.series) || (S.series[0] === 'b' && statesIn(Number(S.series.slice(1))).length))) {
      return S.series;
    }
    if (statesIn(S.edit).length) return 'b' + S.edit;
    const first = S.blocs.findIndex((_, i) => statesIn(i).length);
    return 'b' + first;
  }

  /** Net per resident by year for a state, or for a bloc summed from its states. */
  function seriesLine(choice) {
    if (!series) return null;
    if (geo.byPostal.has(choice)) {
      const row = series.states.find((s) => s.state === choice);
      return row ? { label: row.name, points: row.years.map((y) => ({ year: y.year, value: y.net_per_capita_usd })) } : null;
    }
    const i = Number(choice.slice(1));
    const members = new Set(statesIn(i));
    const points = series.years.map((year) => {
      let net = 0;
      let pop = 0;
      for (const s of series.states) {
        if (!members.has(s.state)) continue;
        const y = s.years.find((v) => v.year === year);
        if (y) { net += y.net_usd; pop += y.population; }
      }
      return { year, value: pop ? net / pop : null };
    }).filter((p) => p.value != null);
    return { label: S.blocs[i].name, points };
  }

  function renderSeries() {
    const sel = $('series-of');
    const choice = seriesChoice();
    sel.textContent = '';
    const blocs = document.createElement('optgroup');
    blocs.label = 'Blocs';
    S.blocs.forEach((b, i) => {
      if (!statesIn(i).length) return;
      const o = el('option', null, b.name);
      o.value = 'b' + i;
      blocs.appendChild(o);
    });
    const states = document.createElement('optgroup');
    states.label = 'States';
    for (const s of geo.states.slice().sort((a, b) => a.name.localeCompare(b.name))) {
      const o = el('option', null, s.name);
      o.value = s.postal;
      states.appendChild(o);
    }
    sel.append(blocs, states);
    sel.value = choice;
    $('series-heading').textContent = 'Net per resident over the years, ' + assumptionText(false);

    const root = $('series-chart');
    root.textContent = '';
    const line = seriesLine(choice);
    if (!line || !series) { $('series-note').textContent = ''; return; }
    const national = { label: 'United States', points: series.national.map((y) => ({ year: y.year, value: y.net_per_capita_usd })) };
    const W = 420;
    const H = 200;
    const m = { left: 52, right: 26, top: 14, bottom: 46 };
    const years = series.years;
    const all = line.points.concat(national.points).map((p) => p.value).concat([0]);
    let lo = Math.min(...all);
    let hi = Math.max(...all);
    if (lo === hi) hi = lo + 1;
    const step = niceCeil((hi - lo) / 4);
    lo = Math.floor(lo / step) * step;
    hi = Math.ceil(hi / step) * step;
    const y0 = years[0];
    const y1 = years[years.length - 1];
    const sx = (year) => m.left + (y1 === y0 ? 0.5 : (year - y0) / (y1 - y0)) * (W - m.left - m.right);
    const sy = (v) => m.top + (hi - v) / (hi - lo) * (H - m.top - m.bottom);
    root.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    for (let v = lo; v <= hi + step / 2; v += step) {
      svg('line', { x1: m.left, x2: W - m.right, y1: sy(v), y2: sy(v), class: v === 0 ? 'axis zero' : 'grid' }, root);
      svg('text', { x: m.left - 6, y: sy(v) + 4, class: 'chart-tick', 'text-anchor': 'end' }, root).textContent =
        v === 0 ? '$0' : fmtShortD(v);
    }
    // The fiscal year the rest of the page shows.
    svg('rect', { x: sx(S.year) - 9, y: m.top, width: 18, height: H - m.top - m.bottom, class: 'year-band' }, root);
    for (const year of years) {
      svg('text', { x: sx(year), y: H - m.bottom + 16, class: 'chart-tick' + (year === S.year ? ' current' : ''), 'text-anchor': 'middle' }, root)
        .textContent = 'FY' + year;
    }
    const draw = (s, cls) => {
      for (let k = 1; k < s.points.length; k++) {
        const a = s.points[k - 1];
        const b = s.points[k];
        // Years missing from the data: a dashed stretch, not a drawn line.
        svg('line', {
          x1: sx(a.year), y1: sy(a.value), x2: sx(b.year), y2: sy(b.value),
          class: 'series-line ' + cls + (b.year - a.year > 1 ? ' gap' : ''),
        }, root);
      }
      for (const p of s.points) {
        const c = svg('circle', { cx: sx(p.year), cy: sy(p.value), r: p.year === S.year ? 4.5 : 3, class: 'series-point ' + cls }, root);
        c.dataset.year = String(p.year);
        c.dataset.value = String(p.value);
      }
    };
    draw(national, 'national');
    draw(line, 'selected');
    const now = line.points.find((p) => p.year === S.year);
    if (now) {
      const x = sx(now.year);
      const anchor = x > W - 80 ? 'end' : 'start';
      svg('text', { x: anchor === 'end' ? x - 8 : x + 8, y: sy(now.value) - 8, class: 'chart-value', 'text-anchor': anchor }, root)
        .textContent = fmtD(now.value, true);
    }
    const ky = H - 12;
    svg('line', { x1: m.left, x2: m.left + 18, y1: ky - 4, y2: ky - 4, class: 'series-line selected' }, root);
    svg('text', { x: m.left + 24, y: ky, class: 'chart-key' }, root).textContent = line.label;
    const kx = m.left + 40 + Math.min(170, line.label.length * 6.5);
    svg('line', { x1: kx, x2: kx + 18, y1: ky - 4, y2: ky - 4, class: 'series-line national' }, root);
    svg('text', { x: kx + 24, y: ky, class: 'chart-key' }, root).textContent = 'United States';
    root.setAttribute('aria-label', 'Line chart, net per resident by fiscal year, ' + assumptionText(false) + '. ' +
      line.label + ': ' + line.points.map((p) => 'FY' + p.year + ' ' + fmtD(p.value, true)).join(', ') +
      '. United States: ' + national.points.map((p) => 'FY' + p.year + ' ' + fmtD(p.value, true)).join(', ') + '.');
    const gaps = [];
    for (let k = 1; k < years.length; k++) {
      for (let y = years[k - 1] + 1; y < years[k]; y++) gaps.push('FY' + y);
    }
    $('series-note').textContent = 'Dollars of each year (not adjusted for inflation).' +
      (gaps.length ? ' No data for ' + listJoin(gaps) + ': the dashed stretch joins the years either side.' : '') +
      (choice[0] === 'b' ? ' A bloc’s figure adds up its states’ nets and residents.' : '');
  }

  function renderBudget() {
    const tbody = $('federal-budget').tBodies[0];
    tbody.textContent = '';
    const fb = result ? result.federal_budget : null;
    $('budget-heading').textContent = 'Federal budget after the scenario, ' + assumptionText();
    const rows = [
      ['receipts', 'Receipts', 'receipts_before_usd', 'receipts_after_usd'],
      ['outlays', 'Outlays', 'outlays_before_usd', 'outlays_after_usd'],
      ['deficit', 'Deficit', 'deficit_before_usd', 'deficit_after_usd'],
    ];
    for (const [field, label, before, after] of rows) {
      const tr = document.createElement('tr');
      tr.dataset.field = field;
      const th = el('th', null, label);
      th.scope = 'row';
      tr.appendChild(th);
      const vals = fb ? [fb[before], fb[after], fb[after] - fb[before]] : [null, null, null];
      vals.forEach((v, j) => {
        const td = el('td', 'num', j === 2 ? fmtB(v, true) : fmtB(v));
        if (v != null) td.dataset.value = String(v);
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    }
    const single = (field, label, text) => {
      const tr = document.createElement('tr');
      tr.dataset.field = field;
      const th = el('th', null, label);
      th.scope = 'row';
      const td = el('td', 'num', text);
      td.colSpan = 3;
      tr.append(th, td);
      tbody.appendChild(tr);
    };
    if (fb && fb.spending_cut_usd) single('spending-cut', 'Other spending cut', fmtB(fb.spending_cut_usd));
    if (fb && fb.deficit_change_per_resident_usd) {
      single('borrowing-per-resident', 'New borrowing per US resident (charged to no bloc)',
        fmtD(fb.deficit_change_per_resident_usd, true));
    }
  }

  function announce() {
    let text;
    const base = baseline();
    if (!result) {
      text = scenarioNote || 'No scenario.';
    } else {
      const i = S.edit;
      const b = S.blocs[i];
      const s = b ? scenarioBloc(b.name) : null;
      const parts = [];
      if (s) {
        parts.push(b.name + ': ' + plural(base[i].states.length, 'state') + ', ' + fmtInt(s.population) +
          ' residents; net change ' + fmtB(s.net_delta_usd, true) + ' (' +
          fmtD(s.net_delta_per_resident_usd, true) + ' per resident).');
      }
      parts.push('Federal deficit ' + fmtB(result.federal_budget.deficit_before_usd) + ' before, ' +
        fmtB(result.federal_budget.deficit_after_usd) + ' after.');
      text = parts.join(' ');
    }
    if ($('status').textContent !== text) $('status').textContent = text;
  }

  // ------------------------------------------------------------- about dialog

  async function openAbout() {
    const dialog = $('about-dialog');
    const method = $('about-method');
    method.textContent = '';
    const para = (text) => method.appendChild(el('p', null, text));
    para('fedsplit attributes the federal taxes of each fiscal year to the states whose residents pay them, and ' +
      'federal spending to the states where it is located, then reconciles both to the national budget totals. ' +
      'Net = spending received − taxes paid.');
    para('The attribution method says where spending is counted: flow counts it where it lands (wages, contracts, ' +
      'benefits, grants); benefit also shares national public goods, net interest and the unlocated residual per ' +
      'resident. The deficit treatment says whether and how the gap between spending and taxes is charged back to ' +
      'the states. Neither choice is the right one; the page shows what each implies.');
    para('Scenarios change the baseline: a bloc’s residents pay a different federal income tax, federal programs ' +
      'are withdrawn or moved to the states, or each bloc becomes a country with a share of public goods and of the ' +
      'debt. Figures are changes from the baseline with the same assumptions.');
    para('Grades: A administrative per-state amount, B close indicator, C proxy; a key carried from an earlier ' +
      'year is graded a letter lower. The full method is in docs/METHODOLOGY.md in the fedsplit source; the same ' +
      'figures come from the command line: fedsplit report, fedsplit ledger, fedsplit explain XX and ' +
      'fedsplit scenario FILE.');
    if (!dialog.open) dialog.showModal();
    const list = $('sources-list');
    list.textContent = 'Loading…';
    try {
      const answer = await cachedJson('/api/sources?year=' + S.year);
      renderSources(answer);
    } catch (e) {
      list.textContent = 'Could not load the sources: ' + e.message;
    }
  }

  function renderSources(answer) {
    const list = $('sources-list');
    list.textContent = '';
    $('sources-note').textContent = 'Every input of the FY' + S.year + ' dataset (' + plural(answer.columns.length, 'column') +
      '): publisher, table, year and units; “carried” marks a figure taken from an earlier year.';
    const byTable = new Map();
    for (const c of answer.columns) {
      if (!byTable.has(c.table)) byTable.set(c.table, []);
      byTable.get(c.table).push(c);
    }
    for (const [name, columns] of byTable) {
      const section = el('section', 'source-table');
      section.appendChild(el('h4', null, name.replace(/_/g, ' ')));
      const ul = el('ul');
      for (const c of columns) {
        const li = el('li');
        li.appendChild(el('code', null, c.column));
        li.appendChild(document.createTextNode(': ' + c.publisher + ', ' + c.source_table +
          (c.year ? ' (' + c.year + ')' : '') + '; ' + c.units +
          (c.carried_from ? '; carried from the FY' + c.carried_from + ' data' : '') + '.'));
        if (c.derivation) {
          const det = el('details');
          det.append(el('summary', null, 'Derivation'), el('p', null, c.derivation));
          li.appendChild(det);
        }
        ul.appendChild(li);
      }
      section.appendChild(ul);
      list.appendChild(section);
    }
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
    // Further tables, each after a blank line with its own header.
    const table = (cols, rows) => {
      lines.push('', cols.join(','));
      for (const r of rows) lines.push(cols.map((c) => csvField(r[c])).join(','));
    };
    if (result && result.income) {
      table(['state', 'agi_class', 'agi_class_label', 'returns', 'income_tax_saved_usd', 'replacement_tax_usd',
        'net_usd', 'net_per_return_usd', 'better_off'], result.income);
    }
    if (result && result.income_by_bloc) {
      table(['bloc', 'agi_class', 'agi_class_label', 'returns', 'returns_better_off', 'share_better_off',
        'income_tax_saved_usd', 'replacement_tax_usd', 'net_usd', 'net_per_return_usd'], result.income_by_bloc);
    }
    if (S.view === 'counties' && countyPlan) {
      table(['county_graph_bloc', 'counties', 'population', 'net_usd', 'net_per_capita_usd', 'dem_votes', 'rep_votes',
        'total_votes', 'winner', 'stranded_voters', 'homogeneity', 'pieces'],
      countyPlan.blocs.map((b) => ({ ...b, county_graph_bloc: b.bloc, counties: b.units.length })));
      table(['county_fips', 'moved_to_bloc'], countyPlan.county_moves.map(([f, b]) => ({ county_fips: f, moved_to_bloc: b })));
    }
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

  function downloadCsv() { download('fedsplit-blocs-fy' + S.year + '.csv', 'text/csv', buildCsv()); }
  function downloadJson() { if (resultText) download('fedsplit-scenario-fy' + S.year + '.json', 'application/json', resultText); }

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
    try {
      const [health, map, examples] = await Promise.all([
        getJson('/api/health'), getJson('/api/map'), getJson('/api/examples'),
      ]);
      data.years = health.body.years.slice();
      data.defaultYear = health.body.fiscal_year;
      data.examples = examples.body;
      $('dataset-meta').textContent = 'fedsplit ' + health.body.version + ' · FY' + data.years.join(', FY') +
        ' data · dataset ' + String(health.body.dataset_sha256).slice(0, 12);
      $('dataset-meta').title = 'FY' + data.defaultYear + ' dataset sha256 ' + health.body.dataset_sha256;
      for (const y of data.years.slice().reverse()) {
        const o = el('option', null, 'FY' + y + (y === data.defaultYear ? ' (latest)' : ''));
        o.value = String(y);
        $('year').appendChild(o);
      }
      buildMap(map.body);
      buildExampleButtons();
    } catch (e) {
      showError('Could not load the page’s data: ' + e.message);
      setBusy(false);
      return;
    }
    bindControls();
    S = fromQuery(location.search);
    // The address always names the year, so that a link keeps its figures when a new year ships.
    if (!/[?&]year=/.test(location.search)) history.replaceState(null, '', '?' + toQuery());
    syncControls();
    renderBlocList();
    changed(false);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
