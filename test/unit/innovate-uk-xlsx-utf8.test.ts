import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  UTF8_FIX_APPLIES,
  Utf8SafeWorkbookReader,
} from '../../src/pipeline/sources/innovate-uk/xlsx-reader.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'iuk-utf8-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Enough multi-byte text that many 16 KiB chunk boundaries fall inside a character. */
const text = (i: number) => `Société Générale £${i} Crème Brûlée Ltd ${'é£'.repeat(40)}`;

async function writeSheet(path: string, useSharedStrings: boolean) {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings });
  const ws = wb.addWorksheet('Data');
  for (let i = 0; i < 2000; i++) ws.addRow([text(i), `£${i},000.00`]).commit();
  ws.commit();
  await wb.commit();
}

async function readAll(reader: ExcelJS.stream.xlsx.WorkbookReader): Promise<unknown[][]> {
  const rows: unknown[][] = [];
  for await (const sheet of reader)
    for await (const row of sheet) rows.push((row.values as unknown[]).slice(1));
  return rows;
}

describe('streaming XLSX reads keep multi-byte characters whole', () => {
  it('applies to this exceljs version', () => {
    expect(UTF8_FIX_APPLIES).toBe(true);
  });

  for (const shared of [false, true]) {
    it(`with ${shared ? 'shared' : 'inline'} strings`, async () => {
      const path = join(dir, `utf8-${shared}.xlsx`);
      await writeSheet(path, shared);
      const options = { sharedStrings: 'cache', worksheets: 'emit' } as const;
      const rows = await readAll(new Utf8SafeWorkbookReader(path, options));
      expect(rows).toHaveLength(2000);
      rows.forEach((row, i) => {
        expect(row).toEqual([text(i), `£${i},000.00`]);
      });
    });
  }
});
