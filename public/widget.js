/*
 * innovation-observatory widgets: <lep-profile code="E37000015"> and
 * <lep-indicator-map indicator="enterprise-birth-rate" year="2021" shape="hex|boundaries">.
 * Each renders in its own shadow DOM from the public JSON API of the server this script came
 * from (CORS is open), so a host page needs only:
 *   <script src="https://…/widget.js" defer></script>
 * The map fires a `lep-select` event ({detail: {code, name}}, bubbles out of the shadow root) when
 * a LEP is clicked or chosen with Enter/Space. No other host is contacted.
 */
(() => {
  const here = document.currentScript?.src;
  const API = here ? new URL(here).origin : location.origin;
  const cache = new Map();

  /** GET JSON from the API once per URL per page. */
  function get(path) {
    if (!cache.has(path)) {
      cache.set(
        path,
        fetch(API + path, { headers: { Accept: 'application/json' } }).then(async (r) => {
          const body = await r.json().catch(() => ({}));
          if (!r.ok) throw new Error(body.detail || `${r.status} from ${path}`);
          return body;
        }),
      );
    }
    return cache.get(path);
  }

  const esc = (s) =>
    String(s ?? '').replace(
      /[&<>"']/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
    );

  function num(v) {
    if (v === null || v === undefined || !Number.isFinite(v)) return '–';
    const a = Math.abs(v);
    const sig = (x) => Number(x.toPrecision(3)).toLocaleString('en-GB', { maximumFractionDigits: 6 });
    if (a >= 1e9) return `${sig(v / 1e9)}bn`;
    if (a >= 1e6) return `${sig(v / 1e6)}m`;
    if (a >= 1e4) return Math.round(v).toLocaleString('en-GB');
    return sig(v);
  }

  const CSS = `:host([hidden]){display:none}
:host{display:block;container-type:inline-size;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1a1a1a;max-width:100%}
.w{border:1px solid #d6d6d6;border-radius:6px;padding:12px 14px;background:#fff}
h2{font-size:1.2rem;margin:0 0 2px;line-height:1.25}
.k,.u,.n,.f{color:#4d4d4d}.k{margin:0 0 8px;font-size:.875rem}
.r{padding:6px 0;border-top:1px solid #d6d6d6}
dl{margin:0}dt{font-size:.9375rem}dd{margin:0}
@container (min-width:440px){.r{display:flex;justify-content:space-between;align-items:baseline;gap:12px}dd{text-align:right;flex:0 0 auto;max-width:55%}}
.v{font-weight:700}.u,.n{font-size:.8125rem}.n{display:block}
.f{font-size:.75rem;margin:8px 0 0;padding-top:6px;border-top:1px solid #d6d6d6}
svg{display:block;width:100%;height:auto}
.a{cursor:pointer;outline:none}.a:focus path,.a:hover path{stroke:#1a1a1a;stroke-width:2.5}
.sel path{stroke:#1a1a1a;stroke-width:3}
.lg{display:flex;flex-wrap:wrap;gap:4px 12px;margin:6px 0 0;padding:0;list-style:none;font-size:.8125rem}
.lg svg{display:inline-block;width:14px;height:12px;margin-right:4px;vertical-align:-1px}
.info{min-height:1.5em;font-size:.9375rem;margin:6px 0 0}
.err{color:#8a1c1c}`;

  /** A shadow root showing `html` inside the widget frame. */
  function paint(el, html) {
    const root = el.shadowRoot || el.attachShadow({ mode: 'open' });
    root.innerHTML = `<style>${CSS}</style><div class="w" part="frame">${html}</div>`;
    return root;
  }

  const datasetLine = (meta) =>
    meta?.dataset
      ? `Dataset ${esc(meta.dataset.version)}${meta.dataset.isSample ? ' (SAMPLE data)' : ''}`
      : '';

  class LepProfile extends HTMLElement {
    static get observedAttributes() {
      return ['code'];
    }
    connectedCallback() {
      this.load();
    }
    attributeChangedCallback() {
      if (this.isConnected) this.load();
    }
    async load() {
      const code = (this.getAttribute('code') || '').trim().toUpperCase();
      if (!code) {
        paint(this, '<p>Set the code attribute to a LEP code, e.g. code="E37000015".</p>');
        return;
      }
      paint(this, '<p aria-busy="true">Loading…</p>');
      try {
        const [leps, meta] = await Promise.all([get('/v1/leps'), get('/v1/meta')]);
        const lep = leps.data.find((l) => l.code === code);
        if (!lep) throw new Error(`${code || 'No code'} is not one of the 38 LEPs of 2021.`);
        const rows = lep.headlines
          .map(
            (v) =>
              `<div class="r"><dt>${esc(v.indicator.title)}</dt><dd><span class="v">${v.suppressed ? 'suppressed' : num(v.value)}</span> <span class="u">${v.suppressed ? '' : esc(v.indicator.unit)}</span><span class="n">${v.rank ? `rank ${v.rank} of ${v.of} · ` : ''}${v.year}</span></dd></div>`,
          )
          .join('');
        const sources = [...new Set(lep.headlines.map((v) => v.source.id))].join(', ');
        paint(
          this,
          `<h2>${esc(lep.name)}</h2><p class="k">Local Enterprise Partnership (2021) · ${lep.districts} districts</p>` +
            `<dl aria-label="Headline figures for ${esc(lep.name)}">${rows}</dl>` +
            `<p class="f">Sources: ${esc(sources)} (see ${esc(API)}/v1/meta). ${datasetLine(meta)}</p>`,
        );
      } catch (e) {
        paint(this, `<p class="err" role="alert">${esc(e.message)}</p>`);
      }
    }
  }

  /** Black or white text, whichever contrasts more with a #rrggbb fill (WCAG luminance). */
  function ink(fill) {
    const lin = (i) => {
      const c = Number.parseInt(fill.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    const l = 0.2126 * lin(1) + 0.7152 * lin(3) + 0.0722 * lin(5);
    return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? '#000' : '#fff';
  }

  /** Short unique hex labels: initials ("Greater Manchester" → "GM"), three letters for one word. */
  function shortLabels(names) {
    const words = names.map((n) =>
      n
        .replace(/[,()-]/g, ' ')
        .split(/\s+/)
        .filter((w) => w && !['and', 'of', 'the', '&', 'for'].includes(w.toLowerCase())),
    );
    const label = (ws, extra) =>
      ws.length === 1
        ? ws[0].slice(0, 3 + extra)
        : ws[0].slice(0, 1 + extra) +
          ws
            .slice(1)
            .map((w) => w[0].toUpperCase())
            .join('');
    const out = words.map((ws) => label(ws, 0));
    for (let extra = 1; extra < 6; extra++) {
      const seen = out.map((l) => out.filter((m) => m === l).length > 1);
      if (!seen.includes(true)) break;
      seen.forEach((dup, i) => {
        if (dup) out[i] = label(words[i], extra);
      });
    }
    return out.map((l) => l.slice(0, 5));
  }

  /** Pointy-topped hexes, odd-r or even-r offset rows, r growing north (HexJSON convention). */
  function hexPaths(hexes, layout, width) {
    const odd = layout === 'odd-r';
    const cells = Object.entries(hexes);
    const xOf = (h) => h.q + ((Math.abs(h.r) % 2 === 1) === odd ? 0.5 : 0);
    const xs = cells.map(([, h]) => xOf(h));
    const rs = cells.map(([, h]) => h.r);
    const minX = Math.min(...xs) - 0.5;
    const maxX = Math.max(...xs) + 0.5;
    const maxR = Math.max(...rs);
    const R = 1 / Math.sqrt(3);
    const row = Math.sqrt(3) / 2;
    const w = width / (maxX - minX);
    const height = ((maxR - Math.min(...rs)) * row + 2 * R) * w;
    const p = (v) => Math.round(v * 10) / 10;
    const areas = cells.map(([code, h]) => {
      const cx = (xOf(h) - minX) * w;
      const cy = ((maxR - h.r) * row + R) * w;
      const r = R * w;
      const pts = [0, 1, 2, 3, 4, 5].map((i) => {
        const a = (Math.PI / 3) * i - Math.PI / 2;
        return `${p(cx + r * Math.cos(a))} ${p(cy + r * Math.sin(a))}`;
      });
      return { code, props: h, d: `M${pts.join('L')}Z`, cx: p(cx), cy: p(cy), w };
    });
    const labels = areas.length <= 60 ? shortLabels(areas.map((a) => a.props.name || a.code)) : [];
    areas.forEach((a, i) => {
      a.label = labels[i];
    });
    return { areas, height };
  }

  /** Equirectangular with cos(mid-latitude), fitted to `width`. */
  function geoPaths(features, width) {
    let [w, s, e, n] = [180, 90, -180, -90];
    const polys = (g) => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);
    for (const f of features)
      for (const poly of polys(f.geometry))
        for (const [x, y] of poly[0]) {
          w = Math.min(w, x);
          s = Math.min(s, y);
          e = Math.max(e, x);
          n = Math.max(n, y);
        }
    const k = Math.cos(((s + n) / 2) * (Math.PI / 180));
    const f = width / ((e - w) * k);
    const areas = features.map((ft) => {
      let d = '';
      for (const poly of polys(ft.geometry))
        for (const ring of poly) {
          let last = '';
          const pts = [];
          for (const [x, y] of ring) {
            const pt = `${Math.round((x - w) * k * f)} ${Math.round((n - y) * f)}`;
            if (pt !== last) pts.push(pt);
            last = pt;
          }
          if (pts.length > 2) d += `M${pts.join('L')}Z`;
        }
      return { code: ft.properties.code, props: ft.properties, d };
    });
    return { areas, height: (n - s) * f };
  }

  class LepIndicatorMap extends HTMLElement {
    static get observedAttributes() {
      return ['indicator', 'year', 'shape', 'selected'];
    }
    connectedCallback() {
      this.load();
    }
    attributeChangedCallback(name) {
      if (!this.isConnected) return;
      if (name === 'selected') this.mark();
      else this.load();
    }
    async load() {
      const id = (this.getAttribute('indicator') || '').trim();
      const year = (this.getAttribute('year') || '').trim();
      const hex = (this.getAttribute('shape') || 'hex') !== 'boundaries';
      this.ticket = (this.ticket || 0) + 1;
      const ticket = this.ticket;
      paint(this, '<p aria-busy="true">Loading map…</p>');
      try {
        if (!id) throw new Error('Set the indicator attribute, e.g. indicator="enterprise-birth-rate".');
        const q = `format=${hex ? 'hexjson' : 'geojson'}${year ? `&year=${encodeURIComponent(year)}` : ''}`;
        const doc = await get(`/v1/indicators/${encodeURIComponent(id)}/ranking?${q}`);
        if (ticket !== this.ticket) return;
        const W = 600;
        const { areas, height } = hex ? hexPaths(doc.hexes, doc.layout, W) : geoPaths(doc.features, W);
        const m = doc.metadata;
        const unit = m.indicator.unit;
        const label = (a) =>
          `${a.props.name}: ${a.props.value === null ? 'no data' : `${num(a.props.value)} ${unit}`}${a.props.rank ? `, rank ${a.props.rank} of ${a.props.of}` : ''}`;
        const text = (a) => {
          if (!a.label) return '';
          const size = Math.min(14, a.w * 0.28);
          return `<text x="${a.cx}" y="${Math.round((a.cy + size * 0.35) * 10) / 10}" font-size="${Math.round(size)}" text-anchor="middle" fill="${ink(a.props.fill)}" pointer-events="none" aria-hidden="true">${esc(a.label)}</text>`;
        };
        const shapes = areas
          .map(
            (a) =>
              `<g class="a" tabindex="0" role="button" data-code="${esc(a.code)}" aria-label="${esc(label(a))}"><path d="${a.d}" fill="${esc(a.props.fill)}" stroke="#fff" stroke-width="${hex ? 1.5 : 0.6}"><title>${esc(label(a))}</title></path>${text(a)}</g>`,
          )
          .join('');
        const c = m.classes;
        const swatch = (col) =>
          `<svg viewBox="0 0 14 12" aria-hidden="true"><rect width="14" height="12" fill="${esc(col)}" stroke="#595959"/></svg>`;
        const legend = c.colours
          .map((col, i) => `<li>${swatch(col)}${num(c.breaks[i])} – ${num(c.breaks[i + 1])}</li>`)
          .concat(
            areas.some((a) => a.props.value === null) ? [`<li>${swatch(c.noDataColour)}no data</li>`] : [],
          )
          .join('');
        const src = m.sources.map((s) => s.title).join('; ');
        const root = paint(
          this,
          `<h2>${esc(m.title)}</h2><p class="k">LEPs (2021) · ${esc(unit)} · ${c.method === 'jenks' ? 'Jenks natural breaks' : c.method === 'diverging' ? 'around 1' : 'quantile classes'}</p>` +
            `<svg viewBox="0 0 ${W} ${Math.ceil(height)}" role="group" data-shape="${hex ? 'hex' : 'boundaries'}" aria-label="${esc(m.title)} by LEP">${shapes}</svg>` +
            `<ul class="lg" aria-label="Legend">${legend}</ul><p class="info" aria-live="polite"></p>` +
            `<p class="f">Source: ${esc(src)}. ${datasetLine(m)}</p>`,
        );
        const info = root.querySelector('.info');
        const pick = (g) => {
          this.setAttribute('selected', g.dataset.code);
          this.dispatchEvent(
            new CustomEvent('lep-select', {
              bubbles: true,
              composed: true,
              detail: {
                code: g.dataset.code,
                name: areas.find((a) => a.code === g.dataset.code)?.props.name,
              },
            }),
          );
        };
        for (const g of root.querySelectorAll('.a')) {
          const say = () => {
            info.textContent = g.getAttribute('aria-label');
          };
          g.addEventListener('mouseenter', say);
          g.addEventListener('focus', say);
          g.addEventListener('click', () => pick(g));
          g.addEventListener('keydown', (ev) => {
            if (ev.key === 'Enter' || ev.key === ' ') {
              ev.preventDefault();
              pick(g);
            }
          });
        }
        this.mark();
      } catch (e) {
        if (ticket === this.ticket) paint(this, `<p class="err" role="alert">${esc(e.message)}</p>`);
      }
    }
    /** Outline the selected LEP (attribute `selected`). */
    mark() {
      const code = this.getAttribute('selected');
      for (const g of this.shadowRoot?.querySelectorAll('.a') || []) {
        g.classList.toggle('sel', g.dataset.code === code);
        g.setAttribute('aria-pressed', String(g.dataset.code === code));
      }
    }
  }

  if (!customElements.get('lep-profile')) customElements.define('lep-profile', LepProfile);
  if (!customElements.get('lep-indicator-map')) customElements.define('lep-indicator-map', LepIndicatorMap);
})();
