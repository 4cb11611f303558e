import type { AssetStore } from '../deps.ts';

/**
 * Response examples for the published spec: a real 200 answer of every operation, as the app
 * serves it on the shipped sample (arrays cut to a few items), keyed by operationId and content
 * type. Written by `npm run openapi:examples` (test/fixtures/make-openapi-examples.ts) into
 * public/, so they are a static file (also served at /openapi-examples.json) and not part of the
 * Worker's bundle; test/db/openapi-complete.test.ts requires one per operation and validates each
 * strictly against its schema.
 */
export const RESPONSE_EXAMPLES_PATH = '/openapi-examples.json';
export const RESPONSE_EXAMPLES_FILE = `public${RESPONSE_EXAMPLES_PATH}`;

type Schema = Record<string, unknown>;
export type ResponseExamples = Record<string, Record<string, unknown>>;

/** The examples from the static files; none when there are no static files or they cannot be read. */
export async function readResponseExamples(assets: AssetStore | undefined): Promise<ResponseExamples> {
  try {
    const res = await assets?.fetch(RESPONSE_EXAMPLES_PATH);
    return res?.ok ? ((await res.json()) as ResponseExamples) : {};
  } catch {
    return {};
  }
}

/** Put each operation's example on its 200 response's content types (the document is modified). */
export function withResponseExamples<D extends { paths?: unknown }>(doc: D, examples: ResponseExamples): D {
  for (const item of Object.values((doc.paths ?? {}) as Record<string, Record<string, Schema>>)) {
    for (const op of Object.values(item)) {
      const mine = examples[op.operationId as string];
      const content = (op.responses as Record<string, { content?: Record<string, Schema> }> | undefined)?.[
        '200'
      ]?.content;
      if (!mine || !content) continue;
      for (const [type, example] of Object.entries(mine)) {
        const media = content[type];
        if (media) media.example = example;
      }
    }
  }
  return doc;
}
