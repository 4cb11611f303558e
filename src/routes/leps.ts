import { createRoute, z } from '@hono/zod-openapi';
import {
  FINAL_VINTAGE,
  getAreaValues,
  getIndicatorsByIds,
  getLepVintageMap,
  getLiveLeps,
  getPeerValues,
  type IndicatorRow,
} from '../db/indicator-queries.ts';
import { getAreasByCode } from '../db/queries.ts';
import { GSS_CODE } from '../domain/geography.ts';
import { nearestNeighbours } from '../domain/peers.ts';
import type { Polarity } from '../domain/ranking.ts';
import { assessStrengths } from '../domain/strengths.ts';
import { exportResponse, formatQuery } from '../http/export.ts';
import { ApiError, problemResponses } from '../http/problem.ts';
import { createRouter } from '../http/router.ts';
import { centroidView } from '../services/maps.ts';
import {
  ACTORS,
  DIMENSIONS,
  exportSourcesOf,
  splitList,
  tableResponse,
  toValueView,
  VALUE_EXPORT_COLUMNS,
  ValueView,
  type ValueViewT,
} from './indicator-views.ts';

/** A few size-free figures shown beside every LEP in the list. */
export const HEADLINE_INDICATORS = [
  'enterprises',
  'enterprise-birth-rate',
  'stem-employment-density',
  'nvq4-professionals-share',
  'university-research-income',
  'ukri-research-funding',
] as const;

const LepCode = z
  .string()
  .regex(GSS_CODE, 'Expected a LEP code such as E37000015')
  .openapi({ description: 'LEP GSS code (E37…).', example: 'E37000015' });

const Lep = z.object({
  code: z.string().openapi({ example: 'E37000015' }),
  name: z.string().openapi({ example: 'Greater Manchester' }),
  status: z.enum(['live', 'terminated']),
  vintage: z.string(),
  href: z.string(),
});

const LepListItem = Lep.extend({
  districts: z.number().int(),
  centroid: z.object({ lat: z.number(), lng: z.number(), method: z.string() }).nullable().openapi({
    description: 'A representative point for bubble maps (mean of its postcodes, else of its boundary).',
  }),
  headlines: z.array(ValueView),
});

const lepsRoute = createRoute({
  method: 'get',
  path: '/leps',
  tags: ['LEP profiles'],
  summary: 'Every LEP of the 2021 geography with a few headline figures',
  request: { query: z.object({ format: formatQuery }) },
  responses: {
    200: tableResponse(
      z
        .object({
          headlineIndicators: z.array(z.string()),
          data: z.array(LepListItem),
        })
        .openapi('LepList'),
      'The 38 LEPs',
    ),
  },
});

