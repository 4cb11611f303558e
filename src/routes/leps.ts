import { createRoute, z } from '@hono/zod-openapi';
import type { AreaRow } from '../db/queries.ts';
import { LEP_VINTAGE } from '../domain/geography.ts';
import { type ExportColumn, exportResponse, formatQuery } from '../http/export.ts';
import { indicatorListQuery, intQuery, LepCode, yearQuery } from '../http/params.ts';
import { problemResponses } from '../http/problem.ts';
import { createRouter } from '../http/router.ts';
import {
  HEADLINE_INDICATORS,
  lepList,
  lepPeers,
  lepProfile,
  lepStrengths,
  lepVintageMapping,
  type ProfileRows,
} from '../services/leps.ts';
import { centroidView } from '../services/maps.ts';
import {
  ACTORS,
  DIMENSIONS,
  exportSourcesOf,
  INDICATOR_CATALOGUE_SOURCE,
  ProfileValueView,
  tableResponse,
  toProfileValueView,
  toValueView,
  VALUE_EXPORT_COLUMNS,
  ValueView,
  type ValueViewT,
} from './indicator-views.ts';

const Lep = z.object({
  code: z.string().openapi({ example: 'E37000015' }),
  name: z.string().openapi({ example: 'Greater Manchester' }),
  status: z.enum(['live', 'terminated']),
  vintage: z.string(),
  href: z.string(),
});

const lepsRoute = createRoute({
  method: 'get',
  path: '/leps',
  operationId: 'listLeps',
  description:
    'The 38 LEPs of the 2021 geography with their names, districts and a few headline figures. JSON, CSV or XLSX.',
  tags: ['LEP profiles'],
  summary: `Every LEP of the ${LEP_VINTAGE} geography with a few headline figures`,
  request: { query: z.object({ format: formatQuery }) },
  responses: {
    200: tableResponse(
      z
        .object({
          headlineIndicators: z.array(z.string()),
          data: z.array(
            Lep.extend({
              districts: z.number().int(),
              centroid: z
                .object({ lat: z.number(), lng: z.number(), method: z.string() })
                .nullable()
                .openapi({
                  description:
                    'A representative point for bubble maps (mean of its postcodes, else of its boundary).',
                }),
              headlines: z.array(ValueView),
            }),
          ),
        })
        .openapi('LepList'),
      'The 38 LEPs',
    ),
  },
});

const profileRoute = createRoute({
  method: 'get',
  path: '/leps/{code}/profile',
  operationId: 'getLepProfile',
  description:
    'Every indicator value of one LEP for a year (default: each indicator’s latest), grouped by actor × dimension as the Smart Specialisation Hub’s observatory laid them out, with England for comparison. JSON, CSV or XLSX.',
  tags: ['LEP profiles'],
  summary: 'The whole innovation profile of a LEP, grouped by actor × dimension',
  request: {
    params: z.object({ code: LepCode }),
    query: z.object({
      year: yearQuery('Only values of this year. Default: the latest year of each indicator.').optional(),
      format: formatQuery,
    }),
  },
  responses: {
    200: tableResponse(
      z
        .object({
          lep: Lep,
          year: z.number().int().nullable(),
          groups: z.array(
            z.object({
              actor: z.enum(ACTORS),
              dimension: z.enum(DIMENSIONS),
              values: z.array(ProfileValueView),
            }),
          ),
          counts: z.object({ indicators: z.number().int(), suppressed: z.number().int() }),
          notes: z.array(z.string()),
        })
        .openapi('Profile'),
      'Profile',
    ),
    ...problemResponses('bad_request', 'not_found'),
  },
});

const peersRoute = createRoute({
  method: 'get',
  path: '/leps/{code}/peers',
  operationId: 'getLepPeers',
  description:
    'The k LEPs most like this one: Euclidean distance on standardised (z-scored) indicators, by default every size-free indicator except the per-head variants of totals (`<id>-per-head`, which restate their totals; choose them with `indicators=`), with the indicators contributing most to each distance. JSON, CSV or XLSX.',
  tags: ['LEP profiles'],
  summary: 'Statistical nearest neighbours on standardised indicators',
  request: {
    params: z.object({ code: LepCode }),
    query: z.object({
      k: intQuery({ min: 1, max: 37, description: 'How many peers (1–37).', example: 5 })
        .default(5)
        .openapi({ default: 5 }),
      indicators: indicatorListQuery(
        'Comma-separated indicator ids. Default: every size-free indicator (rates, shares, averages, indices) except the `-per-head` variants of totals.',
      ).optional(),
      format: formatQuery,
    }),
  },
  responses: {
    200: tableResponse(
      z
        .object({
          lep: Lep,
          method: z.string(),
          indicators: z.array(
            z.object({
              id: z.string(),
              year: z.number().int(),
              mean: z.number(),
              sd: z.number(),
              n: z.number().int(),
            }),
          ),
          unusableIndicators: z.array(z.object({ indicatorId: z.string(), reason: z.string() })),
          peers: z.array(
            Lep.extend({
              distance: z.number(),
              indicatorsUsed: z.number().int(),
              contributions: z.array(
                z.object({
                  indicatorId: z.string(),
                  targetValue: z.number(),
                  peerValue: z.number(),
                  targetZ: z.number(),
                  peerZ: z.number(),
                  share: z
                    .number()
                    .openapi({ description: 'Share of the squared distance due to this indicator.' }),
                }),
              ),
            }),
          ),
          excluded: z.array(z.object({ areaCode: z.string(), indicatorsShared: z.number().int() })),
        })
        .openapi('Peers'),
      'Peers, nearest first',
    ),
    ...problemResponses('bad_request', 'not_found'),
  },
});

