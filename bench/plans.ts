import { createApp } from '../src/app.ts';
import { nodeAssets } from '../src/node/assets.ts';
import type { SqlRunner } from '../src/pipeline/sql.ts';
import type { BenchDatabase } from './database.ts';

/**
 * Query plans of the SQL the app really issues: one request goes through `createApp` in process on a
 * Drizzle handle that records every statement, then each statement is run under EXPLAIN.
 */

export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
}

export interface StatementPlan {
  sql: string;
  params: unknown[];
  /** Tables read, each with how: "Index Scan using …", "Seq Scan", … */
  access: { table: string; node: string; index: string | null; rows: number | null }[];
  usesIndex: boolean;
  /** Seq scans on tables big enough for it to matter (more than BIG_TABLE rows). */
  bigSeqScans: string[];
  planningMs: number;
  executionMs: number;
  rows: number | null;
}

export interface EndpointPlan {
  path: string;
  status: number;
  statements: StatementPlan[];
  /** Planning + execution of every statement of one request (median of repeats). */
  sqlMs: number;
  /** For endpoints with `read`: is that table read by exactly one index-backed statement? */
  readVerdict?: { table: string; statements: number; indexed: boolean; ok: boolean; text: string };
}

const INDEX_NODES = new Set(['Index Scan', 'Index Only Scan', 'Bitmap Index Scan']);
/** A seq scan over fewer rows than this is the planner's right call, not a missing index. */
export const BIG_TABLE = 5000;

function walk(node: PlanNode, out: PlanNode[] = []): PlanNode[] {
  out.push(node);
  for (const child of node.Plans ?? []) walk(child, out);
  return out;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? Number.NaN;
};

async function explain(
  run: SqlRunner,
  sql: string,
  params: unknown[],
): Promise<{ Plan: PlanNode; 'Planning Time'?: number; 'Execution Time'?: number }> {
  const rows = await run.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
  const raw = rows[0]?.['QUERY PLAN'];
  const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as [
    { Plan: PlanNode; 'Planning Time'?: number; 'Execution Time'?: number },
  ];
  return parsed[0];
}

async function planStatement(
  run: SqlRunner,
  sql: string,
  params: unknown[],
  catalog: Catalog,
  repeats: number,
): Promise<StatementPlan> {
  const runs = [];
  for (let i = 0; i < repeats; i++) runs.push(await explain(run, sql, params));
  const last = runs.at(-1) as (typeof runs)[number];
  const nodes = walk(last.Plan);
  const access = nodes
    .filter((n) => n['Relation Name'] || n['Index Name'])
    .map((n) => ({
      table: n['Relation Name'] ?? catalog.indexTable.get(n['Index Name'] ?? '') ?? '?',
      node: n['Node Type'],
      index: n['Index Name'] ?? null,
      rows: n['Actual Rows'] ?? null,
    }));
  const bigSeqScans = access
    .filter((a) => a.node === 'Seq Scan' && (catalog.rows.get(a.table) ?? 0) > BIG_TABLE)
    .map((a) => `${a.table} (${catalog.rows.get(a.table)} rows)`);
  return {
    sql,
    params,
    access,
    usesIndex: nodes.some((n) => INDEX_NODES.has(n['Node Type'])),
    bigSeqScans,
    planningMs: median(runs.map((r) => r['Planning Time'] ?? 0)),
    executionMs: median(runs.map((r) => r['Execution Time'] ?? 0)),
    rows: last.Plan['Actual Rows'] ?? null,
  };
}

export interface Catalog {
  /** Row counts of the served tables, from the planner's statistics. */
  rows: Map<string, number>;
  /** Which table each index belongs to (a Bitmap Index Scan names only its index). */
  indexTable: Map<string, string>;
}

export async function readCatalog(run: SqlRunner): Promise<Catalog> {
  const tables = await run.query<{ relname: string; n: number }>(
    `select c.relname, c.reltuples::float8 as n from pg_class c join pg_namespace s on s.oid = c.relnamespace
     where s.nspname = 'public' and c.relkind = 'r'`,
  );
  const indexes = await run.query<{ indexname: string; tablename: string }>(
    `select indexname, tablename from pg_indexes where schemaname = 'public'`,
  );
  return {
    rows: new Map(tables.map((r) => [r.relname, Math.max(0, Math.round(Number(r.n)))])),
    indexTable: new Map(indexes.map((r) => [r.indexname, r.tablename])),
  };
}

/** Send `path` through the real app on a recording database and EXPLAIN ANALYZE every statement it ran. */
export async function planEndpoint(
  db: BenchDatabase,
  path: string,
  read: string | undefined,
  catalog: Catalog,
  repeats = 5,
): Promise<EndpointPlan> {
  const captured: { sql: string; params: unknown[] }[] = [];
  const app = createApp({
    db: db.recordingDb((sql, params) => captured.push({ sql, params })),
    runtime: 'node',
    log: () => {},
    now: () => performance.now(),
    assets: nodeAssets(),
  });
  const res = await app.request(path);
  await res.arrayBuffer();
  const statements: StatementPlan[] = [];
  for (const q of captured) statements.push(await planStatement(db.run, q.sql, q.params, catalog, repeats));
  const plan: EndpointPlan = {
    path,
    status: res.status,
    statements,
    sqlMs: statements.reduce((s, st) => s + st.planningMs + st.executionMs, 0),
  };
  if (read) {
    const reading = statements.filter((s) => s.access.some((a) => a.table === read));
    const indexed = reading.every((s) =>
      s.access.some((a) => a.table === read && a.index !== null && INDEX_NODES.has(a.node)),
    );
    const ok = reading.length === 1 && indexed;
    plan.readVerdict = {
      table: read,
      statements: reading.length,
      indexed,
      ok,
      text: ok
        ? `${read}: one indexed query`
        : `${read}: ${reading.length} ${reading.length === 1 ? 'query' : 'queries'}${indexed ? '' : ', not index-backed'}`,
    };
  }
  return plan;
}
