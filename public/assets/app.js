// The landing page: a working example built only from the public API and widget.js.
// State lives in the URL (?indicator=&year=&shape=&lep=) so any view can be shared.
(() => {
  const $ = (s) => document.querySelector(s);
  const params = new URLSearchParams(location.search);
  const state = {
    indicator: params.get('indicator') || 'enterprise-birth-rate',
    year: params.get('year') || '',
    shape: params.get('shape') === 'boundaries' ? 'boundaries' : 'hex',
    lep: (params.get('lep') || '').toUpperCase(),
  };
  const map = $('#map');
  const profile = $('#profile');

  async function json(path) {
    const r = await fetch(path, { headers: { Accept: 'application/json' } });
    const body = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error(body.detail || `${r.status} from ${path}`);
    return body;
  }

  function save() {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(state)) if (v) p.set(k, v);
    history.replaceState(null, '', `?${p}`);
  }

  function option(value, text, selected) {
    const o = document.createElement('option');
    o.value = value;
    o.textContent = text;
    o.selected = selected;
    return o;
  }

  async function loadIndicators() {
    const list = await json('/v1/indicators?limit=500');
    // Only indicators with values on the 2021 LEPs can be mapped.
    const mapped = list.data
      .filter((i) => i.latestYear !== null)
      .sort((a, b) => a.title.localeCompare(b.title));
    if (!mapped.some((i) => i.id === state.indicator)) state.indicator = mapped[0]?.id || '';
    $('#indicator').replaceChildren(...mapped.map((i) => option(i.id, i.title, i.id === state.indicator)));
    await loadYears();
  }

  async function loadYears() {
    const i = await json(`/v1/indicators/${encodeURIComponent(state.indicator)}`);
    // Only years the map can draw: every 2021 LEP has a value (any other year is a 404).
    const years = [...i.rankedYears].reverse();
    if (!years.includes(Number(state.year))) state.year = String(years[0] ?? '');
    $('#year').disabled = years.length === 0;
    $('#year').replaceChildren(
      ...(years.length
        ? years.map((y) => option(String(y), String(y), String(y) === state.year))
        : [option('', 'no year with all 38 LEPs', true)]),
    );
    draw();
  }

  function draw() {
    map.setAttribute('shape', state.shape);
    if (state.year) map.setAttribute('year', state.year);
    else map.removeAttribute('year');
    map.setAttribute('indicator', state.indicator);
    save();
  }

  function choose(code, name) {
    state.lep = code;
    profile.hidden = false;
    profile.setAttribute('code', code);
    map.setAttribute('selected', code);
    $('#pick').textContent = name ? `${name} is selected.` : '';
    const links = $('#links');
    links.hidden = false;
    links.innerHTML = '';
    for (const [href, text] of [
      [`/v1/leps/${code}/profile`, 'Full profile (JSON)'],
      [`/embed/leps/${code}`, 'Embed this card'],
      [`/embed/areas/${code}/investments`, 'Innovate UK investment'],
    ]) {
      const a = document.createElement('a');
      a.href = href;
      a.textContent = text;
      links.append(a, document.createTextNode(' · '));
    }
    links.lastChild.remove();
    save();
  }

  $('#indicator').addEventListener('change', (e) => {
    state.indicator = e.target.value;
    state.year = '';
    loadYears().catch(show);
  });
  $('#year').addEventListener('change', (e) => {
    state.year = e.target.value;
    draw();
  });
  for (const r of document.querySelectorAll('input[name=shape]')) {
    r.checked = r.value === state.shape;
    r.addEventListener('change', (e) => {
      state.shape = e.target.value;
      draw();
    });
  }
  map.addEventListener('lep-select', (e) => choose(e.detail.code, e.detail.name));

  $('#search').addEventListener('submit', async (e) => {
    e.preventDefault();
    const out = $('#results');
    out.textContent = 'Searching…';
    try {
      const r = await json(`/v1/search?limit=8&q=${encodeURIComponent($('#q').value)}`);
      out.replaceChildren();
      if (!r.results.length) out.textContent = 'Nothing found. Try a postcode or a district name.';
      for (const res of r.results) {
        const lep = res.type === 'lep' ? { code: res.code, name: res.name } : res.leps[0];
        const li = document.createElement('li');
        const b = document.createElement('button');
        b.type = 'button';
        b.textContent = `${res.name} (${res.type})${lep && res.type !== 'lep' ? ` → ${lep.name}` : ''}`;
        if (lep) b.addEventListener('click', () => choose(lep.code, lep.name));
        else b.disabled = true;
        li.append(b);
        out.append(li);
      }
    } catch (err) {
      out.textContent = err.message;
    }
  });

  function show(err) {
    $('#pick').textContent = err.message;
  }

  json('/v1/meta')
    .then((m) => {
      $('#dataset').textContent =
        `Dataset ${m.dataset.version}${m.dataset.isSample ? ' — SAMPLE data, not the full dataset' : ''}.`;
    })
    .catch(show);
  loadIndicators().catch(show);
  if (state.lep) choose(state.lep, '');
})();
