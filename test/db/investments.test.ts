import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalisePostcode } from '../../src/domain/geography.ts';
import { releaseFileName, type SynthRelease, type SynthRow } from '../../src/pipeline/synth/innovate-uk.ts';
import {
  appFor,
  countedRow as counted,
  generatedReleaseDatabase,
  getJson,
  lepCodesByName,
  type TestDatabase,
} from './harness.ts';

/**
 * Totals served by the API must equal totals computed here, independently, from the generator's
 * own record of what each row says (its "truth") under the stated counting rules.
 */

let tdb: TestDatabase;
let app: ReturnType<typeof appFor>;
let newest: SynthRelease;
let older: SynthRelease;
let lepCode: Map<string, string>;
let close: () => Promise<void>;

beforeAll(async () => {
  // Two releases, the older as XLSX: the pipeline serves the newest.
  const db = await generatedReleaseDatabase({
    rows: 2500,
    seed: 11,
    places: { sample: 300, seed: 5 },
    formats: ['xlsx', 'csv'],
  });
  ({ tdb, close } = db);
  [older, newest] = db.releases as [SynthRelease, SynthRelease];
  app = appFor(tdb.db);
  lepCode = await lepCodesByName(app);
});
afterAll(async () => close?.());

const rows = () => newest.rows.filter(counted);

function tally(keys: (r: SynthRow) => { key: string; weight: number }[]) {
  const out = new Map<string, { pence: number; participants: number; projects: Set<string> }>();
  for (const r of rows()) {
    for (const { key, weight } of keys(r)) {
      const t = out.get(key) ?? { pence: 0, participants: 0, projects: new Set<string>() };
      t.pence += (r.truth.grantOfferedPence ?? 0) * weight;
      t.participants += weight;
      t.projects.add(r.truth.projectNumber);
      out.set(key, t);
    }
  }
  return out;
}

