import ExcelJS from 'exceljs';

/*
 * exceljs 4.4's streaming WorkbookReader decodes each 16 KiB chunk of sheet XML on its own, so a
 * multi-byte character ("£", "é") split across two chunks becomes two U+FFFD characters
 * (exceljs issues #2063, #2084, #2316; fixes never merged). In a 100k-row release that hits a few
 * cells: "£365,608.39" arrives as "\uFFFD\uFFFD365,608.39". This subclass hands exceljs text
 * decoded with a streaming TextDecoder instead, which exceljs passes through untouched.
 */

type Chunk = Uint8Array | string;

interface ReaderInternals {
  _parseWorksheet(iterator: AsyncIterable<Chunk>, sheetNo: string): unknown;
  _parseSharedStrings(entry: NodeJS.ReadableStream): unknown;
}

async function* decodeUtf8(chunks: AsyncIterable<Chunk>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}

const base = ExcelJS.stream.xlsx.WorkbookReader.prototype as unknown as Partial<ReaderInternals>;

/** True when this exceljs has the internals the fix relies on (checked by a unit test). */
export const UTF8_FIX_APPLIES =
  typeof base._parseWorksheet === 'function' && typeof base._parseSharedStrings === 'function';

/** exceljs's streaming workbook reader with chunk-safe UTF-8 decoding of sheets and shared strings. */
export class Utf8SafeWorkbookReader extends ExcelJS.stream.xlsx.WorkbookReader {}

if (UTF8_FIX_APPLIES) {
  const proto = Utf8SafeWorkbookReader.prototype as unknown as ReaderInternals;
  const parseWorksheet = base._parseWorksheet as ReaderInternals['_parseWorksheet'];
  const parseSharedStrings = base._parseSharedStrings as ReaderInternals['_parseSharedStrings'];
  proto._parseWorksheet = function (this: ReaderInternals, iterator, sheetNo) {
    return parseWorksheet.call(this, decodeUtf8(iterator), sheetNo);
  };
  proto._parseSharedStrings = function (this: ReaderInternals, entry) {
    // A string-mode stream decodes across chunk boundaries itself.
    entry.setEncoding('utf8');
    return parseSharedStrings.call(this, entry);
  };
}
