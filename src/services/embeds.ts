import type { Db } from '../db/client.ts';
import { getAreaValues } from '../db/indicator-queries.ts';
import type { OverlapPolicy } from '../db/investment-queries.ts';
import { getDatasetStamp } from '../db/map-queries.ts';
import { getAreasByCode } from '../db/queries.ts';
import { AREA_TYPE_LABELS, ENGLAND_CODE, LEP_VINTAGE } from '../domain/geography.ts';
import { servedStanding } from '../domain/ranking.ts';
import { ApiError } from '../http/problem.ts';
import { EMBED_MESSAGE_TYPE, figureRow, renderEmbedPage } from '../render/embed.ts';
import { escapeXml as esc, formatNumber, formatPounds } from '../render/format.ts';
import { renderSvgMap } from '../render/svg-map.ts';
import { areaInvestments } from './investments.ts';
import { HEADLINE_INDICATORS } from './leps.ts';
import { indicatorMapParts, type MapShape } from './maps.ts';

/**
 * The three embeddable widgets and their oEmbed descriptions. Each reads what its public JSON
 * counterpart reads (profile values, ranking, area investment totals) and renders one small page.
 */

/** The figures a LEP card shows: the LEP list's headlines (size-free, widely published). */
export const CARD_INDICATORS = HEADLINE_INDICATORS;

async function datasetLine(db: Db): Promise<string> {
  const s = await getDatasetStamp(db);
  if (!s) return 'No dataset loaded.';
  return `Dataset ${s.version}${s.isSample ? ' (SAMPLE data — not the full dataset)' : ''} · innovation-observatory`;
}

const polarityNote = (p: string) =>
  p === 'lower_is_better' ? '1 = lowest' : p === 'higher_is_better' ? '1 = highest' : '';

/** GET /embed/leps/{code}: a profile card for one of the 38 LEPs. */
export async function lepCard(db: Db, code: string): Promise<string> {
  const lep = (await getAreasByCode(db, code)).find((a) => a.type === 'lep');
  if (!lep) throw new ApiError('not_found', `No LEP has code ${code}. See /v1/areas?type=lep.`);
  if (lep.status !== 'live') {
    throw new ApiError('not_found', `${code} is a retired LEP code; cards exist for the 38 LEPs of 2021.`);
  }
  const [values, dataset] = await Promise.all([
    getAreaValues(db, { areaCodes: [code], vintages: [LEP_VINTAGE], indicatorIds: CARD_INDICATORS }),
    datasetLine(db),
  ]);
  const rows = CARD_INDICATORS.flatMap((id) => {
    const r = values.find((v) => v.v.indicatorId === id);
    if (!r) return [];
    const v = r.v;
    const note = polarityNote(r.i.polarity);
    const standing = servedStanding(r.i.polarity, v.rank, v.percentile);
    const rank =
      standing.rank !== null
        ? `rank ${standing.rank} of ${v.cohortSize}${note ? ` (${note})` : ''} · ${v.year}`
        : standing.order !== null
          ? `${standing.order} of ${v.cohortSize} by value, highest first · ${v.year}`
          : `${v.year}`;
    return [
      figureRow(
        r.i.title,
        v.suppressed ? 'suppressed' : formatNumber(v.value),
        v.suppressed ? '' : r.i.unit,
        rank,
      ),
    ];
  });
  const sources = [...new Set(values.map((v) => (v.i.source as { title: string }).title))];
  const districts = Object.values(lep.childCounts.lad ?? {}).at(-1) ?? 0;
  const body = `<main aria-labelledby="t">
<h1 id="t">${esc(lep.name)}</h1>
<p class="k">Local Enterprise Partnership (2021) · ${districts} district${districts === 1 ? '' : 's'} · innovation profile</p>
${rows.length ? `<dl aria-label="Headline figures for ${esc(lep.name)}">${rows.join('')}</dl>` : '<p>No headline figures are published for this LEP.</p>'}
<p><a href="/?lep=${esc(code)}" target="_blank" rel="noopener">Full profile and map</a> · <a href="/v1/leps/${esc(code)}/profile" target="_blank" rel="noopener">JSON</a></p>
</main>`;
  return renderEmbedPage({
    title: `${lep.name}: innovation profile`,
    body,
    footer: [
      `Source: ${sources.join('; ') || 'Nesta/BEIS indicators; DfE; UKRI'} (see /v1/meta for licences).`,
      dataset,
    ],
  });
}

