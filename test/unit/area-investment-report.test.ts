import { PDFDocument, PDFPage, StandardFonts } from 'pdf-lib';
import { describe, expect, it, vi } from 'vitest';
import {
  type AreaInvestmentReport,
  renderAreaInvestmentPdf,
} from '../../src/render/pdf/area-investment-report.ts';
import { formatCount, formatHeadlinePounds, formatPounds } from '../../src/render/pdf/format.ts';
import { toWinAnsi } from '../../src/render/pdf/text.ts';
import { pageTexts } from '../support/pdf-text.ts';

const BANNER = 'SYNTHETIC DATA — not real Innovate UK figures';
const OGL = 'Contains public sector information licensed under the Open Government Licence v3.0.';

function report(overrides: Partial<AreaInvestmentReport> = {}): AreaInvestmentReport {
  const total = 48_213_945_067;
  const sectors: [string, number][] = [
    ['Advanced manufacturing', 9_812_345_678],
    ['Digital and creative industries', 7_123_456_789],
    ['Health and life sciences', 6_543_210_987],
    ['Energy', 5_432_109_876],
    ['Transport', 3_210_987_654],
  ];
  return {
    area: {
      code: 'E37000015',
      name: 'Greater Manchester',
      type: 'lep',
      typeLabel: 'Local enterprise partnership (2021)',
    },
    generatedAt: '2025-05-14T10:32:07Z',
    dataset: { version: 'synth-2025-05-01', label: 'Innovate UK funded projects', synthetic: true },
    rules: ['Withdrawn participants excluded', 'Overlap policy: full (counted in every LEP it falls in)'],
    totals: {
      grantPence: total,
      participants: 3_412,
      projects: 2_187,
      organisations: 1_506,
      leadParticipants: 1_644,
    },
    england: { grantPence: 1_123_456_789_012, participants: 61_234, projects: 38_765 },
    byYear: Array.from({ length: 21 }, (_, i) => ({
      year: 2004 + i,
      grantPence: (1_000_000 + i * 250_000) * 100,
      projects: 20 + i,
    })),
    topSectors: sectors.map(([sector, grantPence], i) => ({
      sector,
      grantPence,
      projects: 300 - i * 40,
      share: grantPence / total,
    })),
    byOrgType: [
      { orgType: 'small', label: 'Small business', grantPence: 12_345_678_901, participants: 980 },
      { orgType: 'academic', label: 'Academic', grantPence: 11_234_567_890, participants: 402 },
      {
        orgType: 'rto',
        label: 'Research and technology organisation',
        grantPence: 2_345_678_901,
        participants: 88,
      },
    ],
    topOrganisations: [
      { name: 'The University of Manchester', orgType: 'academic', grantPence: 4_123_456_789, projects: 210 },
      {
        name: 'O’Brien & Daughters Precision Engineering',
        orgType: 'small',
        grantPence: 432_109_876,
        projects: 4,
      },
    ],
    sources: [{ title: 'Innovate UK funded projects since 2004', licence: 'Open Government Licence v3.0' }],
    notes: [
      'Grant is placed at the address the participant gave, usually its registered office (head-office distortion).',
    ],
    url: 'https://api.example.org/v1/areas/E37000015/investment?overlap=full&format=pdf',
    ...overrides,
  };
}

async function helveticaCharset(): Promise<Set<number>> {
  const doc = await PDFDocument.create();
  return new Set((await doc.embedFont(StandardFonts.Helvetica)).getCharacterSet());
}

