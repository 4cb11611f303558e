import { describe, expect, it } from 'vitest';
import { OUTWARD_CODE, searchKey } from '../../src/domain/search.ts';
import { embedPolicy, renderEmbedPage } from '../../src/render/embed.ts';
import { escapeXml, formatNumber, shortLabels } from '../../src/render/format.ts';
import { renderSvgMap } from '../../src/render/svg-map.ts';

describe('search keys', () => {
  it('fold case, accents, punctuation and "and"/"&" into one key', () => {
    const keys = [
      'Stoke-on-Trent and Staffordshire',
      'stoke on trent & staffordshire',
      'STOKE ON TRENT, STAFFORDSHIRE',
      ' Stoke-on-Trent  &  Staffordshire ',
    ].map(searchKey);
    expect(new Set(keys)).toEqual(new Set(['stoke on trent staffordshire']));
    expect(searchKey("King's Lynn and West Norfolk")).toBe('kings lynn west norfolk');
    expect(searchKey('Ynys Môn')).toBe('ynys mon');
    expect(searchKey('Yorkshire and The Humber')).toBe('yorkshire humber');
    // A query of filler words only keeps them rather than matching everything.
    expect(searchKey('The')).toBe('the');
  });

  it('recognise outward codes', () => {
    expect(['M1', 'SW1A', 'B33', 'EC1V'].every((c) => OUTWARD_CODE.test(c))).toBe(true);
    expect(['M', '1AE', 'MANCHESTER', 'M1 1AE'].some((c) => OUTWARD_CODE.test(c))).toBe(false);
  });
});

describe('labels and numbers', () => {
  it('short hex labels: initials, three letters for one word, longer where two clash', () => {
    expect(
      shortLabels(['Greater Manchester', 'Lancashire', 'Leeds City Region', 'Liverpool City Region']),
    ).toEqual(['GM', 'Lan', 'LeCR', 'LiCR']);
    expect(shortLabels(['Derby, Derbyshire, Nottingham and Nottinghamshire'])).toEqual(['DDNN']);
  });

  it('three significant figures with en-GB separators', () => {
    expect([1234567, 12345, 147.3, 0.04567, 2.5e9, null].map(formatNumber)).toEqual([
      '1.23m',
      '12,345',
      '147',
      '0.0457',
      '2.5bn',
      '–',
    ]);
  });

  it('escape markup', () => {
    expect(escapeXml(`<a href="x">Tom & Jerry's</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;',
    );
  });
});

describe('SVG map', () => {
  const square = (x: number): { type: 'Polygon'; coordinates: [number, number][][] } => ({
    type: 'Polygon',
    coordinates: [
      [
        [x, 50],
        [x + 1, 50],
        [x + 1, 51],
        [x, 51],
        [x, 50],
      ],
    ],
  });
  const input = {
    title: 'A & B',
    legend: { title: 'Legend', items: [{ colour: '#fde725', label: '1 to 2' }] },
    footer: ['Source: test'],
    areas: [
      {
        code: 'A',
        name: 'Alpha',
        fill: '#fde725',
        title: 'Alpha: 1',
        geometry: square(0),
        hex: { q: 0, r: 0 },
        label: 'Al',
      },
      {
        code: 'B',
        name: 'Beta <b>',
        fill: '#440154',
        title: 'Beta: 2',
        geometry: square(1),
        hex: { q: 1, r: 0 },
        label: 'Be',
      },
    ],
  };

  it('draws every area with its own <title>, escaped, and no script', () => {
    for (const shape of ['boundaries', 'hex'] as const) {
      const svg = renderSvgMap({ ...input, shape });
      expect(svg.match(/<g class="area"><path d="M[^"]+Z" fill="#[0-9a-f]{6}"/g)).toHaveLength(2);
      expect(svg).toContain('<title>Alpha: 1</title>');
      expect(svg).toContain('<title id="map-title">A &amp; B</title>');
      expect(svg).not.toContain('<script');
    }
    // Labels on hexes contrast with their fill: black on yellow, white on purple.
    const hex = renderSvgMap({ ...input, shape: 'hex' });
    expect(hex).toMatch(/fill="#000000"[^>]*>Al</);
    expect(hex).toMatch(/fill="#ffffff"[^>]*>Be</);
  });

  it('bare maps carry only the areas (the embed writes the rest in HTML)', () => {
    const svg = renderSvgMap({ ...input, shape: 'hex', bare: true, focusable: true, idPrefix: 'm' });
    expect(svg).not.toContain('Legend');
    expect(svg.match(/tabindex="0"/g)).toHaveLength(2);
  });
});

describe('embed page', () => {
  it('has lang, the footer lines, and a CSP that hashes exactly its inline style and script', async () => {
    const html = renderEmbedPage({
      title: 'T',
      body: '<main><h1>T</h1></main>',
      footer: ['Source: x', 'Dataset v1'],
    });
    expect(html).toContain('<html lang="en-GB">');
    expect(html).toContain('<p>Dataset v1</p>');
    const csp = await embedPolicy();
    expect(csp).toMatch(
      /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; script-src 'sha256-[A-Za-z0-9+/=]+';/,
    );
    expect(csp).toContain('frame-ancestors *');
  });
});
