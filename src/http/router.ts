import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../deps.ts';
import { ApiError, issuesFrom } from './problem.ts';

/**
 * Every route module builds its routes on this router, so request validation failures all become
 * one 400 problem listing every issue (not only the first) with its location.
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const errors = issuesFrom(result.target, result.error.issues);
        throw new ApiError(
          'bad_request',
          `The request ${result.target === 'param' ? 'path' : result.target} is invalid.`,
          errors,
        );
      }
    },
  });
}
