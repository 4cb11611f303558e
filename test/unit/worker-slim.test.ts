import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import {
  Font as RealFont,
  Encodings as realEncodings,
  FontNames as realFontNames,
} from '@pdf-lib/standard-fonts';
import * as realFflate from 'fflate';
import * as browserFflate from 'fflate/browser';
import { StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import * as realZod from 'zod';
import { z as realZ } from 'zod';
import { PDF_FONT_FILES } from '../../src/render/pdf/font-files.ts';
import * as slimFflate from '../../src/worker/slim/fflate.ts';
import slimPako from '../../src/worker/slim/pako.ts';
import {
  BUNDLED_FONTS,
  Encodings,
  Font,
  FontNames,
  fontsNeedingMetrics,
  registerFontMetrics,
} from '../../src/worker/slim/standard-fonts.ts';
import slimUpng from '../../src/worker/slim/upng.ts';
import * as slimZod from '../../src/worker/slim/zod.ts';
import { z as slimZ } from '../../src/worker/slim/zod.ts';

/**
 * The Worker's stand-ins (wrangler.toml [alias], src/worker/slim/) against the packages they stand in
 * for: the same members less the ones each file names, the same metrics, bytes that round-trip.
 * test/worker/* run on the stand-ins too (vitest.config.ts applies the same aliases).
 */

const SRC = join(import.meta.dirname, '../../src');
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts'))
    .map((d) => join(d.parentPath, d.name))
    .filter((f) => !f.includes(`${join('src', 'worker', 'slim')}`));
}

describe('zod without locales and the JIT', () => {
  const dropped = [
    'locales',
    'compile',
    'withParser',
    'INVALID',
    'ZodCompileAsyncError',
    'ZodCompileUnsupportedError',
    'fromJSONSchema',
  ];
  const droppedFromCore = [
    'locales',
    'compile',
    'compileFn',
    'withParser',
    'INVALID',
    'ZodCompileAsyncError',
    'ZodCompileUnsupportedError',
  ];

  it('has every member of zod but the dropped ones, each the very same value', () => {
    const real = Object.keys(realZ).sort();
    for (const name of dropped)
      expect(real, `zod no longer has ${name}: update the stand-in`).toContain(name);
    expect(Object.keys(slimZ).sort()).toEqual(real.filter((k) => !dropped.includes(k)));
    const shared = Object.keys(slimZ).filter((k) => k !== 'core');
    expect(shared.length).toBeGreaterThan(100);
    for (const k of shared) expect(slimZ[k as keyof typeof slimZ], k).toBe(realZ[k as keyof typeof realZ]);
    // The module's own exports (`import { string } from 'zod'`, the default) match the namespace.
    expect(slimZod.default).toBe(slimZ);
    expect(Object.keys(slimZod).sort()).toEqual(
      Object.keys(realZod)
        .filter((k) => !dropped.includes(k))
        .sort(),
    );
  });

  it('has every member of z.core but the dropped ones, each the very same value', () => {
    const real = Object.keys(realZ.core).sort();
    for (const name of droppedFromCore) expect(real, `zod core no longer has ${name}`).toContain(name);
    expect(Object.keys(slimZ.core).sort()).toEqual(real.filter((k) => !droppedFromCore.includes(k)));
    expect(Object.keys(slimZ.core).length).toBeGreaterThan(20);
    for (const k of Object.keys(slimZ.core))
      expect(slimZ.core[k as keyof typeof slimZ.core], k).toBe(realZ.core[k as keyof typeof realZ.core]);
  });

  it('still reports errors in English without the locales namespace', () => {
    const r = slimZ.object({ limit: slimZ.number().int() }).safeParse({ limit: 'x' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe('Invalid input: expected number, received string');
  });

  it('no source file calls what the stand-in drops', () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(20);
    const uses = new RegExp(`\\bz\\.(?:core\\.)?(?:${dropped.join('|')})\\b`);
    for (const f of files) expect(readFileSync(f, 'utf8'), f).not.toMatch(uses);
  });
});

describe('standard fonts: Helvetica and Helvetica-Bold only', () => {
  const metrics = (font: object) =>
    JSON.stringify(Object.entries(font).filter(([, v]) => typeof v !== 'function'));

  it('refuses to measure before the metrics are registered, then loads the same metrics as the package', () => {
    const names = Object.keys(BUNDLED_FONTS) as (keyof typeof PDF_FONT_FILES)[];
    expect(names).toEqual(['Helvetica', 'Helvetica-Bold']);
    expect(fontsNeedingMetrics()).toEqual(names);
    expect(() => Font.load('Helvetica')).toThrow(/preparePdfFonts/);
    // What src/node/vendor-assets.ts copies into public/vendor/pdf-fonts/ and the Worker reads back.
    const fontDir = join(
      dirname(createRequire(import.meta.url).resolve('@pdf-lib/standard-fonts/package.json')),
      'es',
    );
    for (const name of names) {
      registerFontMetrics(name, JSON.parse(readFileSync(join(fontDir, PDF_FONT_FILES[name]), 'utf8')));
    }
    expect(fontsNeedingMetrics()).toEqual([]);
    for (const name of names) {
      const slim = Font.load(name as 'Helvetica');
      const real = RealFont.load(name as 'Helvetica');
      expect(metrics(slim)).toBe(metrics(real));
      expect(slim.getWidthOfGlyph('W')).toBe(real.getWidthOfGlyph('W'));
      expect(slim.getXAxisKerningForPair('A', 'V')).toBe(real.getXAxisKerningForPair('A', 'V'));
      expect(slim.getXAxisKerningForPair('A', 'V')).toBeLessThan(0);
      expect(Font.load(name as 'Helvetica')).toBe(slim);
    }
  });

  it('names the file to change for any other font', () => {
    expect(() => Font.load('Times-Roman')).toThrow(/src\/worker\/slim\/standard-fonts\.ts/);
  });

  it('keeps the package’s names and encodings', () => {
    expect(Object.entries(FontNames)).toEqual(Object.entries(realFontNames));
    // The package's own module (its ES build; Node loads its CommonJS one), compared by content.
    const names = Object.keys(realEncodings) as (keyof typeof realEncodings)[];
    expect(Object.keys(Encodings)).toEqual(names);
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) {
      expect(Encodings[n].name).toBe(realEncodings[n].name);
      const points = realEncodings[n].supportedCodePoints;
      expect(points.length).toBeGreaterThan(100);
      expect(Encodings[n].supportedCodePoints).toEqual(points);
      for (const p of points)
        expect(Encodings[n].encodeUnicodeCodePoint(p)).toEqual(realEncodings[n].encodeUnicodeCodePoint(p));
    }
    expect(Encodings.WinAnsi.encodeUnicodeCodePoint(0xa3)).toEqual({ code: 0xa3, name: 'sterling' });
  });

  it('src/ embeds no other standard font and no PNG', () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(20);
    const used = new Set<string>();
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/StandardFonts\.(\w+)/g)) used.add(StandardFonts[m[1] as 'Helvetica']);
      expect(text, f).not.toMatch(/embedPng|embedFont\(\s*['"]/);
    }
    expect(used.size).toBeGreaterThan(0);
    for (const name of used) expect(Object.keys(BUNDLED_FONTS), name).toContain(name);
  });
});

