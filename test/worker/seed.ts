import { eq } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type * as schema from '../../src/db/schema.ts';
import { areaLinks, areas, datasets, postcodes } from '../../src/db/schema.ts';
import { postcodeBody } from '../../src/domain/postcode-json.ts';

/**
 * Test rows for the workerd suite, minted by explicit factories. Node-only (global setup runs it);
 * the tests inside workerd receive the returned {@link SeedFacts} through `inject('seed')`, so no
 * test hard-codes an id. This is the one function to replace with a pipeline run on the sample.
 */

type AreaInsert = typeof areas.$inferInsert;
type LinkInsert = typeof areaLinks.$inferInsert;

/** What the tests may rely on: plain JSON, passed from Node into workerd. */
export interface SeedFacts {
  country: AreaFact;
  region: AreaFact;
  /** Two 2021 LEPs, ordered by code. */
  leps: [AreaFact, AreaFact];
  /** Districts of `leps[0]` (2021 membership), ordered by code; the last is also in `leps[1]`. */
  lepDistricts: AreaFact[];
  /** A district in both LEPs, as 7 real districts were in 2021. */
  sharedDistrict: AreaFact;
  postcode: { postcode: string; key: string; lad: AreaFact; lat: number; lng: number };
  dataset: { version: string; isSample: boolean };
}

export interface AreaFact {
  code: string;
  name: string;
  type: string;
}

const LEP_VINTAGE = '2021';
const LAD_VINTAGE = '2023';

/**
 * Mints GSS codes unique within one run: entity prefix (e.g. E37 for LEPs) + a 6-digit serial.
 * Serials start high so they cannot be mistaken for real codes in a failure message.
 */
function createCodeMinter() {
  const next = new Map<string, number>();
  return (prefix: string): string => {
    const n = next.get(prefix) ?? 900_001;
    next.set(prefix, n + 1);
    return `${prefix}${String(n).padStart(6, '0')}`;
  };
}

/** Area row with defaults for everything a test does not care about. */
function areaRow(
  mint: (prefix: string) => string,
  prefix: string,
  over: Partial<AreaInsert> & Pick<AreaInsert, 'type' | 'name'>,
): AreaInsert {
  return {
    code: mint(prefix),
    vintage: over.type === 'lep' ? LEP_VINTAGE : LAD_VINTAGE,
    status: 'live',
    formerNames: [],
    centroidLat: null,
    centroidLng: null,
    postcodeCount: 0,
    childCounts: {},
    ...over,
  };
}

function link(parent: AreaInsert, child: AreaInsert, vintage: string, relation = 'contains'): LinkInsert {
  return {
    parentType: parent.type,
    parentCode: parent.code,
    childType: child.type,
    childCode: child.code,
    relation,
    vintage,
    share: null,
  };
}

const fact = (a: AreaInsert): AreaFact => ({ code: a.code, name: a.name, type: a.type });

/**
 * Insert a small, self-consistent geography: England → one region → four districts, two LEPs
 * sharing one district, one postcode, and a current sample dataset. Child counts are computed
 * from the links, as the pipeline does.
 */
