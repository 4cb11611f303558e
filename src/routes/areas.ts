import { createRoute, z } from '@hono/zod-openapi';
import type { AreaRow } from '../db/queries.ts';
import { AREA_TYPES, type AreaType as AreaTypeName, LEP_VINTAGE } from '../domain/geography.ts';
import { mapResponse } from '../http/geojson.ts';
import { PageSchema, pageQuery, paginate, textKeyCursor } from '../http/pagination.ts';
import { AreaCode } from '../http/params.ts';
import { problemResponses } from '../http/problem.ts';
import { createRouter } from '../http/router.ts';
import { areaChildren, areaPage, areaWithParents } from '../services/areas.ts';
import { areaHref, areaMap, areasMap, centroidView } from '../services/maps.ts';
import { AreaFeature, AreasGeoJson, AreasHexJson, AreasTopoJson, mapContent } from './map-views.ts';

const AreaTypeSchema = z.enum(AREA_TYPES).openapi({
  description:
    'country; region (English regions); lep (Local Enterprise Partnership, every vintage); lad (local authority ' +
    'district); pcon (Westminster constituency, 2010–2024 boundaries); pcon2024 (2024 boundaries).',
  example: 'lep',
});

const Code = AreaCode;

const Centroid = z
  .object({
    lat: z.number().openapi({ example: 53.48 }),
    lng: z.number().openapi({ example: -2.24 }),
    method: z.string().openapi({ example: 'mean position of the area’s postcodes (OS Code-Point Open)' }),
  })
  .nullable()
  .openapi({
    description:
      'A representative point (for bubble maps): the mean of its postcodes, else the boundary’s centroid; null for retired codes with neither.',
  });

const AreaSummary = z
  .object({
    code: z.string().openapi({ example: 'E37000015' }),
    type: AreaTypeSchema,
    name: z.string().openapi({ example: 'Greater Manchester' }),
    vintage: z.string().openapi({
      description: 'Geography vintage: first year valid, or a range for retired codes.',
      example: LEP_VINTAGE,
    }),
    status: z.enum(['live', 'terminated']).openapi({ description: 'Whether the code is current.' }),
    childCounts: z.record(z.string(), z.record(z.string(), z.number().int())).openapi({
      description: 'Children by type, then vintage: { lad: { "2021": 10 } }.',
      example: { lad: { [LEP_VINTAGE]: 10, '2023': 10 } },
    }),
    href: z.string().openapi({ example: '/v1/areas/E37000015' }),
    centroid: Centroid,
  })
  .openapi('AreaSummary');

const AreaRef = z
  .object({
    code: z.string().openapi({ example: 'E12000002' }),
    type: AreaTypeSchema,
    name: z.string().openapi({ example: 'North West' }),
    relation: z.enum(['contains', 'overlaps']).openapi({
      description: '"contains": wholly within; "overlaps": partly, with `share` the fraction inside.',
    }),
    vintage: z.string().openapi({ example: '2023' }),
    share: z.number().nullable().openapi({
      description: 'Fraction (0–1) of the child inside the parent, for overlaps.',
      example: null,
    }),
    href: z.string().openapi({ example: '/v1/areas/E12000002' }),
  })
  .openapi('AreaRef');

const Area = AreaSummary.extend({
  validFrom: z
    .string()
    .nullable()
    .openapi({ description: 'Date the code was introduced, when known.', example: null }),
  validTo: z
    .string()
    .nullable()
    .openapi({ description: 'Date the code was terminated, if it was.', example: null }),
  formerNames: z.array(z.string()).openapi({ description: 'Other names published for this code.' }),
  postcodeCount: z
    .number()
    .int()
    .openapi({ description: 'Live postcodes falling in the area.', example: 83540 }),
  parents: z.array(AreaRef),
  alsoAs: z
    .array(z.object({ type: AreaTypeSchema, href: z.string() }))
    .openapi({ description: 'Other types that use the same code (e.g. a seat unchanged in 2024).' }),
}).openapi('Area');

const Child = AreaRef.extend({ status: z.enum(['live', 'terminated']), href: z.string() }).openapi(
  'AreaChild',
);

const toSummary = (a: AreaRow) => ({
  code: a.code,
  type: a.type as AreaTypeName,
  name: a.name,
  vintage: a.vintage,
  status: a.status as 'live' | 'terminated',
  childCounts: a.childCounts,
  href: `/v1/areas/${a.code}${a.type === 'pcon' ? '?type=pcon' : ''}`,
  centroid: centroidView(a),
});