describe('upng stand-in', () => {
  it('refuses to decode, naming itself', () => {
    expect(() => slimUpng.decode()).toThrow(/src\/worker\/slim\/upng\.ts/);
  });
});

// Checked against node:zlib, a third implementation of the same zlib format.
describe('pako stand-in (fflate)', () => {
  const inputs = [
    new Uint8Array(0),
    new TextEncoder().encode('BT /F1 12 Tf 72 712 Td (Greater Manchester £48.2bn) Tj ET\n'.repeat(400)),
    Uint8Array.from({ length: 70_000 }, (_, i) => (i * 2654435761) >>> 24),
  ];

  it('deflates what zlib inflates, and inflates what zlib deflates', () => {
    for (const data of inputs) {
      expect(new Uint8Array(inflateSync(slimPako.deflate(data)))).toEqual(data);
      expect(slimPako.inflate(deflateSync(data))).toEqual(data);
    }
  });

  it('writes zlib streams (the FlateDecode filter), compressed like level 6', () => {
    const text = inputs[1] as Uint8Array;
    const ours = slimPako.deflate(text);
    expect(ours[0]).toBe(0x78);
    expect(ours.length).toBeLessThan(text.length / 10);
    expect(ours.length).toBeLessThan(deflateSync(text, { level: 6 }).length * 1.2);
  });
});

describe('fflate stand-in (zip without Web Workers)', () => {
  it('has every member of fflate, the same values but zip', () => {
    const names = Object.keys(realFflate).sort();
    expect(names.length).toBeGreaterThan(20);
    expect(Object.keys(slimFflate).sort()).toEqual(names);
    const differing = names.filter(
      (n) => (slimFflate as Record<string, unknown>)[n] !== (realFflate as Record<string, unknown>)[n],
    );
    // The browser build's members are other function objects than the Node build's: compare by
    // name against the browser build for everything but zip.
    expect(
      differing.filter(
        (n) =>
          n !== 'zip' &&
          (slimFflate as Record<string, unknown>)[n] !== (browserFflate as Record<string, unknown>)[n],
      ),
    ).toEqual([]);
    expect(slimFflate.zip).not.toBe(browserFflate.zip);
  });

  it('zips files over 160 KB (which fflate hands to a Web Worker) into an archive that unzips to them', async () => {
    const big = new TextEncoder().encode('<row r="1"><c t="n"><v>48.2</v></c></row>'.repeat(10_000));
    expect(big.byteLength).toBeGreaterThan(160_000);
    const files = {
      'xl/worksheets/sheet1.xml': big,
      '[Content_Types].xml': new TextEncoder().encode('<Types/>'),
    };
    const archive = await new Promise<Uint8Array>((resolve, reject) =>
      slimFflate.zip(files, (err, data) => (err ? reject(err) : resolve(data))),
    );
    const back = realFflate.unzipSync(archive);
    expect(Object.keys(back).sort()).toEqual(Object.keys(files).sort());
    expect(back['xl/worksheets/sheet1.xml']).toEqual(big);
    expect(archive.byteLength).toBeLessThan(big.byteLength / 10);
    // With options too.
    const withOpts = await new Promise<Uint8Array>((resolve, reject) =>
      slimFflate.zip(files, { level: 1 }, (err, data) => (err ? reject(err) : resolve(data))),
    );
    expect(realFflate.unzipSync(withOpts)['xl/worksheets/sheet1.xml']).toEqual(big);
    // Terminated before it ran: the callback never comes (as fflate's terminate promises).
    let called = false;
    const stop = slimFflate.zip(files, () => {
      called = true;
    });
    stop();
    await new Promise((r) => setTimeout(r, 10));
    expect(called).toBe(false);
  });
});
