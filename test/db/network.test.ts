import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SynthRelease, SynthRow } from '../../src/pipeline/synth/innovate-uk.ts';
import {
  appFor,
  countedRow,
  DEFAULT_HAS_INNOVATE_UK,
  generatedReleaseDatabase,
  getJson,
  lepCodesByName,
  loadedTestDatabase,
  type TestDatabase,
} from './harness.ts';

/**
 * The network served must equal the network recomputed here from participant rows: from the
 * generator's record of each row (a release generated from DATA_DIR's postcodes — the full data
 * when DATA_DIR is set) and from the participant rows of the default dataset (the sample's
 * synthetic release). The recomputation asks, for every pair of areas a project touches, whether
 * two distinct participants sit one in each — a different formulation from the pipeline's.
 */

interface Row {
  project: string;
  id: string;
  org: string;
  areas: string[];
  grant: number;
  year: number;
  sector: string;
  lead?: boolean;
}

interface Expected {
  projects: Set<string>;
  grant: number;
  orgs: Set<string>;
}

function recompute(rows: readonly Row[]) {
  const byProject = new Map<string, Row[]>();
  for (const r of rows) byProject.set(r.project, [...(byProject.get(r.project) ?? []), r]);
  const edges = new Map<string, Expected>();
  for (const [project, parts] of byProject) {
    const grant = parts.reduce((s, r) => s + r.grant, 0);
    const touched = [...new Set(parts.flatMap((r) => r.areas))].sort();
    for (const a of touched) {
      for (const b of touched) {
        if (b < a) continue;
        const orgs = new Set<string>();
        for (const i of parts)
          for (const j of parts)
            if (i.id !== j.id && i.areas.includes(a) && j.areas.includes(b)) {
              orgs.add(i.org);
              orgs.add(j.org);
            }
        if (orgs.size === 0) continue;
        const key = `${a}|${b}`;
        const e = edges.get(key) ?? { projects: new Set<string>(), grant: 0, orgs: new Set<string>() };
        e.projects.add(project);
        e.grant += grant;
        for (const o of orgs) e.orgs.add(o);
        edges.set(key, e);
      }
    }
  }
  return edges;
}

type Served = {
  source: string;
  target: string;
  projects: number;
  grantOffered: { pence: number };
  organisations: number;
};

function expectEdges(served: Served[], want: Map<string, Expected>) {
  expect(want.size).toBeGreaterThan(0);
  const got = new Map(served.map((e) => [`${e.source}|${e.target}`, e]));
  expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
  for (const [k, w] of want) {
    const g = got.get(k);
    expect(g?.projects, `projects ${k}`).toBe(w.projects.size);
    expect(g?.grantOffered.pence, `£ ${k}`).toBe(w.grant);
    expect(g?.organisations, `organisations ${k}`).toBe(w.orgs.size);
  }
}

