import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema.ts';

/** Any Drizzle Postgres database over our schema: PGlite, node-postgres, Neon HTTP or WebSocket. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