const listRoute = createRoute({
  method: 'get',
  path: '/areas',
  operationId: 'listAreas',
  description:
    'Every area of one type (country, region, LEP, district, constituency), cursor-paginated, as JSON; or the whole layer as GeoJSON, TopoJSON or HexJSON for maps. Codes are GSS codes; retired codes are listed with their status.',
  tags: ['Geography'],
  summary: 'List areas of one type',
  request: {
    query: z.object({
      type: AreaTypeSchema,
      format: z.enum(['json', 'geojson', 'topojson', 'hexjson']).default('json').openapi({
        description:
          'json (a page of areas), or every drawn area of the type as a map: geojson, topojson, or hexjson (lep, pcon2024). Map formats ignore cursor and limit.',
        example: 'json',
      }),
      ...pageQuery(textKeyCursor),
    }),
  },
  responses: {
    200: {
      description: 'One page of areas ordered by code, with the total; or the map of the type',
      content: {
        'application/json': {
          schema: z.object({ data: z.array(AreaSummary), page: PageSchema }).openapi('AreaList'),
        },
        ...mapContent({ geojson: AreasGeoJson, topojson: AreasTopoJson, hexjson: AreasHexJson }),
      },
    },
    ...problemResponses('bad_request'),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/areas/{code}',
  operationId: 'getArea',
  description:
    'One area by GSS code (any case): its name, type, vintage, validity dates, parents, counts of the areas inside it and its centroid. With `format=geojson`, the area as a GeoJSON Feature with its boundary. When a code is used by two types, `type` says which is meant.',
  tags: ['Geography'],
  summary: 'One area: name, type, vintage, parents, children counts, centroid',
  request: {
    params: z.object({ code: Code }),
    query: z.object({
      type: AreaTypeSchema.optional().openapi({
        description: 'Disambiguates a code used by two types (pcon and pcon2024).',
      }),
      format: z.enum(['json', 'geojson']).default('json').openapi({
        description: 'json, or geojson: the area’s boundary as a GeoJSON Feature.',
        example: 'json',
      }),
    }),
  },
  responses: {
    200: {
      description: 'The area',
      content: { 'application/json': { schema: Area }, ...mapContent({ geojson: AreaFeature }) },
    },
    ...problemResponses('bad_request', 'not_found'),
  },
});

const childrenRoute = createRoute({
  method: 'get',
  path: '/areas/{code}/children',
  operationId: 'listAreaChildren',
  description:
    'The areas of one type inside or overlapping an area, e.g. the districts of a LEP, for a membership vintage (default the latest), cursor-paginated. Districts that are in two LEPs are listed under both.',
  tags: ['Geography'],
  summary: 'The areas inside (or overlapping) an area, e.g. the districts of a LEP',
  request: {
    params: z.object({ code: Code }),
    query: z.object({
      type: AreaTypeSchema.openapi({ description: 'Child type wanted, e.g. lad.', example: 'lad' }),
      parentType: AreaTypeSchema.optional().openapi({
        description: 'Type of `{code}`, when the code is used by two types.',
      }),
      vintage: z
        .string()
        .regex(/^[0-9]{4}(-[0-9]{4})?$/)
        .optional()
        .openapi({
          description: 'Membership vintage (e.g. 2021 or 2023 for LEP districts); default: the latest.',
          example: '2021',
        }),
      ...pageQuery(textKeyCursor),
    }),
  },
  responses: {
    200: {
      description: 'One page of children ordered by code, with the total',
      content: {
        'application/json': {
          schema: z
            .object({
              parent: AreaSummary,
              childType: AreaTypeSchema,
              vintage: z.string().nullable(),
              data: z.array(Child),
              page: PageSchema,
            })
            .openapi('AreaChildren'),
        },
      },
    },
    ...problemResponses('bad_request', 'not_found'),
  },
});

export function areaRoutes() {
  return createRouter()
    .openapi(listRoute, async (c) => {
      const q = c.req.valid('query');
      if (q.format !== 'json') return mapResponse(c, await areasMap(c.var.deps.db, q.type, q.format));
      const { rows, total } = await areaPage(c.var.deps.db, {
        type: q.type,
        after: q.cursor?.[0],
        limit: q.limit,
      });
      const { data, page } = paginate(rows, q.limit, total, textKeyCursor, (r) => [r.code] as [string]);
      return c.json({ data: data.map(toSummary), page }, 200);
    })
    .openapi(getRoute, async (c) => {
      const { code } = c.req.valid('param');
      const { type, format } = c.req.valid('query');
      if (format === 'geojson') return mapResponse(c, await areaMap(c.var.deps.db, code, type));
      const { area, others, parents } = await areaWithParents(c.var.deps.db, code, type);
      return c.json(
        {
          ...toSummary(area),
          validFrom: area.validFrom,
          validTo: area.validTo,
          formerNames: area.formerNames,
          postcodeCount: area.postcodeCount,
          parents: parents.map((p) => ({
            ...p,
            type: p.type as AreaTypeName,
            relation: p.relation as 'contains' | 'overlaps',
            href: areaHref(p.type, p.code),
          })),
          alsoAs: others.map((o) => ({
            type: o.type as AreaTypeName,
            href: `/v1/areas/${o.code}?type=${o.type}`,
          })),
        },
        200,
      );
    })
    .openapi(childrenRoute, async (c) => {
      const { code } = c.req.valid('param');
      const q = c.req.valid('query');
      const { area, vintage, rows, total } = await areaChildren(c.var.deps.db, {
        code,
        parentType: q.parentType,
        type: q.type,
        vintage: q.vintage,
        after: q.cursor?.[0],
        limit: q.limit,
      });
      const { data, page } = paginate(rows, q.limit, total, textKeyCursor, (r) => [r.code] as [string]);
      return c.json(
        {
          parent: toSummary(area),
          childType: q.type,
          vintage,
          data: data.map((r) => ({
            code: r.code,
            type: r.type as AreaTypeName,
            name: r.name,
            status: r.status as 'live' | 'terminated',
            relation: r.relation as 'contains' | 'overlaps',
            vintage: r.vintage,
            share: r.share,
            href: `/v1/areas/${r.code}`,
          })),
          page,
        },
        200,
      );
    });
}