describe('network from a generated release (DATA_DIR postcodes)', () => {
  let tdb: TestDatabase;
  let app: ReturnType<typeof appFor>;
  let release: SynthRelease;
  let lepCode: Map<string, string>;
  let rows: Row[];
  let ladRows: Row[];

  beforeAll(async () => {
    const db = await generatedReleaseDatabase({ rows: 4000, seed: 21, places: { sample: 600, seed: 3 } });
    ({ tdb } = db);
    release = db.releases[0] as SynthRelease;
    app = appFor(tdb.db);
    lepCode = await lepCodesByName(app);
    const counted = release.rows.filter(countedRow);
    const base = (r: SynthRow, i: number) => ({
      project: r.truth.projectNumber,
      id: String(i),
      org: r.truth.participantKey.split('|')[1] as string,
      grant: r.truth.grantOfferedPence,
      year: r.truth.competitionYear,
      sector: r.truth.sector,
      lead: r.truth.isLead,
    });
    rows = counted.map((r, i) => ({
      ...base(r, i),
      areas: r.truth.lepNames.map((n) => lepCode.get(n) as string),
    }));
    ladRows = counted.map((r, i) => ({ ...base(r, i), areas: [r.truth.ladCode] }));
  });
  afterAll(async () => tdb?.close());

  // Organisation identities differ between the generator (CRN or name) and the API (crn-…/name-…),
  // but they are one-to-one, so distinct counts agree.

  it('LEP edges, all years and sectors', async () => {
    const r = await getJson(app, '/v1/network?level=lep');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.source.synthetic).toBe(false);
    expectEdges(r.body.edges, recompute(rows));
    // Two-LEP districts exist, and their participants alone link nothing.
    expect(rows.some((x) => x.areas.length === 2)).toBe(true);
  });

  it('LEP edges filtered by years and by sector add up the cells exactly', async () => {
    const years = [...new Set(rows.map((x) => x.year))].sort();
    const [from, to] = [
      years[Math.floor(years.length / 3)] as number,
      years[Math.floor((2 * years.length) / 3)] as number,
    ];
    const r = await getJson(app, `/v1/network?level=lep&measure=grant&yearFrom=${from}&yearTo=${to}`);
    expect(r.status).toBe(200);
    expectEdges(r.body.edges, recompute(rows.filter((x) => x.year >= from && x.year <= to)));
    for (const e of r.body.edges) expect(e.weight).toBe(e.grantOffered.pence);
    const sector = rows[0]?.sector as string;
    const s = await getJson(
      app,
      `/v1/network?level=lep&measure=organisations&sector=${encodeURIComponent(sector)}`,
    );
    expect(s.status).toBe(200);
    expectEdges(s.body.edges, recompute(rows.filter((x) => x.sector === sector)));
    for (const e of s.body.edges) expect(e.weight).toBe(e.organisations);
  });

  it('district edges', async () => {
    const r = await getJson(app, '/v1/network?level=lad&yearFrom=2000');
    expect(r.status).toBe(200);
    expectEdges(r.body.edges, recompute(ladRows));
  });

  it('nodes: totals, the self-link share, and measures consistent with the edges', async () => {
    const r = await getJson(app, '/v1/network?level=lep');
    const want = new Map<
      string,
      { projects: Set<string>; grant: number; participants: number; orgs: Set<string> }
    >();
    for (const x of rows)
      for (const a of x.areas) {
        const t = want.get(a) ?? {
          projects: new Set<string>(),
          grant: 0,
          participants: 0,
          orgs: new Set<string>(),
        };
        t.projects.add(x.project);
        t.grant += x.grant;
        t.participants += 1;
        t.orgs.add(x.org);
        want.set(a, t);
      }
    const edges = recompute(rows);
    expect(want.size).toBeGreaterThan(0);
    expect(r.body.nodes.length).toBe(want.size);
    for (const n of r.body.nodes) {
      const w = want.get(n.code);
      expect(w, n.code).toBeDefined();
      expect(n.projects).toBe(w?.projects.size);
      expect(n.grantOffered.pence).toBe(w?.grant);
      expect(n.participants).toBe(w?.participants);
      expect(n.organisations).toBe(w?.orgs.size);
      const partners = [...edges].filter(([k]) => {
        const [a, b] = k.split('|');
        return a !== b && (a === n.code || b === n.code);
      });
      expect(n.degree).toBe(partners.length);
      expect(n.strength).toBe(partners.reduce((s, [, e]) => s + e.projects.size, 0));
      const collab = new Set(partners.flatMap(([, e]) => [...e.projects]));
      expect(n.collaborativeProjects).toBe(collab.size);
      expect(n.withinArea.projects).toBe(edges.get(`${n.code}|${n.code}`)?.projects.size ?? 0);
      expect(n.eigenvector).toBeGreaterThanOrEqual(0);
      expect(n.eigenvector).toBeLessThanOrEqual(1);
    }
    expect(Math.max(...r.body.nodes.map((n: { eigenvector: number }) => n.eigenvector))).toBeCloseTo(1, 9);
  });

  it('a LEP’s collaborations: partners, share with other LEPs, bridging organisations', async () => {
    const edges = recompute(rows);
    const degree = new Map<string, number>();
    for (const k of edges.keys()) {
      const [a, b] = k.split('|') as [string, string];
      if (a === b) continue;
      degree.set(a, (degree.get(a) ?? 0) + 1);
      degree.set(b, (degree.get(b) ?? 0) + 1);
    }
    const code = [...degree].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))[0]?.[0] as string;
    const r = await getJson(app, `/v1/leps/${code.toLowerCase()}/collaborations?limit=500`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const mine = [...edges].filter(([k]) => k.split('|').includes(code) && k !== `${code}|${code}`);
    expect(mine.length).toBeGreaterThan(0);
    expect(r.body.partners.length).toBe(mine.length);
    for (const [k, e] of mine) {
      const other = k.split('|').find((x) => x !== code);
      const p = r.body.partners.find((x: { code: string }) => x.code === other);
      expect(p?.projects, k).toBe(e.projects.size);
      expect(p?.grantOffered.pence, k).toBe(e.grant);
    }
    const ranks = r.body.partners.map((p: { projects: number }) => p.projects);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    const projects = new Set(rows.filter((x) => x.areas.includes(code)).map((x) => x.project));
    const withOthers = new Set(mine.flatMap(([, e]) => [...e.projects]));
    expect(r.body.totals.projects).toBe(projects.size);
    expect(r.body.totals.withOtherLeps).toBe(withOthers.size);
    expect(r.body.totals.shareWithOtherLeps).toBeCloseTo(withOthers.size / projects.size, 12);
    // Bridging organisations per partner B, from both ends: an organisation with a participant in
    // this LEP (side "lep") or in B (side "partner") in a project where another, distinct
    // participant sits at the other end. Organisation ids differ between the generator and the API
    // (one-to-one), so each partner × side is compared as the multiset of (projects, led) counts.
    const want = new Map<string, Map<string, { projects: Set<string>; leads: Set<string> }>>();
    const byProject = new Map<string, Row[]>();
    for (const x of rows) byProject.set(x.project, [...(byProject.get(x.project) ?? []), x]);
    for (const [project, parts] of byProject)
      for (const p of parts)
        for (const q of parts) {
          if (q.id === p.id) continue;
          const add = (partner: string, side: string) => {
            const k = `${partner}|${side}`;
            const m = want.get(k) ?? new Map();
            const t = m.get(p.org) ?? { projects: new Set<string>(), leads: new Set<string>() };
            t.projects.add(project);
            if (p.lead) t.leads.add(project);
            m.set(p.org, t);
            want.set(k, m);
          };
          // p on this LEP's side, q in a partner B ≠ this LEP.
          if (p.areas.includes(code)) for (const b of q.areas) if (b !== code) add(b, 'lep');
          // p in a partner B ≠ this LEP, q on this LEP's side.
          if (q.areas.includes(code)) for (const b of p.areas) if (b !== code) add(b, 'partner');
        }
    expect(want.size).toBeGreaterThan(0);
    const counts = (m: Map<string, { projects: Set<string>; leads: Set<string> }> | undefined) =>
      [...(m?.values() ?? [])].map((t) => `${t.projects.size}/${t.leads.size}`).sort();
    let sides = 0;
    for (const p of r.body.partners) {
      expect(p.bridges.length, p.code).toBeGreaterThan(0);
      for (const side of ['lep', 'partner']) {
        const got = p.bridges
          .filter((b: { side: string }) => b.side === side)
          .map((b: { projects: number; leadProjects: number }) => `${b.projects}/${b.leadProjects}`)
          .sort();
        expect(got, `${p.code} ${side}`).toEqual(counts(want.get(`${p.code}|${side}`)));
        if (got.length) sides++;
      }
      const ranked = p.bridges.map((b: { projects: number }) => b.projects);
      expect(ranked).toEqual([...ranked].sort((a: number, b: number) => b - a));
    }
    // Both ends are represented somewhere (the partner side is not just the LEP's own organisations).
    expect(sides).toBeGreaterThan(r.body.partners.length);
    // The default keeps the 5 strongest per partner.
    const top = await getJson(app, `/v1/leps/${code}/collaborations`);
    expect(top.body.partners.length).toBe(r.body.partners.length);
    for (const p of top.body.partners) {
      const all = r.body.partners.find((x: { code: string }) => x.code === p.code);
      expect(p.bridges.length).toBe(Math.min(5, all.bridges.length));
      expect(p.bridges[0]?.projects).toBe(all.bridges[0]?.projects);
    }
  });

  it('CSV edge list carries every edge', async () => {
    const json = await getJson(app, '/v1/network?level=lep&measure=grant');
    const res = await app.request('/v1/network?level=lep&measure=grant&format=csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await res.text())
      .replace(/^\ufeff/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toBe(
      'source,source_name,target,target_name,self,weight,projects,grant_offered_pounds,organisations,dataset_version,synthetic,sample,sources',
    );
    expect(lines.length - 1).toBe(json.body.edges.length);
    expect(json.body.edges.length).toBeGreaterThan(0);
  });

  it('bad input is a 400 naming the parameter; a non-LEP code is a 404', async () => {
    for (const [q, where] of [
      ['level=region', 'query.level'],
      ['measure=money', 'query.measure'],
      ['yearFrom=2020&yearTo=2010', 'query.yearFrom'],
      ['sector=Nope', 'query.sector'],
      ['yearFrom=02020', 'query.yearFrom'],
    ] as const) {
      const r = await getJson(app, `/v1/network?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.errors.map((e: { location: string }) => e.location)).toContain(where);
    }
    expect((await getJson(app, '/v1/leps/E08000003/collaborations')).status).toBe(404);
    expect((await getJson(app, '/v1/leps/E37000015/collaborations?limit=0')).status).toBe(400);
  });
});

describe('network of the default dataset, recomputed from its participant rows', () => {
  let tdb: TestDatabase;
  let app: ReturnType<typeof appFor>;
  beforeAll(async () => {
    tdb = await loadedTestDatabase();
    app = appFor(tdb.db);
  });
  afterAll(async () => tdb?.close());

  const participants = () =>
    tdb.run.query<{
      id: number;
      project_number: string;
      org_id: string;
      lad_code: string | null;
      lep_codes: string[];
      grant_pence: string | null;
    }>(
      'select id, project_number, org_id, lad_code, lep_codes, grant_pence from iuk_participants where counted',
    );

  it.runIf(DEFAULT_HAS_INNOVATE_UK)(
    'LEP and district edges equal a recomputation from iuk_participants',
    async () => {
      const parts = await participants();
      expect(parts.length).toBeGreaterThan(0);
      const base = (p: (typeof parts)[number]) => ({
        project: p.project_number,
        id: String(p.id),
        org: p.org_id,
        grant: Number(p.grant_pence ?? 0),
        year: 0,
        sector: '',
      });
      const lep = await getJson(app, '/v1/network');
      expect(lep.status).toBe(200);
      const lad = await getJson(app, '/v1/network?level=lad');
      expectEdges(lep.body.edges, recompute(parts.map((p) => ({ ...base(p), areas: p.lep_codes }))));
      expectEdges(
        lad.body.edges,
        recompute(parts.map((p) => ({ ...base(p), areas: p.lad_code ? [p.lad_code] : [] }))),
      );
    },
  );

  it.skipIf(DEFAULT_HAS_INNOVATE_UK)(
    'is empty, not an error, without Innovate UK data (the full data ships none)',
    async () => {
      expect(await participants()).toEqual([]);
      const lep = await getJson(app, '/v1/network');
      expect(lep.status).toBe(200);
      expect(lep.body.edges).toEqual([]);
      const lad = await getJson(app, '/v1/network?level=lad');
      expect(lad.status).toBe(200);
      expect(lad.body.nodes).toEqual([]);
    },
  );
});