const strengthsRoute = createRoute({
  method: 'get',
  path: '/leps/{code}/strengths',
  operationId: 'getLepStrengths',
  description:
    'Where a LEP stands out and where it lags against the other LEPs, each with its value, rank and the reasons it was picked, plus what is most distinctive about it. JSON, CSV or XLSX.',
  tags: ['LEP profiles'],
  summary: 'Where a LEP stands out and where it lags, with the evidence',
  request: { params: z.object({ code: LepCode }), query: z.object({ format: formatQuery }) },
  responses: {
    200: tableResponse(
      z
        .object({
          lep: Lep,
          criteria: z.object({
            topPercentile: z.number(),
            bottomPercentile: z.number(),
            zThreshold: z.number(),
            minAreas: z.number(),
          }),
          strengths: z.array(ValueView.extend({ reasons: z.array(z.string()) })),
          weaknesses: z.array(ValueView.extend({ reasons: z.array(z.string()) })),
          distinctive: z.array(
            ValueView.extend({ reasons: z.array(z.string()), direction: z.enum(['high', 'low']) }),
          ),
          notAssessed: z.array(
            z.object({ indicatorId: z.string(), year: z.number().int(), reason: z.string() }),
          ),
        })
        .openapi('Strengths'),
      'Strengths, weaknesses and distinctive features',
    ),
    ...problemResponses('bad_request', 'not_found'),
  },
});

const vintagesRoute = createRoute({
  method: 'get',
  path: '/leps/vintages',
  operationId: 'listLepVintages',
  description:
    'How each LEP code published in an earlier vintage was mapped onto the 2021 LEPs (same code and name, a documented rename) or left unmapped, and why. JSON, CSV or XLSX.',
  tags: ['LEP profiles'],
  summary: `How each LEP code of an earlier vintage was (or was not) mapped onto the ${LEP_VINTAGE} LEPs`,
  request: { query: z.object({ format: formatQuery }) },
  responses: {
    200: tableResponse(
      z
        .object({
          data: z.array(
            z.object({
              fromCode: z.string(),
              fromSpec: z.string(),
              fromName: z.string().nullable(),
              toCode: z.string().nullable(),
              toName: z.string().nullable(),
              rule: z.string(),
              reason: z.string(),
              codeReusedIn2021: z.boolean(),
              values: z.number().int(),
            }),
          ),
        })
        .openapi('LepVintageMap'),
      'Mapping table',
    ),
  },
});

const toLep = (a: Pick<AreaRow, 'code' | 'name' | 'status' | 'vintage'>) => ({
  code: a.code,
  name: a.name,
  status: a.status as 'live' | 'terminated',
  vintage: a.vintage,
  href: `/v1/areas/${a.code}`,
});

