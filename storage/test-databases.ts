// The two real databases that tests of stored data run against: a fresh SQLite
// file in a temporary folder, and a fresh schema in the PostgreSQL test server
// (TEST_POSTGRES_URL), dropped again when the tests are done. For tests only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStorage, type Storage } from './index';

/** The PostgreSQL test server; tests work in schemas of their own inside it. */
export const testPostgresUrl = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

/** The URL of `schema` in the PostgreSQL test server (Prisma creates it on first use). */
export function postgresSchemaUrl(schema: string): string {
  return `${testPostgresUrl}${testPostgresUrl.includes('?') ? '&' : '?'}schema=${schema}`;
}

/** Drops `schema` and everything in it from the PostgreSQL test server. */
export async function dropPostgresSchema(schema: string): Promise<void> {
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.end();
}

/** One database to run a file's tests on, opened through the public storage API. */
export interface TestBackend {
  name: 'SQLite' | 'PostgreSQL';
  open(): Promise<Storage>;
  /** Removes the database; call it after closing the storage. */
  cleanUp(): Promise<void>;
}

/**
 * A fresh SQLite database and a fresh PostgreSQL schema, both never used
 * before; `label` names the temporary folder and the schema, to tell them apart.
 */
export function testBackends(label: string): TestBackend[] {
  const dir = mkdtempSync(join(tmpdir(), `cellmate-${label}-`));
  const schema = `test_${label}_${randomBytes(5).toString('hex')}`;
  return [
    {
      name: 'SQLite',
      open: () => openStorage({ databaseUrl: `file:${join(dir, 'db.sqlite')}` }),
      async cleanUp() { rmSync(dir, { recursive: true, force: true }); },
    },
    {
      name: 'PostgreSQL',
      open: () => openStorage({ databaseUrl: postgresSchemaUrl(schema) }),
      cleanUp: () => dropPostgresSchema(schema),
    },
  ];
}