export interface IndicatorMapEmbedQuery {
  id: string;
  year?: number | undefined;
  shape: MapShape;
  classes?: 'quantile' | 'jenks' | undefined;
  k?: number | undefined;
}

/** GET /embed/indicators/{id}/map: the choropleth (inline SVG, keyboard-reachable areas) and its data. */
export async function indicatorMapEmbed(db: Db, q: IndicatorMapEmbedQuery): Promise<string> {
  const [parts, dataset] = await Promise.all([indicatorMapParts(db, q), datasetLine(db)]);
  const svg = renderSvgMap({ ...parts, bare: true, focusable: true, idPrefix: 'm' });
  const swatch = (colour: string) =>
    `<svg class="sw" viewBox="0 0 18 14" aria-hidden="true" focusable="false"><rect width="18" height="14" fill="${colour}" stroke="#595959"/></svg>`;
  const ranking = `/v1/indicators/${esc(q.id)}/ranking${q.year ? `?year=${q.year}` : ''}`;
  const body = `<main aria-labelledby="t">
<h1 id="t">${esc(parts.title)}</h1>
<p class="k">${esc(parts.subtitle ?? '')}</p>
<figure aria-labelledby="t">
${svg}
<figcaption>Each area can be reached with the Tab key; its name, value and rank are read out.</figcaption>
</figure>
<h2 class="k">${esc(parts.legend.title)}</h2>
<ul class="lg">${parts.legend.items.map((i) => `<li>${swatch(i.colour)}${esc(i.label)}</li>`).join('')}</ul>
<details><summary>Show the figures as a list</summary><ul>${parts.areas
    .slice()
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((a) => `<li>${esc(a.title)}</li>`)
    .join('')}</ul></details>
<p><a href="${ranking}" target="_blank" rel="noopener">Data (JSON)</a> · <a href="/v1/indicators/${esc(q.id)}/ranking?format=csv${q.year ? `&amp;year=${q.year}` : ''}">CSV</a></p>
</main>`;
  return renderEmbedPage({ title: parts.title, body, footer: [...parts.footer.slice(0, -1), dataset] });
}

/** GET /embed/areas/{code}/investments: the Innovate UK headline for an area (as /v1/areas/{code}/investments). */
export async function areaInvestmentsEmbed(db: Db, code: string, overlap: OverlapPolicy): Promise<string> {
  const [a, dataset] = await Promise.all([areaInvestments(db, code, overlap), datasetLine(db)]);
  const { area, source } = a;
  const grant = Number(a.totals.grantPence) / 100;
  const sectors = a.topSectors.slice(0, 5).map((s) => ({ ...s, key: s.sector }));
  const years = a.byYear.flatMap((y) => (y.year === null ? [] : [{ ...y, key: String(y.year) }]));
  const total = { projects: a.totals.projects, organisations: a.totals.organisations };
  const maxSector = Math.max(1, ...sectors.map((s) => Number(s.grantPence)));
  const sectorRows = sectors.map((s) => {
    const pounds = Number(s.grantPence) / 100;
    const w = Math.max(1, Math.round((Number(s.grantPence) / maxSector) * 100));
    return `<div class="r"><dt>${esc(s.key || '(not stated)')}</dt><dd><span class="v">${esc(formatPounds(pounds))}</span> <span class="u">${s.projects} projects</span><svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false"><rect width="${w}" height="10" fill="#3b528b"/></svg></dd></div>`;
  });
  const maxYear = Math.max(1, ...years.map((y) => Number(y.grantPence)));
  const trend = years.length
    ? `<figure aria-labelledby="yc"><figcaption id="yc">Grant offered by competition year, ${years[0]?.key}–${years.at(-1)?.key}</figcaption><svg viewBox="0 0 ${years.length * 10} 40" role="img" aria-label="Grant offered by year">${years
        .map((y, i) => {
          const h = Math.max(0.5, (Number(y.grantPence) / maxYear) * 38);
          return `<rect x="${i * 10 + 1}" y="${(40 - h).toFixed(1)}" width="8" height="${h.toFixed(1)}" fill="#21918c"><title>${y.key}: ${esc(formatPounds(Number(y.grantPence) / 100))}, ${y.projects} projects</title></rect>`;
        })
        .join('')}</svg></figure>`
    : '';
  const typeLabel = AREA_TYPE_LABELS[area.type] ?? area.type;
  const body = `<main aria-labelledby="t">
<h1 id="t">${esc(area.name)}</h1>
<p class="k">${esc(typeLabel)} · Innovate UK investment${area.type === 'lep' ? ` · LEP overlap: ${esc(overlap)}` : ''}</p>
<div class="big" role="list" aria-label="Headline figures">
<div role="listitem"><b>${esc(formatPounds(grant))}</b><span class="u">grant offered</span></div>
<div role="listitem"><b>${total?.projects ?? 0}</b><span class="u">projects</span></div>
<div role="listitem"><b>${total?.organisations ?? 0}</b><span class="u">organisations</span></div>
${a.totals.shareOfEngland !== null && area.code !== ENGLAND_CODE ? `<div role="listitem"><b>${(a.totals.shareOfEngland * 100).toFixed(1)}%</b><span class="u">of England’s</span></div>` : ''}
</div>
${sectorRows.length ? `<h2 class="k">Top sectors</h2><dl class="bars">${sectorRows.join('')}</dl>` : '<p>No counted participants here.</p>'}
${trend}
<p><a href="/v1/areas/${esc(area.code)}/investments" target="_blank" rel="noopener">Data (JSON)</a> · <a href="/v1/areas/${esc(area.code)}/investments.pdf" target="_blank" rel="noopener">PDF</a></p>
</main>`;
  return renderEmbedPage({
    title: `${area.name}: Innovate UK investment`,
    body,
    footer: [
      source.synthetic
        ? 'Source: SYNTHETIC stand-in for Innovate UK funded projects (npm run data:synth) — not real grants.'
        : `Source: ${source.title}${source.licence ? ` (${source.licence})` : ''}.`,
      'Counted participants: withdrawn participants and projects excluded.',
      dataset,
    ],
    ...(source.synthetic
      ? { warning: 'SYNTHETIC DATA — generated for development, not real Innovate UK grants.' }
      : {}),
  });
}

