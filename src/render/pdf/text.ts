/**
 * Text for pdf-lib's standard fonts. They keep the file small and need no font fetch (so the same
 * code runs in the Worker and on Node), at the cost of the WinAnsi character set: every string
 * passes through `toWinAnsi` before it is measured or drawn.
 */

/**
 * Unicode code points that WinAnsiEncoding (Windows-1252) can show: printable ASCII, Latin-1 and
 * the 27 extra characters Windows put in 0x80–0x9F. pdf-lib's standard fonts throw on anything else.
 */
const WIN_ANSI_EXTRAS = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';

function isWinAnsi(cp: number): boolean {
  return (
    (cp >= 0x20 && cp <= 0x7e) ||
    (cp >= 0xa0 && cp <= 0xff) ||
    WIN_ANSI_EXTRAS.includes(String.fromCodePoint(cp))
  );
}

/** Look-alikes that NFKD does not reduce to WinAnsi but a reader would expect to survive. */
const WIN_ANSI_REPLACEMENTS: Readonly<Record<string, string>> = {
  '\u2010': '-', // hyphen
  '\u2011': '-', // non-breaking hyphen
  '\u2012': '–', // figure dash
  '\u2015': '—', // horizontal bar
  '\u2212': '-', // minus sign
  '\u201b': '‘',
  '\u201f': '“',
  '\u2032': "'", // prime
  '\u2033': '"', // double prime
  '\u2043': '-', // hyphen bullet
  '\u2264': '<=',
  '\u2265': '>=',
  '\u2248': '~',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ı: 'i',
  ħ: 'h',
  Ħ: 'H',
};

/**
 * Makes any string drawable with pdf-lib's standard (WinAnsi) fonts, so an organisation name with
 * an emoji or CJK characters cannot make rendering throw. Keeps what WinAnsi has (including "£",
 * "–" and curly quotes); turns other whitespace into spaces; drops invisible format characters;
 * reduces accented or compatibility forms to their base letters ("ő" → "o", "ﬁ" → "fi"); and
 * replaces whatever is left with "?" so a reader can see something was there.
 */
export function toWinAnsi(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const cp = ch.codePointAt(0) ?? 0;
    if (isWinAnsi(cp)) {
      out += ch;
      continue;
    }
    const replacement = WIN_ANSI_REPLACEMENTS[ch];
    if (replacement !== undefined) {
      out += replacement;
    } else if (/\s/u.test(ch) && !/\p{Cf}/u.test(ch)) {
      // Tabs, newlines and exotic spaces; not U+FEFF, which \s counts but is an invisible mark.
      out += ' ';
    } else if (/[\p{Cc}\p{Cf}\p{M}]/u.test(ch)) {
      // Control, zero-width and stray combining characters (emoji variation selectors, ZWJ, BOM)
      // have no glyph to lose.
    } else {
      const base = ch.normalize('NFKD').replace(/\p{M}/gu, '');
      const reducible = base.length > 0 && [...base].every((c) => isWinAnsi(c.codePointAt(0) ?? 0));
      out += reducible ? base : '?';
    }
  }
  return out;
}
