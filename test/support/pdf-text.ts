import { decodePDFRawStream, PDFArray, PDFDocument, PDFRawStream } from 'pdf-lib';

/**
 * The strings each page draws, in drawing order, one per line. pdf-lib writes standard-font text
 * as WinAnsi hex strings (`<48656C6C6F> Tj`) inside Flate-compressed content streams, so a plain
 * byte search of the file would find nothing; decoding the streams reads what a viewer shows.
 */
export async function pageTexts(bytes: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(bytes);
  const winAnsi = new TextDecoder('windows-1252');
  return doc.getPages().map((page) => {
    const contents = page.node.Contents();
    const streams =
      contents instanceof PDFArray ? contents.asArray().map((ref) => doc.context.lookup(ref)) : [contents];
    const ops = streams
      .filter((s): s is PDFRawStream => s instanceof PDFRawStream)
      .map((s) => new TextDecoder('latin1').decode(decodePDFRawStream(s).decode()))
      .join('\n');
    return [...ops.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)]
      .map((m) =>
        winAnsi.decode(Uint8Array.from((m[1] ?? '').match(/../g) ?? [], (h) => Number.parseInt(h, 16))),
      )
      .join('\n');
  });
}
