import examples from './openapi-examples.json' with { type: 'json' };

/**
 * Response examples for the published spec: a real 200 answer of every operation, as the app
 * serves it on the shipped sample (arrays cut to a few items), keyed by operationId and content
 * type. Written by `node test/fixtures/make-openapi-examples.ts`; test/db/openapi-complete.test.ts
 * requires one per operation and validates each strictly against its schema.
 */
export const RESPONSE_EXAMPLES_FILE = 'src/http/openapi-examples.json';

type Schema = Record<string, unknown>;
const EXAMPLES = examples as Record<string, Record<string, unknown>>;

/** Put each operation's example on its 200 response's content types (the document is modified). */
export function withResponseExamples<D extends { paths?: unknown }>(doc: D): D {
  for (const item of Object.values((doc.paths ?? {}) as Record<string, Record<string, Schema>>)) {
    for (const op of Object.values(item)) {
      const mine = EXAMPLES[op.operationId as string];
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