const profileRoute = createRoute({
  method: 'get',
  path: '/leps/{code}/profile',
  tags: ['LEP profiles'],
  summary: 'The whole innovation profile of a LEP, grouped by actor × dimension',
  request: {
    params: z.object({ code: LepCode }),
    query: z.object({
      year: z.coerce
        .number()
        .int()
        .min(1990)
        .max(2100)
        .optional()
        .openapi({ description: 'Only values of this year. Default: the latest year of each indicator.' }),
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
            z.object({ actor: z.enum(ACTORS), dimension: z.enum(DIMENSIONS), values: z.array(ValueView) }),
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
  tags: ['LEP profiles'],
  summary: 'Statistical nearest neighbours on standardised indicators',
  request: {
    params: z.object({ code: LepCode }),
    query: z.object({
      k: z.coerce.number().int().min(1).max(37).default(5).openapi({ description: 'How many peers (1–37).' }),
      indicators: z.string().max(2000).optional().openapi({
        description:
          'Comma-separated indicator ids. Default: every size-free indicator (rates, shares, averages, indices).',
      }),
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
  tags: ['LEP profiles'],
  summary: 'How each LEP code of an earlier vintage was (or was not) mapped onto the 2021 LEPs',
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

type Db = Parameters<typeof getAreasByCode>[0];

const toLep = (a: { code: string; name: string; status: string; vintage: string }) => ({
  code: a.code,
  name: a.name,
  status: a.status as 'live' | 'terminated',
  vintage: a.vintage,
  href: `/v1/areas/${a.code}`,
});

async function lepOr404(db: Db, code: string) {
  const found = (await getAreasByCode(db, code)).find((a) => a.type === 'lep');
  if (!found) throw new ApiError('not_found', `No LEP has code ${code}. See /v1/areas?type=lep.`);
  return found;
}

/** A live LEP's values are on the 2021 geography; a retired code's stay on its own vintages. */
const vintagesFor = (status: string) => (status === 'live' ? [FINAL_VINTAGE] : ['2014', '2017', '2020']);

async function indicatorsFromQuery(db: Db, list: string | undefined): Promise<IndicatorRow[] | undefined> {
  const ids = splitList(list);
  if (ids.length === 0) return undefined;
  const found = await getIndicatorsByIds(db, ids);
  const unknown = ids.filter((id) => !found.some((f) => f.id === id));
  if (unknown.length) {
    throw new ApiError('bad_request', `Unknown indicator(s): ${unknown.join(', ')}. See /v1/indicators.`, [
      { location: 'query.indicators', message: `Unknown: ${unknown.join(', ')}` },
    ]);
  }
  return found;
}

export function lepRoutes() {
  return createRouter()
    .openapi(vintagesRoute, async (c) => {
      const rows = await getLepVintageMap(c.var.deps.db);
      const q = c.req.valid('query');
      if (q.format !== 'json') {
        return exportResponse(q.format, {
          filename: 'lep-vintage-mapping',
          title: 'LEP code vintages and the 2021 geography',
          rows,
          columns: [
            {
              header: 'from_code',
              description: 'LEP code as published by the source',
              value: (r) => r.fromCode,
            },
            {
              header: 'from_vintage',
              description: 'Geography vintage of that code',
              value: (r) => r.fromSpec,
            },
            { header: 'from_name', description: 'Name in that vintage', value: (r) => r.fromName },
            {
              header: 'to_code',
              description: '2021 LEP it was mapped to; empty when not mapped',
              value: (r) => r.toCode,
            },
            { header: 'to_name', description: '2021 LEP name', value: (r) => r.toName },
            {
              header: 'rule',
              description: 'same_code_and_name, documented_rename or unmapped',
              value: (r) => r.rule,
            },
            { header: 'reason', description: 'Why', value: (r) => r.reason },
            { header: 'values', description: 'Values carried through this mapping', value: (r) => r.values },
          ],
        });
      }
      return c.json({ data: rows }, 200);
    })
    .openapi(lepsRoute, async (c) => {
      const db = c.var.deps.db;
      const leps = await getLiveLeps(db);
      const values = await getAreaValues(db, {
        areaCodes: leps.map((l) => l.code),
        vintages: [FINAL_VINTAGE],
        indicatorIds: HEADLINE_INDICATORS,
      });
      const data = leps.map((l) => ({
        ...toLep(l),
        districts: Object.values(l.childCounts.lad ?? {}).at(-1) ?? 0,
        centroid: centroidView(l),
        headlines: HEADLINE_INDICATORS.flatMap((id) => {
          const r = values.find((v) => v.v.areaCode === l.code && v.v.indicatorId === id);
          return r ? [toValueView(r.v, r.i, l.name)] : [];
        }),
      }));
      const q = c.req.valid('query');
      if (q.format !== 'json') {
        return exportResponse(q.format, {
          filename: 'leps',
          title: 'LEPs with headline figures',
          rows: data.flatMap((d) => d.headlines),
          columns: VALUE_EXPORT_COLUMNS,
          sources: exportSourcesOf([...new Map(values.map((v) => [v.i.id, v.i])).values()]),
        });
      }
      return c.json({ headlineIndicators: [...HEADLINE_INDICATORS], data }, 200);
    })
    .openapi(profileRoute, async (c) => {
      const { code } = c.req.valid('param');
      const q = c.req.valid('query');
      const db = c.var.deps.db;
      const lep = await lepOr404(db, code);
      const rows = await getAreaValues(db, {
        areaCodes: [code],
        vintages: vintagesFor(lep.status),
        year: q.year,
      });
      if (rows.length === 0) {
        throw new ApiError(
          'not_found',
          q.year
            ? `No indicator has a value for ${lep.name} in ${q.year}.`
            : `No indicator values are published for ${lep.name} (${code}).`,
          q.year
            ? [
                {
                  location: 'query.year',
                  message: 'No data for this year; omit it for the latest year of each indicator',
                },
              ]
            : undefined,
        );
      }
      const views = rows.map((r) => toValueView(r.v, r.i, lep.name));
      if (q.format !== 'json') {
        return exportResponse(q.format, {
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
      const groups = ACTORS.flatMap((actor) =>
        DIMENSIONS.map((dimension) => ({
          actor,
          dimension,
          values: views.filter((_, i) => rows[i]?.i.actor === actor && rows[i]?.i.dimension === dimension),
        })),
      ).filter((g) => g.values.length > 0);
      return c.json(
        {
          lep: toLep(lep),
          year: q.year ?? null,
          groups,
          counts: { indicators: views.length, suppressed: views.filter((v) => v.suppressed).length },
          notes: profileNotes(lep.status),
        },
        200,
      );
    })
    .openapi(peersRoute, async (c) => {
      const { code } = c.req.valid('param');
      const q = c.req.valid('query');
      const db = c.var.deps.db;
      const lep = await lepOr404(db, code);
      if (lep.status !== 'live') {
        throw new ApiError(
          'bad_request',
          `${code} is a retired LEP code; peers are computed among the 38 LEPs of 2021.`,
          [{ location: 'path.code', message: 'Use a live 2021 LEP code' }],
        );
      }
      const chosen = await indicatorsFromQuery(db, q.indicators);
      const leps = await getLiveLeps(db);
      // Compare every LEP on the same year of each indicator: its latest year on the 2021 geography.
      const rows = await getPeerValues(
        db,
        leps.map((l) => l.code),
        chosen?.map((i) => i.id),
      );
      const ids = chosen?.map((i) => i.id) ?? [...new Set(rows.map((r) => r.indicatorId))].sort();
      const byArea = new Map<string, Record<string, number | null>>(leps.map((l) => [l.code, {}]));
      for (const r of rows)
        (byArea.get(r.areaCode) as Record<string, number | null>)[r.indicatorId] = r.suppressed
          ? null
          : r.value;
      let result: ReturnType<typeof nearestNeighbours>;
      try {
        result = nearestNeighbours(
          code,
          [...byArea].map(([areaCode, values]) => ({ areaCode, values })),
          { k: q.k, indicators: ids },
        );
      } catch (err) {
        if (err instanceof RangeError) {
          throw new ApiError('bad_request', `Peers cannot be computed: ${err.message}`, [
            { location: 'query.indicators', message: err.message },
          ]);
        }
        throw err;
      }
      const names = new Map(leps.map((l) => [l.code, l]));
      const yearOf = new Map(rows.map((r) => [r.indicatorId, r.year]));
      const peers = result.peers.map((p) => {
        const area = names.get(p.areaCode);
        return {
          ...toLep(area ?? { code: p.areaCode, name: p.areaCode, status: 'live', vintage: '' }),
          distance: p.distance,
          indicatorsUsed: p.indicatorsUsed,
          contributions: p.contributions.map(({ squaredDiff: _s, ...rest }) => rest),
        };
      });
      if (q.format !== 'json') {
        return exportResponse(q.format, {
          filename: `peers-${code}`,
          title: `${lep.name}: nearest statistical neighbours`,
          rows: peers,
          columns: [
            { header: 'rank', description: '1 = nearest', value: (r) => peers.indexOf(r) + 1 },
            { header: 'code', description: 'Peer LEP code', value: (r) => r.code },
            { header: 'name', description: 'Peer LEP name', value: (r) => r.name },
            {
              header: 'distance',
              description: 'Euclidean distance in z units (rescaled to the full indicator set)',
              value: (r) => r.distance,
            },
            {
              header: 'indicators_used',
              description: 'Indicators both LEPs have',
              value: (r) => r.indicatorsUsed,
            },
            {
              header: 'main_drivers',
              description: 'Indicators contributing most to the distance, with their share',
              value: (r) =>
                r.contributions
                  .slice(0, 3)
                  .map((x) => `${x.indicatorId} ${(x.share * 100).toFixed(0)}%`)
                  .join('; '),
            },
          ],
          notes: [PEERS_METHOD],
        });
      }
      return c.json(
        {
          lep: toLep(lep),
          method: PEERS_METHOD,
          indicators: result.scales.map((s) => ({
            id: s.indicatorId,
            year: yearOf.get(s.indicatorId) as number,
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
      const db = c.var.deps.db;
      const lep = await lepOr404(db, code);
      const rows = await getAreaValues(db, { areaCodes: [code], vintages: vintagesFor(lep.status) });
      if (rows.length === 0)
        throw new ApiError('not_found', `No indicator values are published for ${lep.name} (${code}).`);
      const profile = assessStrengths(
        rows.map((r) => ({
          indicatorId: r.i.id,
          year: r.v.year,
          polarity: r.i.polarity as Polarity,
          value: r.v.value,
          suppressed: r.v.suppressed,
          rank: r.v.rank,
          n: r.v.cohortSize,
          percentile: r.v.percentile,
          z: r.v.z,
          median: r.v.cohortMedian,
          mean: r.v.cohortMean,
          englandValue: r.v.englandValue,
        })),
      );
      const view = (id: string) => {
        const r = rows.find((x) => x.i.id === id);
        if (!r) throw new Error(`assessment for an indicator not in the profile: ${id}`);
        return toValueView(r.v, r.i, lep.name);
      };
      const strengths = profile.strengths.map((a) => ({ ...view(a.indicatorId), reasons: a.reasons }));
      const weaknesses = profile.weaknesses.map((a) => ({ ...view(a.indicatorId), reasons: a.reasons }));
      const distinctive = profile.distinctive.map((a) => ({
        ...view(a.indicatorId),
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
        return exportResponse(q.format, {
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
              description: 'Rules that fired: top_quartile, bottom_quartile, z_above, z_below',
              value: (r: Row) => r.reasons.join(' '),
            },
            ...VALUE_EXPORT_COLUMNS,
          ],
          sources: exportSourcesOf(rows.map((r) => r.i)),
          notes: [STRENGTHS_METHOD],
        });
      }
      return c.json(
        {
          lep: toLep(lep),
          criteria: profile.criteria,
          strengths,
          weaknesses,
          distinctive,
          notAssessed: profile.notAssessed,
        },
        200,
      );
    });
}

const PEERS_METHOD =
  'Nearest neighbours (ONS/CIPFA method): each indicator standardised to z-scores over the 38 LEPs in its latest year, ' +
  'Euclidean distance, rescaled to the full indicator set where a LEP lacks some. Size-free indicators only unless chosen.';
const STRENGTHS_METHOD =
  'Strength: top quartile (percentile ≥ 75) or z ≥ 1 in the good direction; weakness: bottom quartile or z ≤ −1. ' +
  'When both fire the percentile decides. Neutral indicators are "distinctive", never strengths. Cohorts under 10 LEPs are not assessed.';

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

type ProfileRows = Awaited<ReturnType<typeof getAreaValues>>;
const actorOf = (rows: ProfileRows, v: ValueViewT) =>
  rows.find((r) => r.i.id === v.indicator.id)?.i.actor ?? null;
const dimensionOf = (rows: ProfileRows, v: ValueViewT) =>
  rows.find((r) => r.i.id === v.indicator.id)?.i.dimension ?? null;
