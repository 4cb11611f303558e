import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openPostgres } from '../../src/node/databases.ts';
import { loadDataset, SAMPLE_DATA_DIR } from '../../src/pipeline/load.ts';
import { pgRunner } from '../../src/pipeline/sql.ts';

/**
 * Node side of the `db` project: on a Postgres server (TEST_DATABASE_URL), load the default dataset
 * once per run into a template database; each test file then gets its own copy in a second
 * (`CREATE DATABASE … TEMPLATE`, see harness.ts) instead of re-running the pipeline. Without a
 * server (PGlite) there is nothing to share and each file loads the (small) sample itself.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    /** Name of the loaded template database on TEST_DATABASE_URL's server; "" on PGlite. */
    templateDb: string;
  }
}

export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    project.provide('templateDb', '');
    return;
  }
  const name = `obs_tpl_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`create database ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const { pool } = await openPostgres(target.toString(), { migrate: true, max: 4 });
  try {
    await loadDataset(pgRunner(pool), { dataDir: process.env.DATA_DIR ?? SAMPLE_DATA_DIR });
  } catch (err) {
    await pool.end();
    await admin(`drop database if exists ${name} with (force)`);
    throw err;
  }
  // A template must have no open connections while it is copied.
  await pool.end();
  project.provide('templateDb', name);
  return async () => admin(`drop database if exists ${name} with (force)`);
}