export function lepRoutes() {
  return createRouter()
    .openapi(vintagesRoute, async (c) => {
      const q = c.req.valid('query');
      const rows = await lepVintageMapping(c.var.deps.db);
      if (q.format !== 'json') {
        return exportResponse(c, q.format, {
          filename: 'lep-vintage-mapping',
          title: `LEP code vintages and the ${LEP_VINTAGE} geography`,
          rows,
          columns: VINTAGE_EXPORT_COLUMNS,
          sources: [{ id: 'lep_labels' }, { id: 'geo_lookups' }],
        });
      }
      return c.json({ data: rows }, 200);
    })
    .openapi(lepsRoute, async (c) => {
      const q = c.req.valid('query');
      const leps = await lepList(c.var.deps.db);
      const data = leps.map(({ lep, headlines }) => ({
        ...toLep(lep),
        districts: Object.values(lep.childCounts.lad ?? {}).at(-1) ?? 0,
        centroid: centroidView(lep),
        headlines: headlines.map((r) => toValueView(r.v, r.i, lep.name)),
      }));
      if (q.format !== 'json') {
        const indicators = leps.flatMap((l) => l.headlines.map((h) => h.i));
        return exportResponse(c, q.format, {
          filename: 'leps',
          title: 'LEPs with headline figures',
          rows: data.flatMap((d) => d.headlines),
          columns: VALUE_EXPORT_COLUMNS,
          sources: exportSourcesOf([...new Map(indicators.map((i) => [i.id, i])).values()]),
        });
      }
      return c.json({ headlineIndicators: [...HEADLINE_INDICATORS], data }, 200);
    })
    .openapi(profileRoute, async (c) => {
      const { code } = c.req.valid('param');
      const q = c.req.valid('query');
      const { lep, rows, groups, perHead } = await lepProfile(c.var.deps.db, code, q.year);
      const views = rows.map((r) => toValueView(r.v, r.i, lep.name));
      if (q.format !== 'json') {
        return exportResponse(c, q.format, {
          filename: `profile-${code}${q.year ? `-${q.year}` : ''}`,
          title: `${lep.name}: innovation profile`,
          rows: views,
          columns: [
            {
              header: 'actor',
              description: 'research_base, business or place',
              value: (r) => actorOf(rows, r),
            },
            {
              header: 'dimension',
              description: 'funding, talent, outputs or environment',
              value: (r) => dimensionOf(rows, r),
            },
            ...VALUE_EXPORT_COLUMNS,
          ],
          sources: exportSourcesOf(rows.map((r) => r.i)),
          notes: profileNotes(lep.status),
        });
      }
      return c.json(
        {
          lep: toLep(lep),
          year: q.year ?? null,
          groups: groups.map((g) => ({
            actor: g.actor,
            dimension: g.dimension,
            values: g.rows.map((r) => {
              const ph = perHead.get(r.i.id);
              // Beside a total only when it is the same year's figure.
              return toProfileValueView(r.v, r.i, lep.name, ph && ph.v.year === r.v.year ? ph : undefined);
            }),
          })),
          // Indicators shown in the groups (a per-head variant rides beside its total).
          counts: {
            indicators: groups.reduce((n, g) => n + g.rows.length, 0),
            suppressed: groups.reduce((n, g) => n + g.rows.filter((r) => r.v.suppressed).length, 0),
          },
          notes: profileNotes(lep.status),
        },
        200,
      );
    })
    .openapi(peersRoute, async (c) => {
      const { code } = c.req.valid('param');
      const q = c.req.valid('query');
      const {
        lep,
        result,
        peers: found,
        yearOf,
      } = await lepPeers(c.var.deps.db, code, {
        k: q.k,
        indicators: q.indicators ?? [],
      });
      const peers = found.map((p) => ({
        ...toLep(p.area),
        distance: p.distance,
        indicatorsUsed: p.indicatorsUsed,
        contributions: p.contributions.map(({ squaredDiff: _s, ...rest }) => rest),
      }));
      if (q.format !== 'json') {
        return exportResponse(c, q.format, {
          filename: `peers-${code}`,
          title: `${lep.name}: nearest statistical neighbours`,
          rows: peers,
          columns: peerExportColumns(peers),
          notes: [PEERS_METHOD],
          sources: [INDICATOR_CATALOGUE_SOURCE],
        });
      }
      return c.json(
        {
          lep: toLep(lep),
          method: PEERS_METHOD,
          indicators: result.scales.map((s) => ({
            id: s.indicatorId,
            year: yearOf(s.indicatorId),
            mean: s.mean,
            sd: s.sd,
            n: s.n,
          })),
          unusableIndicators: result.unusableIndicators,
          peers,
          excluded: result.excluded,
        },
        200,
      );
    })
    .openapi(strengthsRoute, async (c) => {
      const { code } = c.req.valid('param');
      const q = c.req.valid('query');
      const found = await lepStrengths(c.var.deps.db, code);
      const { lep } = found;
      const view = (r: ProfileRows[number]) => toValueView(r.v, r.i, lep.name);
      const strengths = found.strengths.map((a) => ({ ...view(a.row), reasons: a.reasons }));
      const weaknesses = found.weaknesses.map((a) => ({ ...view(a.row), reasons: a.reasons }));
      const distinctive = found.distinctive.map((a) => ({
        ...view(a.row),
        reasons: a.reasons,
        direction: a.direction,
      }));
      if (q.format !== 'json') {
        type Row = ValueViewT & { kind: string; reasons: string[] };
        const all: Row[] = [
          ...strengths.map((s) => ({ ...s, kind: 'strength' })),
          ...weaknesses.map((s) => ({ ...s, kind: 'weakness' })),
          ...distinctive.map((s) => ({ ...s, kind: `distinctive (${s.direction})` })),
        ];
        return exportResponse(c, q.format, {
          filename: `strengths-${code}`,
          title: `${lep.name}: strengths and weaknesses`,
          rows: all,
          columns: [
            {
              header: 'kind',
              description: 'strength, weakness or distinctive (neutral indicators)',
              value: (r: Row) => r.kind,
            },
            {
              header: 'reasons',
              description:
                'Rules that fired: top_quartile, bottom_quartile, z_above, z_below; for neutral indicators (no better direction) highest_quartile, lowest_quartile, z_high, z_low',
              value: (r: Row) => r.reasons.join(' '),
            },
            ...VALUE_EXPORT_COLUMNS,
          ],
          sources: exportSourcesOf(found.rows.map((r) => r.i)),
          notes: [STRENGTHS_METHOD],
        });
      }
      return c.json(
        {
          lep: toLep(lep),
          criteria: found.criteria,
          strengths,
          weaknesses,
          distinctive,
          notAssessed: found.notAssessed,
        },
        200,
      );
    });
}