describe('toWinAnsi', () => {
  it('keeps text the standard fonts can show, including £, dashes and curly quotes', () => {
    const text = '£1,234 – “O’Brien” café — €5 ™ … Škoda Œuvre ß ÿ ©';
    expect(toWinAnsi(text)).toBe(text);
  });

  it('reduces or replaces what they cannot', () => {
    expect(toWinAnsi('Łódź')).toBe('Lódz');
    expect(toWinAnsi('ﬁnance Ｌｔｄ')).toBe('finance Ltd');
    expect(toWinAnsi('Rocket 🚀 Ltd')).toBe('Rocket ? Ltd');
    expect(toWinAnsi('北京科技')).toBe('????');
    expect(toWinAnsi('a\tb\nc\u00a0d')).toBe('a b c\u00a0d');
    expect(toWinAnsi('zero\u200bwidth\ufeff')).toBe('zerowidth');
    expect(toWinAnsi('e\u0301')).toBe('é'); // decomposed accent composes first
    expect(toWinAnsi('−5 ≥ 3')).toBe('-5 >= 3');
  });

  it('never returns a character Helvetica cannot encode, for any code point in the BMP and beyond', async () => {
    const charset = await helveticaCharset();
    const bad: string[] = [];
    for (let cp = 0; cp <= 0x1ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue; // lone surrogates are not characters
      for (const ch of toWinAnsi(String.fromCodePoint(cp))) {
        if (!charset.has(ch.codePointAt(0) ?? -1)) bad.push(`U+${cp.toString(16)}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('does not over-sanitise: every printable character Helvetica has survives', async () => {
    const lost = [...(await helveticaCharset())]
      .filter((cp) => cp >= 0x20 && !(cp >= 0x7f && cp < 0xa0))
      .map((cp) => String.fromCodePoint(cp))
      .filter((ch) => toWinAnsi(ch) !== ch);
    expect(lost).toEqual([]);
  });
});

describe('money and count formatting', () => {
  it('rounds pence to whole pounds half away from zero, with thousands separators', () => {
    expect(formatPounds(123_456_789)).toBe('£1,234,568');
    expect(formatPounds(0)).toBe('£0');
    expect(formatPounds(49)).toBe('£0');
    expect(formatPounds(50)).toBe('£1');
    expect(formatPounds(-150)).toBe('-£2');
    expect(formatPounds(Number.NaN)).toBe('–');
    expect(formatCount(1_234_567)).toBe('1,234,567');
  });

  it('uses £m with one decimal in headlines from £10m, deciding on the rounded amount', () => {
    expect(formatHeadlinePounds(999_999_949)).toBe('£9,999,999');
    expect(formatHeadlinePounds(999_999_950)).toBe('£10.0m');
    expect(formatHeadlinePounds(48_213_945_067)).toBe('£482.1m');
    expect(formatHeadlinePounds(1_234_567_890_123)).toBe('£12,345.7m');
  });
});

describe('renderAreaInvestmentPdf', () => {
  describe('happy', () => {
    it('renders a loadable A4 PDF of one or two pages with metadata from the report', async () => {
      const bytes = await renderAreaInvestmentPdf(report());
      expect(new TextDecoder().decode(bytes.subarray(0, 5))).toBe('%PDF-');
      const doc = await PDFDocument.load(bytes, { updateMetadata: false });
      expect(doc.getPageCount()).toBeGreaterThanOrEqual(1);
      expect(doc.getPageCount()).toBeLessThanOrEqual(2);
      const { width, height } = doc.getPage(0).getSize();
      expect([Math.round(width), Math.round(height)]).toEqual([595, 842]);
      expect(doc.getTitle()).toBe('Innovate UK investment in Greater Manchester');
      expect(doc.getAuthor()).toBe('innovation-observatory');
      expect(doc.getSubject()).toContain('E37000015');
      expect(doc.getCreationDate()?.toISOString()).toBe('2025-05-14T10:32:07.000Z');
    });

    it('prints the synthetic banner on every page', async () => {
      // Enough notes to force a second page, so "every page" is not trivially "the first page".
      const notes = Array.from(
        { length: 10 },
        (_, i) => `Caveat ${i}: ${'placement and attribution detail '.repeat(6)}`,
      );
      const pages = await pageTexts(await renderAreaInvestmentPdf(report({ notes })));
      expect(pages).toHaveLength(2);
      for (const text of pages) expect(text).toContain(BANNER);
    });

    it('prints no banner for real data', async () => {
      const r = report();
      const pages = await pageTexts(
        await renderAreaInvestmentPdf({ ...r, dataset: { ...r.dataset, synthetic: false } }),
      );
      expect(pages.length).toBeGreaterThan(0);
      for (const text of pages) expect(text).not.toContain('SYNTHETIC');
    });

    it('shows the headline figures, England context, tables and a footer on each page', async () => {
      const pages = await pageTexts(await renderAreaInvestmentPdf(report()));
      expect(pages.length).toBeGreaterThan(0);
      const all = pages.join('\n');
      expect(all).toContain('Innovate UK investment in Greater Manchester');
      expect(all).toContain('£482.1m');
      expect(all).toContain('4.3% of England');
      expect(all).toContain('£98,123,457'); // top sector, exact pounds
      expect(all).toContain('O’Brien & Daughters Precision Engineering');
      expect(all).toContain('Research and technology organisation');
      pages.forEach((text, i) => {
        expect(text).toContain(`Page ${i + 1} of ${pages.length}`);
        expect(text).toContain(OGL);
        expect(text).toContain(
          'https://api.example.org/v1/areas/E37000015/investment?overlap=full&format=pdf',
        );
        expect(text).toContain('Generated 14 May 2025, 10:32 UTC');
      });
    });

    it('gives the same bytes for the same report', async () => {
      const a = await renderAreaInvestmentPdf(report());
      const b = await renderAreaInvestmentPdf(report());
      expect(a).toEqual(b);
    });
  });

  describe('edge cases', () => {
    const edge = (): AreaInvestmentReport =>
      report({
        area: {
          code: 'E06000001',
          name: 'Łódź 🚀 北京 Hartlepool',
          type: 'lad',
          typeLabel: 'Local authority district',
        },
        totals: { grantPence: 0, participants: 0, projects: 0, organisations: 0, leadParticipants: 0 },
        england: null,
        byYear: [],
        topSectors: Array.from({ length: 25 }, (_, i) => ({
          sector: `Sector ${i + 1} ${'with a very long descriptive name '.repeat(4)}😀`,
          grantPence: 10_000 * (25 - i),
          projects: 1,
          share: 0.04,
        })),
        byOrgType: [],
        topOrganisations: [
          {
            name: `株式会社 ${'Very Long Organisation Name '.repeat(10)}`,
            orgType: 'other',
            grantPence: 0,
            projects: 0,
          },
        ],
        rules: [],
        url: `https://api.example.org/v1/areas/E06000001/investment?${'q=1&'.repeat(80)}`,
      });

    it('renders empty totals, no years, odd characters, long names and 25 sectors without throwing', async () => {
      const bytes = await renderAreaInvestmentPdf(edge());
      const doc = await PDFDocument.load(bytes);
      expect(doc.getPageCount()).toBeLessThanOrEqual(2);
      expect(doc.getTitle()).toBe('Innovate UK investment in Łódź 🚀 北京 Hartlepool'); // metadata is UTF-16
      const all = (await pageTexts(bytes)).join('\n');
      expect(all).toContain('Innovate UK investment in Lódz ? ?? Hartlepool');
      expect(all).toContain('£0');
      expect(all).toContain('No grant recorded for this area');
      expect(all).toContain('Sector 10 ');
      expect(all).not.toContain('Sector 11 ');
      expect(all).toContain('Plus 15 more sectors: £12,000');
      expect(all).not.toContain('Very Long Organisation Name '.repeat(10)); // truncated to its column
      expect(all).toMatch(/\?\?\?\? Very Long Organisation Name .*…/);
    });

    const overflowing = (): AreaInvestmentReport =>
      report({
        rules: Array.from({ length: 20 }, (_, i) => `Rule ${i} ${'long wording '.repeat(20)}`),
        byYear: [{ year: 1900, grantPence: 1, projects: 1 }, ...report().byYear],
        topSectors: Array.from({ length: 100 }, (_, i) => ({
          sector: `S${i}`,
          grantPence: 1_000 * i,
          projects: i,
          share: 0.01,
        })),
        byOrgType: Array.from({ length: 40 }, (_, i) => ({
          orgType: `t${i}`,
          label: `Type ${i}`,
          grantPence: i,
          participants: i,
        })),
        topOrganisations: Array.from({ length: 100 }, (_, i) => ({
          name: `Org ${i}`,
          orgType: 't1',
          grantPence: i,
          projects: i,
        })),
        notes: Array.from({ length: 200 }, (_, i) => `Note ${i} ${'caveat text '.repeat(40)}`),
      });

    it('stays within two pages and keeps the sources when everything overflows', async () => {
      const r = overflowing();
      const pages = await pageTexts(await renderAreaInvestmentPdf(r));
      expect(pages).toHaveLength(2);
      const last = pages[1] ?? '';
      expect(last).toContain('Sources');
      expect(last).toContain('Innovate UK funded projects since 2004 — Open Government Licence v3.0');
      expect(last).toMatch(/… \d+ more notes; see the API response\./);
    });

    /** Every string drawn, with where it starts and how wide the font makes it. */
    async function drawnText(r: AreaInvestmentReport) {
      const drawn: { page: number; text: string; x: number; y: number; width: number }[] = [];
      const pages: PDFPage[] = [];
      const original = PDFPage.prototype.drawText;
      const spy = vi.spyOn(PDFPage.prototype, 'drawText').mockImplementation(function (
        this: PDFPage,
        text,
        options = {},
      ) {
        if (!pages.includes(this)) pages.push(this);
        const { font, size = 24, x = 0, y = 0 } = options;
        if (!font) throw new Error('text drawn without a font');
        drawn.push({ page: pages.indexOf(this), text, x, y, width: font.widthOfTextAtSize(text, size) });
        return original.call(this, text, options);
      });
      try {
        await renderAreaInvestmentPdf(r);
      } finally {
        spy.mockRestore();
      }
      return drawn;
    }

    it('draws every string, footers included, inside the page margins (measured with the font)', async () => {
      const [width, height, margin] = [595.28, 841.89, 40];
      const reports = {
        normal: report(),
        edge: edge(),
        overflowing: overflowing(),
        longFooter: report({
          dataset: {
            version: `${'f'.repeat(64)}-2026-12-01T10:00:00.000Z`,
            label: `SYNTHETIC ${'Innovate UK funded projects, generated in the official format, '.repeat(4)}`,
            synthetic: true,
          },
          sources: [
            { title: 'Innovate UK funded projects', licence: 'Open Government Licence v3.0' },
            { title: 'Other', licence: `A licence with a very long name ${'and conditions '.repeat(30)}` },
          ],
          url: `https://observatory.example.org/v1/areas/E37000015/investments.pdf?overlap=split&${'x=1&'.repeat(60)}`,
        }),
      };
      for (const [name, r] of Object.entries(reports)) {
        const drawn = await drawnText(r);
        expect(drawn.length, name).toBeGreaterThan(20);
        for (const t of drawn) {
          const where = `${name} p${t.page + 1} "${t.text}" x=${t.x.toFixed(1)} w=${t.width.toFixed(1)}`;
          expect(t.x, where).toBeGreaterThanOrEqual(margin - 0.01);
          expect(t.x + t.width, where).toBeLessThanOrEqual(width - margin + 0.01);
          expect(t.y, where).toBeGreaterThanOrEqual(margin - 0.01);
          expect(t.y, where).toBeLessThanOrEqual(height - margin);
        }
      }
    });

    it('prints the whole reproduce URL on every page, however long, wrapping it', async () => {
      const url = `https://observatory.example.org/v1/areas/E37000015/investments.pdf?overlap=split&${'x=1&'.repeat(60)}`;
      const pages = await pageTexts(await renderAreaInvestmentPdf(report({ url })));
      expect(pages.length).toBeGreaterThan(0);
      for (const text of pages) expect(text.replaceAll('\n', '')).toContain(`Reproduce: ${url}`);
    });

    it('prints when, from which dataset version and which data, in full in every footer', async () => {
      const label =
        `SYNTHETIC Innovate UK funded projects (generated by npm run data:synth, in the official format — not real grants) ${'and more words '.repeat(8)}`.trim();
      const version = '20261201T233200Z-0123456789ab';
      const pages = await pageTexts(
        await renderAreaInvestmentPdf(report({ dataset: { version, label, synthetic: true } })),
      );
      expect(pages.length).toBeGreaterThan(0);
      for (const text of pages)
        expect(text.replaceAll('\n', ' ')).toContain(
          `Generated 14 May 2025, 10:32 UTC from dataset ${version} · ${label} (SYNTHETIC)`,
        );
    });
  });
});
