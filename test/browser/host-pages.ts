/**
 * Pages of a pretend LEP website on another origin, written as the README tells site owners to:
 * iframes of the /embed/ pages with the height-receiving snippet, and the web components.
 */

/** The receiving snippet from the README, verbatim in spirit: size each iframe from its own messages. */
export const RECEIVER = `window.addEventListener('message', function (e) {
  if (!e.data || e.data.type !== 'innovation-observatory:height') return;
  document.querySelectorAll('iframe').forEach(function (f) {
    if (f.contentWindow === e.source) f.style.height = e.data.height + 'px';
  });
  (window.__heights = window.__heights || []).push({ src: e.data.href, height: e.data.height });
});`;

export const EMBEDS = [
  '/embed/leps/E37000015',
  '/embed/indicators/enterprise-birth-rate/map',
  '/embed/areas/E37000015/investments',
] as const;

export function hostPages(api: string): Record<string, string> {
  const frame = (path: string) =>
    `<iframe src="${api}${path}" title="Observatory widget" style="width:100%;border:0;height:150px" loading="eager"></iframe>`;
  return {
    '/embeds.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>A LEP site</title>
<style>body{margin:0;padding:8px;font-family:sans-serif}iframe{display:block;margin:0 0 12px}</style>
<script>${RECEIVER}</script></head><body><h1>Our LEP</h1>${EMBEDS.map(frame).join('\n')}</body></html>`,
    '/widget.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Widgets</title>
<style>body{margin:0;padding:8px;font-family:sans-serif}</style>
<script src="${api}/widget.js" defer></script></head><body>
<h1>Widgets</h1>
<lep-profile code="E37000015"></lep-profile>
<lep-indicator-map indicator="enterprise-birth-rate" shape="hex"></lep-indicator-map>
<lep-indicator-map indicator="enterprise-birth-rate" shape="boundaries"></lep-indicator-map>
</body></html>`,
  };
}