const PEERS_METHOD =
  'Nearest neighbours (ONS/CIPFA method): each indicator standardised to z-scores over the 38 LEPs in its latest year, ' +
  'Euclidean distance, rescaled to the full indicator set where a LEP lacks some. Size-free indicators only unless chosen, and not the per-head variants of totals (each restates its total).';
const STRENGTHS_METHOD =
  'Strength: top quartile (percentile ≥ 75) or z ≥ 1 in the good direction; weakness: bottom quartile or z ≤ −1. ' +
  'When both fire the percentile decides. Neutral indicators (size, structure) have no better direction: they are "distinctive" (unusually high or low by value: highest_quartile, lowest_quartile, z_high, z_low), never strengths or weaknesses, and carry an order by value instead of a rank. Cohorts under 10 LEPs are not assessed.';

function profileNotes(status: string) {
  const notes = [
    'Latest year per indicator unless ?year= is given; ranks are among the LEPs of the same geography vintage.',
    'Totals grow with the size of a LEP: compare shares, rates and averages, or an indicator’s rate variant.',
  ];
  if (status !== 'live')
    notes.push(
      'A retired LEP code: values are on its own geography vintage, ranked against that vintage’s LEPs.',
    );
  return notes;
}

const actorOf = (rows: ProfileRows, v: ValueViewT) =>
  rows.find((r) => r.i.id === v.indicator.id)?.i.actor ?? null;
const dimensionOf = (rows: ProfileRows, v: ValueViewT) =>
  rows.find((r) => r.i.id === v.indicator.id)?.i.dimension ?? null;

type VintageRow = Awaited<ReturnType<typeof lepVintageMapping>>[number];

const VINTAGE_EXPORT_COLUMNS: ExportColumn<VintageRow>[] = [
  { header: 'from_code', description: 'LEP code as published by the source', value: (r) => r.fromCode },
  { header: 'from_vintage', description: 'Geography vintage of that code', value: (r) => r.fromSpec },
  { header: 'from_name', description: 'Name in that vintage', value: (r) => r.fromName },
  {
    header: 'to_code',
    description: `${LEP_VINTAGE} LEP it was mapped to; empty when not mapped`,
    value: (r) => r.toCode,
  },
  { header: 'to_name', description: `${LEP_VINTAGE} LEP name`, value: (r) => r.toName },
  { header: 'rule', description: 'same_code_and_name, documented_rename or unmapped', value: (r) => r.rule },
  { header: 'reason', description: 'Why', value: (r) => r.reason },
  { header: 'values', description: 'Values carried through this mapping', value: (r) => r.values },
];

type PeerView = ReturnType<typeof toLep> & {
  distance: number;
  indicatorsUsed: number;
  contributions: { indicatorId: string; share: number }[];
};

function peerExportColumns(peers: PeerView[]): ExportColumn<PeerView>[] {
  return [
    { header: 'rank', description: '1 = nearest', value: (r) => peers.indexOf(r) + 1 },
    { header: 'code', description: 'Peer LEP code', value: (r) => r.code },
    { header: 'name', description: 'Peer LEP name', value: (r) => r.name },
    {
      header: 'distance',
      description: 'Euclidean distance in z units (rescaled to the full indicator set)',
      value: (r) => r.distance,
    },
    { header: 'indicators_used', description: 'Indicators both LEPs have', value: (r) => r.indicatorsUsed },
    {
      header: 'main_drivers',
      description: 'Indicators contributing most to the distance, with their share',
      value: (r) =>
        r.contributions
          .slice(0, 3)
          .map((x) => `${x.indicatorId} ${(x.share * 100).toFixed(0)}%`)
          .join('; '),
    },
  ];
}