export async function seedWorkerFixtures(db: NodePgDatabase<typeof schema>): Promise<SeedFacts> {
  const mint = createCodeMinter();

  const country = areaRow(mint, 'E92', { type: 'country', name: 'England (test)' });
  const region = areaRow(mint, 'E12', { type: 'region', name: 'North West (test)' });
  const lepA = areaRow(mint, 'E37', { type: 'lep', name: 'Greater Testchester LEP' });
  const lepB = areaRow(mint, 'E37', { type: 'lep', name: 'Fixture Valley LEP' });
  const lads = ['Testchester', 'Salfixture', 'Mockport', 'Stubton'].map((name, i) =>
    areaRow(mint, 'E08', {
      type: 'lad',
      name,
      centroidLat: 53.4 + i / 100,
      centroidLng: -2.2 - i / 100,
      postcodeCount: i === 0 ? 1 : 0,
    }),
  );
  const [lad1, lad2, lad3, lad4] = lads as [AreaInsert, AreaInsert, AreaInsert, AreaInsert];

  const links: LinkInsert[] = [
    link(country, region, LAD_VINTAGE),
    ...lads.map((lad) => link(region, lad, LAD_VINTAGE)),
    link(lepA, lad1, LEP_VINTAGE),
    link(lepA, lad2, LEP_VINTAGE),
    link(lepA, lad3, LEP_VINTAGE),
    // lad3 sits in both LEPs; both memberships are kept.
    link(lepB, lad3, LEP_VINTAGE),
    link(lepB, lad4, LEP_VINTAGE),
  ];

  const allAreas = [country, region, lepA, lepB, ...lads];
  for (const area of allAreas) area.childCounts = childCountsOf(area, links);

  const postcodeFacts = {
    key: 'ZX11ZZ',
    postcode: 'ZX1 1ZZ',
    quality: 10,
    lat: 53.480759,
    lng: -2.237502,
    countryCode: country.code,
    ladCode: lad1.code,
    wardCode: mint('E05'),
    wardName: 'Piccadilly (test)',
    regionCode: region.code,
    pconCode: null,
    pconMethod: null,
    pcon2024Code: null,
    pcon2024Method: null,
    lepCodes: [lepA.code],
  };
  // The answer is built by the pipeline's own mapper, from the minted areas' names.
  const names = new Map([country, region, lepA, lad1].map((a) => [`${a.type}|${a.code}`, a.name]));
  const postcode = {
    ...postcodeFacts,
    body: postcodeBody(postcodeFacts, (type, code) => names.get(`${type}|${code}`) ?? null),
  } satisfies typeof postcodes.$inferInsert;

  const builtAt = new Date('2026-11-01T12:00:00Z').toISOString();
  const dataset = {
    version: `test-${crypto.randomUUID().slice(0, 8)}`,
    contentHash: 'sha256:test-fixture',
    builtAt,
    isSample: true,
    isCurrent: true,
    sources: [
      {
        id: 'geo_lookups',
        title: 'Geography lookups (test fixture)',
        files: ['geo_lookups/test.csv'],
        publisher: 'innovation-observatory tests',
        licence: 'Open Government Licence v3',
        provenance: 'Minted by test/worker/seed.ts',
      },
    ],
    report: [
      {
        source: 'geo_lookups/test.csv',
        rowsRead: allAreas.length,
        rowsLoaded: allAreas.length,
        rowsRejected: 0,
        rowsSkipped: 0,
        skipped: [],
        rejects: [],
        notes: [],
      },
    ],
  } satisfies typeof datasets.$inferInsert;

  let currentDataset: { version: string; isSample: boolean } = {
    version: dataset.version,
    isSample: dataset.isSample,
  };
  await db.transaction(async (tx) => {
    await tx.insert(areas).values(allAreas);
    await tx.insert(areaLinks).values(links);
    await tx.insert(postcodes).values(postcode);
    // When the real pipeline already loaded the sample, its dataset stays current (it describes the
    // sources the other tables came from); otherwise this minted one is.
    const [current] = await tx.select().from(datasets).where(eq(datasets.isCurrent, true)).limit(1);
    if (current) currentDataset = { version: current.version, isSample: current.isSample };
    else await tx.insert(datasets).values(dataset);
  });

  return {
    country: fact(country),
    region: fact(region),
    leps: [fact(lepA), fact(lepB)],
    lepDistricts: [lad1, lad2, lad3].map(fact),
    sharedDistrict: fact(lad3),
    postcode: {
      postcode: postcode.postcode,
      key: postcode.key,
      lad: fact(lad1),
      lat: postcode.lat,
      lng: postcode.lng,
    },
    dataset: currentDataset,
  };
}

/** { childType: { vintage: count } } for one parent, as the pipeline precomputes it. */
function childCountsOf(parent: AreaInsert, links: LinkInsert[]): Record<string, Record<string, number>> {
  const counts: Record<string, Record<string, number>> = {};
  for (const l of links) {
    if (l.parentCode !== parent.code || l.parentType !== parent.type) continue;
    const byVintage = counts[l.childType] ?? {};
    byVintage[l.vintage] = (byVintage[l.vintage] ?? 0) + 1;
    counts[l.childType] = byVintage;
  }
  return counts;
}
