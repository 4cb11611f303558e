import { escapeXml as esc } from './format.ts';

/**
 * Embeddable HTML widgets (GET /embed/*): one self-contained page each — inline CSS, one tiny
 * inline script that tells the parent page its height, no request to any other host — readable
 * from 320 px wide, with the dataset version and the source on every widget. The Content-Security-
 * Policy allows exactly the inline style and script by hash, so nothing else can run or load.
 */

export interface EmbedPage {
  title: string;
  /** Body HTML (already escaped where needed). */
  body: string;
  /** Footer lines: source and licence, dataset version. */
  footer: string[];
  /** Banner shown above the content (e.g. SYNTHETIC data). */
  warning?: string;
}

export const EMBED_MESSAGE_TYPE = 'innovation-observatory:height';

const CSS = `*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1a1a1a;background:#fff}
.w{padding:12px 14px;max-width:100%}
h1{font-size:1.25rem;line-height:1.25;margin:0 0 2px}
.k{margin:0 0 10px;color:#4d4d4d;font-size:.875rem}
.warn{margin:0 0 10px;padding:6px 8px;background:#fff4ce;border:1px solid #8a6d00;color:#3d3000;font-weight:700;font-size:.875rem}
dl{margin:0}
.r{padding:7px 0;border-top:1px solid #d6d6d6}
dt{font-size:.9375rem}
dd{margin:0}
@media (min-width:440px){.r{display:flex;justify-content:space-between;align-items:baseline;gap:12px}dd{text-align:right;flex:0 0 auto;max-width:55%}.bars .r{display:block}}
.v{font-weight:700;font-size:1.0625rem}
.u,.n{color:#4d4d4d;font-size:.8125rem}
.n{display:block}
.big{display:flex;flex-wrap:wrap;gap:8px 18px;margin:4px 0 10px}
.big div{min-width:7rem}
.big b{display:block;font-size:1.375rem;line-height:1.2}
.bars .r dd{flex:1 1 100%;text-align:left}
.bars svg{height:8px;margin-top:3px}
h2.k{font-size:.9375rem;font-weight:700;color:#1a1a1a;margin:10px 0 4px}
figure{margin:0}
figcaption{font-size:.875rem;color:#4d4d4d;margin:4px 0}
svg{display:block;width:100%;height:auto}
.lg{display:flex;flex-wrap:wrap;gap:4px 14px;margin:0;padding:0;list-style:none;font-size:.875rem}
.lg svg.sw{display:inline-block;width:18px;height:14px;margin-right:5px;vertical-align:-2px}
[tabindex]:focus{outline:3px solid #1a1a1a;outline-offset:1px}
a{color:#0b4f8a}
a:focus{outline:3px solid #1a1a1a;outline-offset:2px}
details{margin-top:8px;font-size:.875rem}
summary{cursor:pointer;color:#0b4f8a}
table{border-collapse:collapse;width:100%;margin-top:6px}
th,td{text-align:left;padding:3px 4px;border-top:1px solid #d6d6d6}
td.num,th.num{text-align:right}
footer{margin-top:10px;padding-top:8px;border-top:1px solid #d6d6d6;color:#4d4d4d;font-size:.75rem}
footer p{margin:0 0 2px}`;

/** Posts the document height to the parent whenever it changes, so the host sizes the iframe. */
const SCRIPT = `(function(){var last=0;function post(){var h=Math.ceil(document.documentElement.getBoundingClientRect().height);if(h!==last&&window.parent!==window){last=h;window.parent.postMessage({type:"${EMBED_MESSAGE_TYPE}",height:h,href:location.href},"*")}}window.addEventListener("load",post);if(window.ResizeObserver){new ResizeObserver(post).observe(document.documentElement)}else{window.addEventListener("resize",post)}})();`;

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  let bin = '';
  for (const b of new Uint8Array(digest)) bin += String.fromCharCode(b);
  return btoa(bin);
}

let policy: Promise<string> | undefined;

/** CSP for every embed: only our inline style and script (by hash), images from here; framable anywhere. */
export function embedPolicy(): Promise<string> {
  policy ??= Promise.all([sha256(CSS), sha256(SCRIPT)]).then(
    ([css, js]) =>
      `default-src 'none'; style-src 'sha256-${css}'; script-src 'sha256-${js}'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors *`,
  );
  return policy;
}

export function renderEmbedPage(p: EmbedPage): string {
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(p.title)}</title>
<style>${CSS}</style>
</head>
<body>
<div class="w">
${p.warning ? `<p class="warn" role="note">${esc(p.warning)}</p>\n` : ''}${p.body}
<footer>${p.footer.map((l) => `<p>${esc(l)}</p>`).join('')}</footer>
</div>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

/** One labelled figure row: name on the left, value, unit and a note (e.g. rank) on the right. */
export function figureRow(name: string, value: string, unit: string, note: string): string {
  return `<div class="r"><dt>${esc(name)}</dt><dd><span class="v">${esc(value)}</span> <span class="u">${esc(unit)}</span>${note ? `<span class="n">${esc(note)}</span>` : ''}</dd></div>`;
}
