import { PDFDocument } from 'pdf-lib';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { isSampleDir } from '../../src/pipeline/load.ts';
import { pageTexts } from '../support/pdf-text.ts';
import { appFor, DATA_DIR, getJson, loadedTestDatabase, type TestDatabase } from './harness.ts';

// The printed area report, through the route: the same dataset gives the same bytes, and the
// report cites the dataset and an absolute URL that fetches the same figures again.

let tdb: TestDatabase;
let app: ReturnType<typeof appFor>;
let dataset: { version: string; builtAt: string };

beforeAll(async () => {
  tdb = await loadedTestDatabase();
  app = appFor(tdb.db);
  dataset = (await getJson(app, '/v1/meta')).body.dataset;
});
afterAll(async () => tdb?.close());
afterEach(() => vi.useRealTimers());

async function pdf(url: string): Promise<Uint8Array> {
  const r = await app.request(url);
  expect(r.status, url).toBe(200);
  expect(r.headers.get('content-type')).toBe('application/pdf');
  return new Uint8Array(await r.arrayBuffer());
}

describe('area investment PDF', () => {
  it('is byte-identical for the same dataset, whenever it is asked for', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2031-03-04T05:06:07Z'));
    const first = await pdf('/v1/areas/E37000015/investments.pdf');
    vi.setSystemTime(new Date('2032-11-12T13:14:15Z'));
    const second = await pdf('/v1/areas/E37000015/investments.pdf');
    expect(second.length).toBeGreaterThan(1000);
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
  });

  it('is dated by the dataset build and cites its real version', async () => {
    expect(dataset.version.length).toBeGreaterThan(10);
    const bytes = await pdf('/v1/areas/E37000015/investments.pdf');
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    // PDF dates hold whole seconds.
    const built = new Date(Math.floor(Date.parse(dataset.builtAt) / 1000) * 1000).toISOString();
    expect(doc.getCreationDate()?.toISOString()).toBe(built);
    expect(doc.getModificationDate()?.toISOString()).toBe(built);
    expect(doc.getKeywords()).toContain(dataset.version);
    expect(doc.getSubject()).toContain(dataset.version);
    const pages = await pageTexts(bytes);
    expect(pages.length).toBeGreaterThan(0);
    for (const text of pages) expect(text.replaceAll('\n', ' ')).toContain(`from dataset ${dataset.version}`);
  });

  it('is named with the dataset version and its labels, and says SAMPLE when the sample is served', async () => {
    const sample = isSampleDir(DATA_DIR);
    const r = await app.request('/v1/areas/E37000015/investments.pdf');
    const { source } = (await getJson(app, '/v1/investments?limit=1')).body;
    const tags = `${source.synthetic ? '_SYNTHETIC' : ''}${sample ? '_SAMPLE' : ''}`;
    expect(r.headers.get('content-disposition')).toBe(
      `inline; filename="innovate-uk-E37000015_${dataset.version}${tags}.pdf"`,
    );
    const bytes = new Uint8Array(await r.arrayBuffer());
    const pages = await pageTexts(bytes);
    expect(pages.length).toBeGreaterThan(0);
    for (const text of pages) expect(text.includes('(SAMPLE)')).toBe(sample);
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    expect(doc.getKeywords()?.includes('SAMPLE')).toBe(sample);
  });

  it('prints an absolute reproduce URL from the request origin, with every query parameter', async () => {
    const cases: [string, string][] = [
      [
        'https://observatory.example.org/v1/areas/e37000015/investments.pdf?overlap=split',
        'https://observatory.example.org/v1/areas/E37000015/investments.pdf?overlap=split',
      ],
      // Defaults are written out, so the URL still reproduces the report if a default changes.
      [
        'http://localhost:8810/v1/areas/E37000015/investments.pdf',
        'http://localhost:8810/v1/areas/E37000015/investments.pdf?overlap=full',
      ],
    ];
    for (const [asked, printed] of cases) {
      const pages = await pageTexts(await pdf(asked));
      expect(pages.length).toBeGreaterThan(0);
      for (const text of pages) expect(text.replaceAll('\n', '')).toContain(`Reproduce: ${printed}`);
      // And that URL answers with the same figures (the same bytes, at the same origin).
      expect(Buffer.from(await pdf(printed)).equals(Buffer.from(await pdf(asked)))).toBe(true);
    }
  });
});
