// Brings a database to the latest migration of prisma/migrations (SQLite) or
// prisma/postgresql/migrations, recording them in Prisma's `_prisma_migrations`
// table exactly as `prisma migrate deploy` would (see schema-engine.ts).
//
// Invariants: idempotent; when several processes start together exactly one
// applies the pending migrations while the others wait, then find nothing to do.
// The engine itself takes no lock on SQLite, so we serialize: on SQLite with an
// exclusive transaction on a sibling lock file (released by the OS if the
// process dies), on PostgreSQL with a session advisory lock keyed by schema.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { parseDatabaseUrl, type DatabaseTarget } from './database-url';
import { noFilter, readMigrations, withSchemaEngine } from './schema-engine';

const LOCK_WAIT_MS = 60_000;

/** Applies every pending migration to the database at `databaseUrl`. */
export async function migrateDatabase(databaseUrl: string): Promise<void> {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.provider === 'sqlite') {
    mkdirSync(dirname(target.file), { recursive: true });
    prepareSqliteFile(target.file);
  }
  if (await isUpToDate(target)) return; // the common case needs no lock and no engine
  const release = await acquireMigrationLock(target);
  try {
    const migrationsList = readMigrations(target.provider);
    await withSchemaEngine(target, (engine) => engine.applyMigrations({ migrationsList, filters: noFilter }));
  } finally {
    await release();
  }
}

/**
 * WAL lets readers (the app listing notebooks) run beside the one writer (the
 * collab server appending updates) across processes. The mode is stored in the
 * file, so setting it once here covers every later connection.
 */
function prepareSqliteFile(file: string): void {
  const db = new Database(file, { timeout: LOCK_WAIT_MS });
  try {
    db.pragma('journal_mode = WAL');
  } finally {
    db.close();
  }
}

/** True when every migration on disk is recorded as applied. */
async function isUpToDate(target: DatabaseTarget): Promise<boolean> {
  const wanted = readMigrations(target.provider).migrationDirectories.map((d) => d.path);
  const sql = 'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL';
  let applied: string[];
  try {
    if (target.provider === 'sqlite') {
      const db = new Database(target.file, { readonly: true, timeout: LOCK_WAIT_MS });
      try {
        applied = (db.prepare(sql).all() as { migration_name: string }[]).map((r) => r.migration_name);
      } finally {
        db.close();
      }
    } else {
      const client = new pg.Client(target.pool);
      await client.connect();
      try {
        applied = (await client.query<{ migration_name: string }>(sql)).rows.map((r) => r.migration_name);
      } finally {
        await client.end();
      }
    }
  } catch {
    return false; // no migrations table yet: the engine will create it
  }
  const done = new Set(applied);
  return wanted.every((name) => done.has(name));
}

async function acquireMigrationLock(target: DatabaseTarget): Promise<() => Promise<void>> {
  if (target.provider === 'sqlite') {
    // better-sqlite3 waits synchronously, which would freeze this process's
    // event loop (and any migration it is running); so try without waiting and
    // poll asynchronously instead.
    const lock = new Database(`${target.file}.migrate-lock`, { timeout: 0 });
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        lock.exec('BEGIN EXCLUSIVE');
        break;
      } catch (err) {
        if ((err as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) {
          lock.close();
          throw new Error(`Could not get the migration lock on ${target.file} (another process is migrating it): ${(err as Error).message}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 30));
      }
    }
    return async () => {
      lock.exec('COMMIT');
      lock.close();
    };
  }
  const client = new pg.Client({ ...target.pool, options: undefined });
  await client.connect();
  try {
    await client.query(`SET lock_timeout = ${LOCK_WAIT_MS}`);
    const [hi, lo] = advisoryKey(target.schema);
    await client.query('SELECT pg_advisory_lock($1, $2)', [hi, lo]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${target.schema}"`);
    return async () => {
      await client.query('SELECT pg_advisory_unlock($1, $2)', [hi, lo]).catch(() => undefined);
      await client.end();
    };
  } catch (err) {
    await client.end();
    throw err;
  }
}

/** A lock key of our own (not Prisma's), one per schema, so test schemas do not queue behind each other. */
function advisoryKey(schema: string): [number, number] {
  const digest = createHash('sha256').update(`cellmate-migrate:${schema}`).digest();
  return [digest.readInt32BE(0), digest.readInt32BE(4)];
}
