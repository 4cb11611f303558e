/// <reference types="@cloudflare/vitest-plugin/types" />

// Bindings the worker project gives the Worker (vitest.config.ts), as tests see them through
// `env` from cloudflare:workers; and the main module, so `exports.default` is typed.
declare namespace Cloudflare {
  interface Env {
    DATABASE_URL: string;
    NEON_FETCH_ENDPOINT?: string;
    LOG_FORMAT?: string;
  }
  interface GlobalProps {
    mainModule: typeof import('../../src/index.ts');
  }
}
