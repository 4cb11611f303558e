import { createRoute, z } from '@hono/zod-openapi';
import { getSectorPairs, type InvestmentFilters, summariseFromTotals } from '../db/investment-queries.ts';
import { GSS_CODE } from '../domain/geography.ts';
import {
  associationStrength,
  DEFAULT_MIN_SUPPORT,
  hachmanIndex,
  herfindahlIndex,
  hooverIndex,
  krugmanIndex,
  locationQuotients,
  relatednessDensity,
  shannonEntropy,
} from '../domain/specialisation.ts';
import { exportResponse, formatQuery } from '../http/export.ts';
import { ApiError, problemResponses } from '../http/problem.ts';
import { createRouter } from '../http/router.ts';
import { tableResponse } from './indicator-views.ts';
import {
  DataSourceSchema,
  filterQuery,
  investmentSource,
  RulesSchema,
  resolveInvestmentArea,
  rulesOf,
} from './investment-views.ts';

const MEASURES = ['grant', 'participants', 'projects'] as const;

const SectorLq = z
  .object({
    sector: z.string(),
    value: z.number().openapi({ description: 'x[r,s]: the area’s amount in the sector (pence for grant).' }),
    areaTotal: z.number().openapi({ description: 'x[r,.]' }),
    referenceValue: z.number().openapi({ description: 'x[.,s] in the reference' }),
    referenceTotal: z.number().openapi({ description: 'x[.,.] in the reference' }),
    lq: z
      .number()
      .nullable()
      .openapi({ description: '(x[r,s]/x[r,.]) / (x[.,s]/x[.,.]); null when undefined.' }),
    specialised: z.boolean().openapi({ description: 'LQ > 1.' }),
    participants: z
      .number()
      .openapi({ description: 'Participants behind the cell (the small-number support).' }),
    smallNumber: z
      .boolean()
      .openapi({ description: `Fewer than ${DEFAULT_MIN_SUPPORT} participants: treat the LQ as noise.` }),
  })
  .openapi('SectorLocationQuotient');

const route = createRoute({
  method: 'get',
  path: '/areas/{code}/specialisation',
  tags: ['Smart specialisation'],
  summary:
    'Where an area is strong: location quotients of Innovate UK activity by sector, and portfolio measures',
  request: {
    params: z.object({ code: z.string().regex(GSS_CODE, 'Expected a GSS code such as E37000015') }),
    query: z.object({
      measure: z
        .enum(MEASURES)
        .default('grant')
        .openapi({ description: 'What x counts: £ offered, participants, or distinct projects.' }),
      overlap: filterQuery.overlap,
      format: formatQuery,
    }),
  },
  responses: {
    200: tableResponse(
      z
        .object({
          area: z.object({ code: z.string(), name: z.string(), type: z.string(), href: z.string() }),
          measure: z.enum(MEASURES),
          reference: z.object({ code: z.string(), label: z.string() }),
          rules: RulesSchema,
          source: DataSourceSchema,
          minSupport: z.number().int(),
          sectors: z.array(SectorLq),
          portfolio: z.object({
            krugman: z.number().openapi({ description: 'Σ|p[r,s] − p[ref,s]|, 0 (same mix) to 2.' }),
            hoover: z
              .number()
              .openapi({ description: 'Krugman / 2: share of activity that would have to move.' }),
            herfindahl: z.number().openapi({ description: 'Σ p², concentration.' }),
            entropy: z.number().openapi({ description: '−Σ p log2 p, diversity in bits.' }),
            hachman: z
              .number()
              .nullable()
              .openapi({ description: '1 / Σ LQ·p; 1 = same mix as the reference.' }),
          }),
          notes: z.array(z.string()),
        })
        .openapi('Specialisation'),
      'Location quotients by sector',
    ),
    ...problemResponses('bad_request', 'not_found'),
  },
});

