import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import { SourceError } from './report.ts';

export interface CsvRecord {
  /** 1-based line number of the record in the file (header = 1). */
  line: number;
  values: Record<string, string>;
}

/**
 * Stream a CSV (optionally .gz) as records keyed by header name. Fails with a SourceError naming the
 * file when a required column is absent, so a changed release is caught before anything loads.
 */
export async function* readCsv(
  path: string,
  label: string,
  required: readonly string[] = [],
): AsyncGenerator<CsvRecord> {
  const input = createReadStream(path);
  const parser = parse({
    bom: true,
    columns: true,
    skip_empty_lines: true,
    relax_column_count: true,
    info: true,
  });
  // pipe() does not forward errors: a missing file or a corrupt gzip must end the parse, not hang it.
  input.on('error', (err) => parser.destroy(err));
  const stream = path.endsWith('.gz')
    ? input.pipe(createGunzip()).on('error', (err) => parser.destroy(err))
    : input;
  stream.pipe(parser);
  let checked = false;
  try {
    for await (const rec of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      if (!checked) {
        const missing = required.filter((c) => !(c in rec.record));
        if (missing.length) throw new SourceError(label, `missing column(s): ${missing.join(', ')}`);
        checked = true;
      }
      yield { line: rec.info.lines, values: rec.record };
    }
  } catch (err) {
    if (err instanceof SourceError) throw err;
    throw new SourceError(label, err instanceof Error ? err.message : String(err));
  }
}
