import { fileURLToPath } from 'node:url';
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { experimental_readRawConfig } from 'wrangler';

// The Worker's build substitutes a few modules (wrangler.toml [alias]); the workerd tests use the
// same substitutes, so they test what is deployed. Exact names: `zod/…` subpaths are not aliased.
const workerAliases = Object.entries(
  experimental_readRawConfig({ config: './wrangler.toml' }).rawConfig.alias ?? {},
).map(([name, file]) => ({
  find: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`),
  replacement: fileURLToPath(new URL(String(file), import.meta.url)),
}));

// Projects: `unit` (pure modules), `db` (pipeline and routes on Node against TEST_DATABASE_URL or PGlite),
// `worker` (the Worker entry inside workerd, reading a real Postgres through the Neon driver),
// `browser` (pages in headless Chromium against the Node server, with a second origin for embeds).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          // Hang guards, not speed checks (those are `npm run bench`): writing and reading XLSX
          // round trips outlasted vitest's default 5 s on a loaded 2-core machine.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'db',
          include: ['test/db/**/*.test.ts'],
          environment: 'node',
          // Loads the default dataset once per run into a template database (see the file).
          globalSetup: ['test/db/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          // Starts the API on port 0 (full data with DATA_DIR, else the sample) and a host site.
          globalSetup: ['test/browser/global-setup.ts'],
          testTimeout: 90_000,
          hookTimeout: 900_000,
          fileParallelism: false,
        },
      },
      {
        plugins: [
          // Runs after the global setup, whose provided values become the Worker's bindings:
          // a scratch database and the local Neon stand-in in front of it.
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: {
                DATABASE_URL: inject('databaseUrl'),
                NEON_FETCH_ENDPOINT: inject('neonFetchEndpoint'),
                LOG_FORMAT: 'silent',
              },
            },
          })),
        ],
        resolve: { alias: workerAliases },
        test: {
          name: 'worker',
          include: ['test/worker/**/*.test.ts'],
          globalSetup: ['test/worker/global-setup.ts'],
          // One file at a time: test/worker/cache.test.ts counts the statements the database receives.
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
