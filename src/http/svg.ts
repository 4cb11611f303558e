/** An SVG answer. Opened on its own the SVG is a document: let it load nothing and run nothing. */
export const svgAnswer = (text: string) =>
  new Response(text, {
    status: 200,
    headers: {
      'Content-Type': 'image/svg+xml; charset=utf-8',
      'Content-Security-Policy': "default-src 'none'",
    },
  });