/** The widget kinds oEmbed can describe, their URL patterns and default sizes. */
const EMBEDS = [
  { pattern: /^\/embed\/leps\/([A-Za-z][0-9]{8})$/, title: 'LEP profile card', width: 480, height: 460 },
  {
    pattern: /^\/embed\/indicators\/([a-z0-9][a-z0-9-]{1,80})\/map$/,
    title: 'Indicator map',
    width: 640,
    height: 900,
  },
  {
    pattern: /^\/embed\/areas\/([A-Za-z][0-9]{8})\/investments$/,
    title: 'Innovate UK investment',
    width: 480,
    height: 620,
  },
] as const;

export interface OEmbed {
  version: '1.0';
  type: 'rich';
  title: string;
  provider_name: string;
  provider_url: string;
  html: string;
  width: number;
  height: number;
  cache_age: number;
}

/**
 * GET /oembed: describe one of our embed URLs (oEmbed 1.0 "rich"), for CMSs that embed by URL and
 * forbid script tags. Only URLs of this service's own /embed/ pages are described.
 */
export function oembedFor(
  q: { url: string; maxwidth?: number | undefined; maxheight?: number | undefined },
  origin: string,
): OEmbed {
  let url: URL;
  try {
    url = new URL(q.url);
  } catch {
    throw new ApiError('bad_request', 'url must be an absolute URL of one of this service’s /embed/ pages.', [
      { location: 'query.url', message: 'Not an absolute URL' },
    ]);
  }
  const kind = EMBEDS.find((e) => e.pattern.test(url.pathname));
  if (url.origin !== origin || !kind) {
    throw new ApiError(
      'not_found',
      `${q.url} is not an embeddable page of ${origin}; see /embed/… in the README.`,
    );
  }
  const width = Math.min(kind.width, q.maxwidth ?? kind.width);
  const height = Math.min(kind.height, q.maxheight ?? kind.height);
  const src = `${url.origin}${url.pathname}${url.search}`;
  // The receiving script is optional: the iframe works at its stated size without it.
  const html = `<iframe src="${esc(src)}" width="${width}" height="${height}" style="border:0;max-width:100%" loading="lazy" title="${esc(kind.title)}" data-observatory-embed></iframe>`;
  return {
    version: '1.0',
    type: 'rich',
    title: kind.title,
    provider_name: 'innovation-observatory',
    provider_url: origin,
    html,
    width,
    height,
    cache_age: 3600,
  };
}

export { EMBED_MESSAGE_TYPE };