export function specialisationRoutes() {
  return createRouter().openapi(route, async (c) => {
    const { code } = c.req.valid('param');
    const q = c.req.valid('query');
    const db = c.var.deps.db;
    const area = await resolveInvestmentArea(db, code);
    if (!area) throw new ApiError('not_found', `No area with investment totals has code ${code}.`);
    // England is the reference for English areas; the whole dataset for England itself and elsewhere.
    const inEngland = area.code.startsWith('E') && area.code !== 'E92000001';
    const reference = inEngland
      ? { code: 'E92000001', label: 'England' }
      : { code: 'all', label: 'All participants in the dataset (UK)' };
    const f: InvestmentFilters = { area: { type: area.type as never, code: area.code }, overlap: q.overlap };
    const refFilter: InvestmentFilters = inEngland ? { area: { type: 'country', code: 'E92000001' } } : {};
    const [mine, ref, source, pairs] = await Promise.all([
      summariseFromTotals(db, f, 'sector'),
      summariseFromTotals(db, refFilter, 'sector'),
      investmentSource(db),
      getSectorPairs(db),
    ]);
    const measureOf = (g: { grantPence: string; participants: string; projects: number }) =>
      q.measure === 'grant'
        ? Number(g.grantPence)
        : q.measure === 'participants'
          ? Number(g.participants)
          : g.projects;
    const sectors = (ref.groups ?? []).map((g) => g.key ?? '').sort();
    const mineBy = new Map((mine.groups ?? []).map((g) => [g.key ?? '', g]));
    const refBy = new Map((ref.groups ?? []).map((g) => [g.key ?? '', g]));
    const areaRow = sectors.map((s) => {
      const g = mineBy.get(s);
      return g ? measureOf(g) : 0;
    });
    const refRow = sectors.map((s) => measureOf(refBy.get(s) as NonNullable<ReturnType<typeof refBy.get>>));
    const support = sectors.map((s) => Number(mineBy.get(s)?.participants ?? 0));
    const lq = locationQuotients(
      [areaRow],
      { label: reference.label, categoryTotals: refRow, total: refRow.reduce((a, b) => a + b, 0) },
      { support: [support] },
    );
    // Relatedness: association strength over the co-occurrence of sectors in the same organisations.
    const index = new Map(sectors.map((sec, i) => [sec, i]));
    const C = sectors.map(() => sectors.map(() => 0));
    for (const p of pairs) {
      const a = index.get(p.sectorA);
      const b = index.get(p.sectorB);
      if (a !== undefined && b !== undefined) (C[a] as number[])[b] = p.organisations;
    }
    const M = [(lq.cells[0] ?? []).map((cell) => (cell.specialised ? 1 : 0))];
    const density = relatednessDensity(M, associationStrength(C))[0] ?? [];
    const rows = (lq.cells[0] ?? []).map((cell, i) => ({
      sector: sectors[i] || '(not stated)',
      value: cell.value,
      areaTotal: cell.areaTotal,
      referenceValue: refRow[i] ?? 0,
      referenceTotal: lq.reference.total,
      lq: cell.lq,
      specialised: cell.specialised,
      participants: support[i] ?? 0,
      smallNumber: cell.smallNumber,
      relatednessDensity: density[i] ?? null,
      adjacentOpportunity: !cell.specialised && (density[i] ?? 0) >= 50,
    }));
    rows.sort((a, b) => (b.lq ?? -1) - (a.lq ?? -1) || a.sector.localeCompare(b.sector));
    const notes = [
      `x = ${q.measure === 'grant' ? '£ offered (pence)' : q.measure === 'participants' ? 'participant rows' : 'distinct projects'} by Innovate UK sector; reference: ${reference.label}.`,
      'Sectors are those the spreadsheet names (Innovate UK’s own sector column), not SIC codes.',
      'Relatedness: association strength φ over C = BᵀB, B = organisation × sector (organisations that won in both sectors); density = 100·Σ M·φ / Σ φ.',
    ];
    if (q.format !== 'json') {
      return exportResponse(q.format, {
        filename: `specialisation-${area.code}-${q.measure}`,
        title: `${area.name}: location quotients by sector`,
        rows,
        columns: [
          { header: 'sector', description: 'Innovate UK sector', value: (r) => r.sector },
          { header: 'value', description: 'x[r,s]', value: (r) => r.value },
          { header: 'area_total', description: 'x[r,.]', value: (r) => r.areaTotal },
          {
            header: 'reference_value',
            description: `x[.,s] in ${reference.label}`,
            value: (r) => r.referenceValue,
          },
          {
            header: 'reference_total',
            description: `x[.,.] in ${reference.label}`,
            value: (r) => r.referenceTotal,
          },
          { header: 'lq', description: 'Location quotient', value: (r) => r.lq },
          {
            header: 'participants',
            description: 'Participants behind the cell',
            value: (r) => r.participants,
          },
          {
            header: 'small_number',
            description: `Fewer than ${DEFAULT_MIN_SUPPORT} participants`,
            value: (r) => r.smallNumber,
          },
        ],
        notes,
      });
    }
    return c.json(
      {
        area: { code: area.code, name: area.name, type: area.type, href: `/v1/areas/${area.code}` },
        measure: q.measure,
        reference,
        rules: rulesOf(f),
        source,
        minSupport: lq.minSupport,
        sectors: rows,
        portfolio: {
          krugman: krugmanIndex(areaRow, refRow),
          hoover: hooverIndex(areaRow, refRow),
          herfindahl: herfindahlIndex(areaRow),
          entropy: shannonEntropy(areaRow),
          hachman: hachmanIndex(areaRow, refRow),
        },
        notes,
      },
      200,
    );
  });
}