async function served(query: string) {
  const r = await getJson(app, `/v1/investments/summary?${query}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return new Map<string, { grantOffered: { pence: number }; participants: number; projects: number }>(
    r.body.groups.map((g: { key: string | null }) => [g.key ?? '', g]),
  );
}

function expectSame(got: Awaited<ReturnType<typeof served>>, want: ReturnType<typeof tally>) {
  expect(want.size).toBeGreaterThan(0);
  expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
  for (const [k, w] of want) {
    const g = got.get(k);
    expect(g?.grantOffered.pence, `£ for ${k}`).toBe(Math.round(w.pence));
    expect(g?.participants, `participants for ${k}`).toBeCloseTo(w.participants, 9);
    expect(g?.projects, `projects for ${k}`).toBe(w.projects.size);
  }
}

describe('sums reconcile with totals computed from the generated file', () => {
  it('by sector, organisation type and year', async () => {
    expectSame(
      await served('groupBy=sector'),
      tally((r) => [{ key: r.truth.sector, weight: 1 }]),
    );
    expectSame(
      await served('groupBy=orgType'),
      tally((r) => [{ key: r.truth.orgType, weight: 1 }]),
    );
    expectSame(
      await served('groupBy=year'),
      tally((r) => [{ key: String(r.truth.competitionYear), weight: 1 }]),
    );
  });

  it('by district', async () => {
    expectSame(
      await served('groupBy=lad'),
      tally((r) => [{ key: r.truth.ladCode, weight: 1 }]),
    );
  });

  it('by LEP under each overlap policy', async () => {
    const codes = (r: SynthRow) => r.truth.lepNames.map((n) => lepCode.get(n) as string);
    expectSame(
      await served('groupBy=lep'),
      tally((r) => codes(r).map((key) => ({ key, weight: 1 }))),
    );
    expectSame(
      await served('groupBy=lep&overlap=split'),
      tally((r) => codes(r).map((key) => ({ key, weight: 1 / codes(r).length }))),
    );
    expectSame(
      await served('groupBy=lep&overlap=primary'),
      tally((r) =>
        codes(r)
          .slice(0, 1)
          .map((key) => ({ key, weight: 1 })),
      ),
    );
    // Two-LEP districts exist in the data, so the policies really differ.
    expect(rows().some((r) => r.truth.lepNames.length === 2)).toBe(true);
  });

  it('by 2024 constituency, for participants placed by their postcode', async () => {
    const pcon = new Map<string, string>();
    for (const r of rows()) {
      const pc = normalisePostcode(String(r.cells.Postcode ?? ''));
      if (!pc || pcon.has(pc.display)) continue;
      const lookup = await getJson(app, `/v1/postcodes/${encodeURIComponent(pc.display)}`);
      if (lookup.status === 200 && lookup.body.pcon2024) pcon.set(pc.display, lookup.body.pcon2024.code);
    }
    const want = tally((r) => {
      const pc = normalisePostcode(String(r.cells.Postcode ?? ''));
      const code = pc ? pcon.get(pc.display) : undefined;
      return code ? [{ key: code, weight: 1 }] : [];
    });
    const got = await served('groupBy=pcon2024');
    got.delete('');
    expectSame(got, want);
  });

  it('the area headline (precomputed totals) agrees with the participant-level summary', async () => {
    const lep = [
      ...tally((r) => r.truth.lepNames.map((n) => ({ key: lepCode.get(n) as string, weight: 1 }))),
    ].sort((a, b) => b[1].pence - a[1].pence)[0];
    expect(lep).toBeDefined();
    const [code] = lep as [string, unknown];
    for (const overlap of ['full', 'split', 'primary']) {
      const head = await getJson(app, `/v1/areas/${code}/investments?overlap=${overlap}`);
      // yearFrom=2000 covers every year but forces the participant-level query.
      const sum = await getJson(app, `/v1/investments/summary?area=${code}&overlap=${overlap}&yearFrom=2000`);
      expect(sum.body.computedFrom).toBe('participants');
      expect(head.body.totals.grantOffered.pence).toBe(sum.body.total.grantOffered.pence);
      const lead = await getJson(app, `/v1/investments/summary?area=${code}&overlap=${overlap}&lead=true`);
      expect(head.body.totals.leadParticipants).toBeCloseTo(lead.body.total.participants, 9);
      expect(head.body.totals.participants).toBeCloseTo(sum.body.total.participants, 9);
      expect(head.body.totals.projects).toBe(sum.body.total.projects);
      // £ recomputed from the rows under this policy (not only under full).
      const leps = (r: SynthRow) => r.truth.lepNames.map((n) => lepCode.get(n) as string);
      const policyPence = tally((r) => {
        const mine = leps(r);
        if (overlap === 'primary') return mine[0] === code ? [{ key: code, weight: 1 }] : [];
        if (!mine.includes(code)) return [];
        return [{ key: code, weight: overlap === 'split' ? 1 / mine.length : 1 }];
      }).get(code)?.pence;
      expect(policyPence, `${overlap}: rows in ${code}`).toBeGreaterThan(0);
      expect(head.body.totals.grantOffered.pence).toBe(Math.round(policyPence as number));
      const sectors = await getJson(
        app,
        `/v1/investments/summary?area=${code}&overlap=${overlap}&groupBy=sector&yearFrom=2000`,
      );
      expect(head.body.topSectors.length, overlap).toBeGreaterThan(0);
      for (const t of head.body.topSectors) {
        const g = sectors.body.groups.find((x: { key: string }) => x.key === t.sector);
        expect(t.projects, t.sector).toBe(g.projects);
      }
      const byYear = head.body.byYear.reduce(
        (s: number, y: { grantOffered: { pence: number } }) => s + y.grantOffered.pence,
        0,
      );
      expect(Math.abs(byYear - head.body.totals.grantOffered.pence)).toBeLessThanOrEqual(
        head.body.byYear.length,
      );
    }
  });

  it("the area headline's top organisations equal a ranking recomputed from the rows", async () => {
    // Organisation identity as the generator records it: the participant key after the project.
    const identity = (r: SynthRow) => r.truth.participantKey.slice(r.truth.projectNumber.length + 1);
    const codes = (r: SynthRow) => r.truth.lepNames.map((n) => lepCode.get(n) as string);
    const ranked = (share: (r: SynthRow) => number) => {
      const byOrg = new Map<string, { pence: number; projects: Set<string> }>();
      for (const r of rows()) {
        const w = share(r);
        if (w === 0) continue;
        const o = byOrg.get(identity(r)) ?? { pence: 0, projects: new Set<string>() };
        o.pence += r.truth.grantOfferedPence * w;
        o.projects.add(r.truth.projectNumber);
        byOrg.set(identity(r), o);
      }
      return [...byOrg].sort((a, b) => b[1].pence - a[1].pence);
    };
    // The LEP with most two-LEP participants (so the policies differ there), and the busiest district.
    const twoLep = new Map<string, number>();
    for (const r of rows()) {
      if (r.truth.lepNames.length === 2) for (const c of codes(r)) twoLep.set(c, (twoLep.get(c) ?? 0) + 1);
    }
    const lep = [...twoLep].sort((a, b) => b[1] - a[1])[0]?.[0] as string;
    expect(lep, 'a LEP sharing districts with another').toBeDefined();
    // The district with most distinct organisations (not rows: a few busy ones can fill a district).
    const ladOrgs = new Map<string, Set<string>>();
    for (const r of rows())
      ladOrgs.set(r.truth.ladCode, (ladOrgs.get(r.truth.ladCode) ?? new Set()).add(identity(r)));
    const lad = [...ladOrgs].sort((a, b) => b[1].size - a[1].size)[0]?.[0] as string;
    const cases: [string, string, (r: SynthRow) => number][] = [
      [lep, 'full', (r) => (codes(r).includes(lep) ? 1 : 0)],
      [lep, 'split', (r) => (codes(r).includes(lep) ? 1 / codes(r).length : 0)],
      [lep, 'primary', (r) => (codes(r)[0] === lep ? 1 : 0)],
      [lad, 'full', (r) => (r.truth.ladCode === lad ? 1 : 0)],
      [lad, 'split', (r) => (r.truth.ladCode === lad ? 1 : 0)],
    ];
    const lists = new Set<string>();
    for (const [code, overlap, share] of cases) {
      const want = ranked(share);
      expect(want.length, `${code} ${overlap}`).toBeGreaterThan(10);
      const head = await getJson(app, `/v1/areas/${code}/investments?overlap=${overlap}`);
      expect(head.status).toBe(200);
      const top: { id: string; grantOffered: { pence: number }; projects: number }[] =
        head.body.topOrganisations;
      expect(top).toHaveLength(10);
      // Ties may order equal organisations differently; the amounts and project counts may not.
      expect(
        top.map((o) => o.grantOffered.pence),
        `${code} ${overlap}`,
      ).toEqual(want.slice(0, 10).map(([, w]) => Math.round(w.pence)));
      const wantByIdentity = new Map(want);
      let named = 0;
      for (const o of top) {
        if (!o.id.startsWith('crn-')) continue;
        const w = wantByIdentity.get(`crn:${o.id.slice(4)}`);
        expect(w, o.id).toBeDefined();
        expect(o.grantOffered.pence, o.id).toBe(Math.round(w?.pence ?? Number.NaN));
        expect(o.projects, o.id).toBe(w?.projects.size);
        named += 1;
      }
      expect(named, `${code} ${overlap}: organisations identified by CRN`).toBeGreaterThan(0);
      lists.add(JSON.stringify(top.map((o) => o.grantOffered.pence)));
    }
    // The split and primary lists of the LEP really differ from its full one.
    expect(lists.size).toBeGreaterThanOrEqual(3);
  });

  it('the precomputed totals and the participant rows give the same answers', async () => {
    for (const q of [
      'groupBy=sector',
      'groupBy=lep&overlap=split',
      'groupBy=lep&overlap=primary',
      'groupBy=year&area=E92000001',
      'groupBy=orgType',
    ]) {
      const fast = await getJson(app, `/v1/investments/summary?${q}`);
      // yearFrom=2000 includes every year but forces the participant-level query.
      const slow = await getJson(app, `/v1/investments/summary?${q}&yearFrom=2000`);
      expect(fast.body.computedFrom).toBe('precomputed totals');
      expect(slow.body.computedFrom).toBe('participants');
      expect({ q, total: fast.body.total }).toEqual({ q, total: slow.body.total });
      const byKey = (b: { groups: { key: string | null }[] }) =>
        [...b.groups].sort((x, y) => String(x.key).localeCompare(String(y.key)));
      expect(byKey(fast.body)).toEqual(byKey(slow.body));
    }
  });

  it('withdrawn participants are excluded by default and included on request', async () => {
    const all = newest.rows.filter((r) => !r.truth.malformed);
    const def = await getJson(app, '/v1/investments/summary');
    const inc = await getJson(app, '/v1/investments/summary?includeWithdrawn=true');
    expect(def.body.total.participants).toBe(rows().length);
    expect(inc.body.total.participants).toBe(all.length);
    expect(inc.body.total.participants).toBeGreaterThan(def.body.total.participants);
    expect(def.body.rules.withdrawn).toBe('excluded');
    const lead = await getJson(app, '/v1/investments/summary?lead=true');
    expect(lead.body.total.participants).toBe(rows().filter((r) => r.truth.isLead).length);
  });

  it('two releases are not counted twice: the newest wins and the report says how many were superseded', async () => {
    const meta = await getJson(app, '/v1/meta');
    const olderFile = releaseFileName(older.releaseDate, 'xlsx');
    const olderReport = meta.body.report.find((r: { source: string }) => r.source.endsWith(olderFile));
    expect(olderReport.notes.join(' ')).toMatch(/supersed/i);
    const inc = await getJson(app, '/v1/investments/summary?includeWithdrawn=true');
    const keys = new Set(
      [...newest.rows, ...older.rows].filter((r) => !r.truth.malformed).map((r) => r.truth.participantKey),
    );
    expect(inc.body.total.participants).toBe(keys.size);
  });
});

describe('smart specialisation', () => {
  it('location quotients by sector equal (area share) / (England share) from the summaries', async () => {
    const lep = (await getJson(app, '/v1/investments/summary?groupBy=lep')).body.groups[0].key as string;
    const area = await getJson(app, `/v1/investments/summary?area=${lep}&groupBy=sector`);
    const eng = await getJson(app, '/v1/investments/summary?area=E92000001&groupBy=sector');
    const r = await getJson(app, `/v1/areas/${lep}/specialisation?measure=grant`);
    expect(r.status).toBe(200);
    expect(r.body.reference).toEqual({ code: 'E92000001', label: 'England' });
    const areaTotal = area.body.total.grantOffered.pence;
    const engTotal = eng.body.total.grantOffered.pence;
    expect(r.body.sectors.length).toBeGreaterThan(1);
    for (const s of r.body.sectors) {
      const a = area.body.groups.find((g: { key: string }) => g.key === s.sector)?.grantOffered.pence ?? 0;
      const e = eng.body.groups.find((g: { key: string }) => g.key === s.sector).grantOffered.pence;
      expect(s.lq).toBeCloseTo(a / areaTotal / (e / engTotal), 9);
      expect(s.specialised).toBe(s.lq > 1);
      expect(s.smallNumber).toBe(s.participants < 5);
    }
    // Relatedness density recomputed here from the generator's truth: organisations × sectors.
    const sectorsOfOrg = new Map<number, Set<string>>();
    for (const row of rows()) {
      const set = sectorsOfOrg.get(row.truth.organisationId) ?? new Set<string>();
      set.add(row.truth.sector);
      sectorsOfOrg.set(row.truth.organisationId, set);
    }
    const names: string[] = r.body.sectors.map((s: { sector: string }) => s.sector);
    const C = names.map((a) =>
      names.map((b) => (a === b ? 0 : [...sectorsOfOrg.values()].filter((x) => x.has(a) && x.has(b)).length)),
    );
    const S = C.map((row) => row.reduce((x, y) => x + y, 0));
    const T = S.reduce((x, y) => x + y, 0);
    const phi = C.map((row, a) =>
      row.map((c, b) => (T && S[a] && S[b] ? c / T / (((S[a] as number) / T) * ((S[b] as number) / T)) : 0)),
    );
    const M = r.body.sectors.map((s: { specialised: boolean }) => (s.specialised ? 1 : 0));
    names.forEach((_, k) => {
      const den = phi.reduce((acc, row) => acc + (row[k] ?? 0), 0);
      const num = phi.reduce((acc, row, a) => acc + (M[a] as number) * (row[k] ?? 0), 0);
      const want = den === 0 ? null : (100 * num) / den;
      const got = r.body.sectors[k].relatednessDensity;
      if (want === null) expect(got).toBeNull();
      else expect(got).toBeCloseTo(want, 9);
      expect(r.body.sectors[k].adjacentOpportunity).toBe(!r.body.sectors[k].specialised && (got ?? 0) >= 50);
    });
    const lqs = r.body.sectors.map((s: { lq: number }) => s.lq);
    expect(lqs).toEqual([...lqs].sort((x, y) => y - x));
    expect(r.body.portfolio.hoover).toBeCloseTo(r.body.portfolio.krugman / 2, 12);
    const byProjects = await getJson(app, `/v1/areas/${lep}/specialisation?measure=projects&format=csv`);
    expect(byProjects.res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect((await getJson(app, `/v1/areas/${lep}/specialisation?measure=money`)).status).toBe(400);
    expect((await getJson(app, '/v1/areas/E37999999/specialisation')).status).toBe(404);
  });
});

describe('lookups', () => {
  it('lists participants with filters, pages with a cursor in amount order, and states the rules', async () => {
    const p1 = await getJson(app, '/v1/investments?limit=50');
    expect(p1.status).toBe(200);
    expect(p1.body.page.total).toBe(rows().length);
    const amounts = p1.body.data.map(
      (d: { grantOffered: { pence: number } | null }) => d.grantOffered?.pence ?? -1,
    );
    expect(amounts).toEqual([...amounts].sort((a: number, b: number) => b - a));
    const p2 = await getJson(app, `/v1/investments?limit=50&cursor=${p1.body.page.nextCursor}`);
    expect(p2.body.data[0].grantOffered.pence).toBeLessThanOrEqual(amounts.at(-1));
    expect(new Set([...p1.body.data, ...p2.body.data].map((d: { id: number }) => d.id)).size).toBe(100);
    expect(p1.body.rules.overlap.policy).toBe('full');
    expect(p1.body.source.synthetic).toBe(false); // a test folder without the SYNTHETIC.md marker
  });

  it('cursors walk every participant (date order) and every organisation exactly once', async () => {
    for (const [path, total] of [
      ['/v1/investments?limit=500&sort=date&order=asc', rows().length],
      ['/v1/investments?limit=500&sort=amount&order=asc&includeWithdrawn=true', undefined],
      ['/v1/organisations?limit=500', undefined],
    ] as const) {
      const seen = new Set<string>();
      let pages = 0;
      let expected: number | undefined = total;
      let cursor: string | null = null;
      do {
        const r = await getJson(app, `${path}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(r.status, path).toBe(200);
        expected ??= r.body.page.total;
        for (const d of r.body.data) seen.add(String(d.id));
        cursor = r.body.page.nextCursor;
        pages += 1;
      } while (cursor && pages < 100);
      expect(pages, path).toBeGreaterThan(1);
      expect(seen.size, path).toBe(expected);
    }
  });

  it('filters by area, sector, organisation type, organisation, postcode and name', async () => {
    // A participant placed at a postcode, so every filter below has something to find.
    const first = (await getJson(app, '/v1/investments?limit=100')).body.data.find(
      (d: { place: { postcode: string | null; lad: string | null } }) => d.place.postcode && d.place.lad,
    );
    expect(first, 'a participant with a postcode and a district').toBeDefined();
    const byOrg = await getJson(app, `/v1/investments?org=${first.organisation.id}&limit=500`);
    expect(byOrg.body.data.length).toBeGreaterThan(0);
    expect(
      byOrg.body.data.every(
        (d: { organisation: { id: string } }) => d.organisation.id === first.organisation.id,
      ),
    ).toBe(true);
    const byLad = await getJson(app, `/v1/investments?area=${first.place.lad}&limit=500`);
    expect(byLad.body.data.length).toBeGreaterThan(0);
    expect(byLad.body.data.every((d: { place: { lad: string } }) => d.place.lad === first.place.lad)).toBe(
      true,
    );
    const byType = await getJson(app, `/v1/investments?orgType=${first.orgType}&limit=5`);
    expect(byType.body.data.length).toBeGreaterThan(0);
    expect(byType.body.data.every((d: { orgType: string }) => d.orgType === first.orgType)).toBe(true);
    const byPc = await getJson(
      app,
      `/v1/investments?postcode=${encodeURIComponent(first.place.postcode.toLowerCase().replace(' ', ''))}`,
    );
    expect(byPc.body.data.map((d: { id: number }) => d.id)).toContain(first.id);
    const word = first.organisation.name.split(' ')[0] as string;
    const byName = await getJson(
      app,
      `/v1/investments?q=${encodeURIComponent(`${word.toUpperCase()} limited`)}&limit=500`,
    );
    expect(byName.body.data.map((d: { id: number }) => d.id)).toContain(first.id);
  });

  it('a project with all its participants and places; an organisation with its projects', async () => {
    const first = (await getJson(app, '/v1/investments?limit=1')).body.data[0];
    const project = await getJson(app, first.project.href);
    expect(project.status).toBe(200);
    expect(project.body.participants.map((p: { id: number }) => p.id)).toContain(first.id);
    const countedPence = project.body.participants
      .filter((p: { counted: boolean }) => p.counted)
      .reduce(
        (s: number, p: { grantOffered: { pence: number } | null }) => s + (p.grantOffered?.pence ?? 0),
        0,
      );
    expect(project.body.grantOffered.pence).toBe(countedPence);
    const org = await getJson(app, first.organisation.href);
    expect(org.status).toBe(200);
    expect(org.body.projectList.map((p: { projectNumber: string }) => p.projectNumber)).toContain(
      first.project.number,
    );
    const search = await getJson(
      app,
      `/v1/organisations?q=${encodeURIComponent(org.body.name.toLowerCase())}`,
    );
    expect(search.body.data.map((o: { id: string }) => o.id)).toContain(org.body.id);
  });

  it("an organisation's participations come a page at a time, each exactly once, latest year first", async () => {
    // The generator's record: every participation (both releases, withdrawn too) of each CRN.
    const byCrn = new Map<string, Map<string, number>>();
    for (const r of [...newest.rows, ...older.rows]) {
      if (r.truth.malformed) continue;
      const crn = r.truth.participantKey.split('|crn:')[1];
      if (!crn) continue;
      const projects = byCrn.get(crn) ?? new Map<string, number>();
      projects.set(r.truth.projectNumber, r.truth.competitionYear);
      byCrn.set(crn, projects);
    }
    const [crn, want] = [...byCrn].sort((a, b) => b[1].size - a[1].size || a[0].localeCompare(b[0]))[0] as [
      string,
      Map<string, number>,
    ];
    expect(want.size, 'an organisation with several participations').toBeGreaterThan(4);
    const seen: { projectNumber: string; year: number | null }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await getJson(
        app,
        `/v1/organisations/crn-${crn}?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.page.total).toBe(want.size);
      expect(r.body.projectList.length).toBeLessThanOrEqual(2);
      seen.push(...r.body.projectList);
      cursor = r.body.page.nextCursor;
      pages += 1;
    } while (cursor && pages < 100);
    expect(pages).toBe(Math.ceil(want.size / 2));
    expect(seen.map((p) => p.projectNumber).sort()).toEqual([...want.keys()].sort());
    for (const p of seen) expect(p.year, p.projectNumber).toBe(want.get(p.projectNumber));
    const years = seen.map((p) => p.year as number);
    expect(years).toEqual([...years].sort((a, b) => b - a));
    // One page of everything is the same list in the same order.
    const whole = await getJson(app, `/v1/organisations/crn-${crn}?limit=500`);
    expect(whole.body.page.nextCursor).toBeNull();
    expect(whole.body.projectList).toEqual(seen);
  });

  it("an organisation's page parameters: bad cursors and limits are a 400 naming them", async () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const org = (await getJson(app, '/v1/organisations?limit=1')).body.data[0];
    expect(org, 'an organisation to page through').toBeDefined();
    const list = await getJson(app, '/v1/organisations?limit=1');
    for (const [query, location] of [
      ['cursor=zzz%%', 'query.cursor'],
      ['cursor=bm90IGpzb24', 'query.cursor'], // "not json"
      [`cursor=${list.body.page.nextCursor}`, 'query.cursor'], // another list's cursor
      [`cursor=${b64([2020, 'P1'])}`, 'query.cursor'],
      [`cursor=${b64([1e300, 'P1', 1])}`, 'query.cursor'],
      [`cursor=${b64([2020.5, 'P1', 1])}`, 'query.cursor'],
      [`cursor=${b64([-2, 'P1', 1])}`, 'query.cursor'],
      [`cursor=${b64([2020, 'P\u0000', 1])}`, 'query.cursor'],
      [`cursor=${b64([2020, 'P1', 0])}`, 'query.cursor'],
      [`cursor=${b64([2020, 'P1', 1e20])}`, 'query.cursor'],
      ['limit=0', 'query.limit'],
      ['limit=501', 'query.limit'],
      ['limit=0x10', 'query.limit'],
    ]) {
      const r = await getJson(app, `${org.href}?${query}`);
      expect(r.status, query).toBe(400);
      expect(r.res.headers.get('content-type'), query).toContain('application/problem+json');
      expect(
        r.body.errors.map((e: { location: string }) => e.location),
        query,
      ).toContain(location);
    }
  });

  it('clear 4xx for unknown area, reversed years, unknown sector, bad postcode, unknown org or project', async () => {
    const bad = await getJson(
      app,
      '/v1/investments?area=E37999999&yearFrom=2020&yearTo=2010&sector=Nope&postcode=hello',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { location: string }) => e.location).sort()).toEqual([
      'query.area',
      'query.postcode',
      'query.sector',
      'query.yearFrom',
    ]);
    expect((await getJson(app, '/v1/investments/summary?groupBy=colour')).status).toBe(400);
    expect((await getJson(app, '/v1/investments?org=crn-99999999')).status).toBe(400);
    expect((await getJson(app, '/v1/projects/NOPE-1')).status).toBe(404);
    expect((await getJson(app, '/v1/organisations/crn-99999999')).status).toBe(404);
    expect((await getJson(app, '/v1/areas/E37999999/investments')).status).toBe(404);
    expect((await getJson(app, '/v1/investments?cursor=zzz')).status).toBe(400);
  });

  it('exports every matching row as CSV and XLSX, not one page', async () => {
    const csv = await app.request('/v1/investments?format=csv');
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await csv.text()).trim().split('\n');
    expect(lines.length - 1).toBe(rows().length);
    const sum = await app.request('/v1/investments/summary?groupBy=sector&format=xlsx');
    expect(new Uint8Array(await sum.arrayBuffer()).slice(0, 2)).toEqual(new Uint8Array([0x50, 0x4b]));
  });

  it('a printable PDF summary of an area', async () => {
    const r = await app.request('/v1/areas/E92000001/investments.pdf');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/pdf');
    const bytes = new Uint8Array(await r.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
  });
});

describe('specialisation across LEPs from the generated rows', () => {
  /** LEP (and England "E") × sector tallies from the generator's truth, counted rows only. */
  function matrix(measure: 'grant' | 'participants' | 'projects', year?: number) {
    const cells = new Map<string, { pence: number; participants: number; projects: Set<string> }>();
    for (const r of rows()) {
      if (year !== undefined && r.truth.competitionYear !== year) continue;
      const areas = [...r.truth.lepNames.map((n) => lepCode.get(n) as string)];
      if (r.truth.ladCode.startsWith('E')) areas.push('E');
      for (const a of areas) {
        const key = `${a}|${r.truth.sector}`;
        const t = cells.get(key) ?? { pence: 0, participants: 0, projects: new Set<string>() };
        t.pence += r.truth.grantOfferedPence ?? 0;
        t.participants += 1;
        t.projects.add(r.truth.projectNumber);
        cells.set(key, t);
      }
    }
    const value = (a: string, s: string) => {
      const t = cells.get(`${a}|${s}`);
      if (!t) return 0;
      return measure === 'grant' ? t.pence : measure === 'participants' ? t.participants : t.projects.size;
    };
    return { value, support: (a: string, s: string) => cells.get(`${a}|${s}`)?.participants ?? 0 };
  }

  for (const measure of ['grant', 'participants', 'projects'] as const) {
    it(`${measure}: every LEP × sector LQ against England, all years pooled and one year`, async () => {
      const latest = Math.max(...rows().map((r) => r.truth.competitionYear));
      for (const year of [undefined, latest]) {
        const r = await getJson(
          app,
          `/v1/specialisation?measure=${measure}&categories=sector${year ? `&year=${year}` : ''}`,
        );
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        expect(r.body.period).toBe(year ? String(year) : 'all');
        expect(r.body.source.loaded).toBe(true);
        const m = matrix(measure, year);
        const sectors: string[] = r.body.categoryList;
        const leps = [...new Set(lepCode.values())];
        const total = (a: string) => sectors.reduce((acc, s) => acc + m.value(a, s), 0);
        let specialised = 0;
        for (const cell of r.body.cells) {
          const a = cell.area.code;
          const s = cell.category;
          expect(cell.value, `${a} ${s}`).toBe(m.value(a, s));
          expect(cell.referenceValue).toBe(m.value('E', s));
          expect(cell.support).toBe(m.support(a, s));
          expect(cell.smallNumber).toBe(m.support(a, s) < 5);
          const ta = total(a);
          const lq =
            ta === 0 || m.value('E', s) === 0 ? null : m.value(a, s) / ta / (m.value('E', s) / total('E'));
          if (lq === null) expect(cell.lq).toBeNull();
          else expect(cell.lq).toBeCloseTo(lq, 10);
          if (cell.specialised) specialised += 1;
        }
        expect(r.body.cells).toHaveLength(leps.length * sectors.length);
        expect(specialised).toBeGreaterThan(0);
      }
    });
  }

  it('sector relatedness from organisations winning in both, and densities', async () => {
    const orgSectors = new Map<number, Set<string>>();
    for (const r of rows()) {
      const set = orgSectors.get(r.truth.organisationId) ?? new Set<string>();
      set.add(r.truth.sector);
      orgSectors.set(r.truth.organisationId, set);
    }
    const rel = await getJson(app, '/v1/relatedness?measure=grant&categories=sector');
    expect(rel.status).toBe(200);
    const names: string[] = rel.body.categoryList;
    // Every sector the rows win in, so the matrices below are not empty.
    expect([...names].sort()).toEqual([...new Set(rows().map((r) => r.truth.sector))].sort());
    const C = names.map((a) =>
      names.map((b) => (a === b ? 0 : [...orgSectors.values()].filter((s) => s.has(a) && s.has(b)).length)),
    );
    expect(rel.body.cooccurrence).toEqual(C);
    const S = C.map((row) => row.reduce((x, y) => x + y, 0));
    const T = S.reduce((x, y) => x + y, 0);
    const phi = C.map((row, i) =>
      row.map((c, j) => c / T / (((S[i] as number) / T) * ((S[j] as number) / T))),
    );
    phi.forEach((row, i) => {
      row.forEach((v, j) => {
        expect(rel.body.association[i][j]).toBeCloseTo(v, 10);
      });
    });
    const d = await getJson(app, '/v1/relatedness/density?measure=grant&categories=sector');
    expect(d.status).toBe(200);
    const M = new Map<string, number[]>();
    for (const cell of d.body.cells) {
      const row = M.get(cell.area.code) ?? names.map(() => 0);
      row[names.indexOf(cell.category)] = cell.lq !== null && cell.lq > 1 ? 1 : 0;
      M.set(cell.area.code, row);
    }
    let checked = 0;
    for (const cell of d.body.cells) {
      const i = names.indexOf(cell.category);
      const m = M.get(cell.area.code) as number[];
      const den = names.reduce((acc, _, j) => acc + (phi[j]?.[i] as number), 0);
      const num = names.reduce((acc, _, j) => acc + (m[j] as number) * (phi[j]?.[i] as number), 0);
      expect(cell.density).toBeCloseTo((100 * num) / den, 9);
      expect(cell.adjacentOpportunity).toBe(m[i] === 0 && (100 * num) / den >= 50);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(0);
  });
});

describe('an area grouping says how its rows add up to the total', () => {
  /** Every counted participant, walked through the list (not the summary code). */
  async function everyParticipant() {
    const rows: { grantOffered: { pence: number } | null; place: { leps: string[] } }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await getJson(app, `/v1/investments?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      rows.push(...r.body.data);
      cursor = r.body.page.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    return rows;
  }

  it('unfiltered by LEP: rows + outside − counted twice = total, each part recomputed from the rows', async () => {
    const rows = await everyParticipant();
    expect(rows.length).toBeGreaterThan(100);
    const pence = (r: (typeof rows)[number]) => r.grantOffered?.pence ?? 0;
    const outside = rows.filter((r) => r.place.leps.length === 0);
    const twice = rows.filter((r) => r.place.leps.length > 1);
    // The generated data has participants outside England and in the two-LEP districts.
    expect(outside.length).toBeGreaterThan(0);
    expect(twice.length).toBeGreaterThan(0);

    const full = await getJson(app, '/v1/investments/summary?groupBy=lep');
    expect(full.status).toBe(200);
    const rec = full.body.reconciliation;
    expect(rec.outside.participants).toBe(outside.length);
    expect(rec.outside.grantOffered.pence).toBe(outside.reduce((s, r) => s + pence(r), 0));
    expect(rec.countedTwice.participants).toBe(twice.reduce((s, r) => s + r.place.leps.length - 1, 0));
    expect(rec.countedTwice.grantOffered.pence).toBe(
      twice.reduce((s, r) => s + pence(r) * (r.place.leps.length - 1), 0),
    );
    const rowsPence = full.body.groups.reduce(
      (s: number, g: { grantOffered: { pence: number } }) => s + g.grantOffered.pence,
      0,
    );
    expect(rowsPence + rec.outside.grantOffered.pence - rec.countedTwice.grantOffered.pence).toBe(
      full.body.total.grantOffered.pence,
    );

    // Under primary each participant is in one row at most: nothing counted twice.
    const primary = await getJson(app, '/v1/investments/summary?groupBy=lep&overlap=primary');
    expect(primary.body.reconciliation.countedTwice).toEqual({
      grantOffered: { pence: 0, pounds: '0.00' },
      participants: 0,
    });
    expect(primary.body.reconciliation.outside).toEqual(rec.outside);
  });

  it('is null when the grouping is not by area', async () => {
    const r = await getJson(app, '/v1/investments/summary?groupBy=sector');
    expect(r.status).toBe(200);
    expect(r.body.groups.length).toBeGreaterThan(0);
    expect(r.body.reconciliation).toBeNull();
    expect((await getJson(app, '/v1/investments/summary')).body.reconciliation).toBeNull();
  });
});
