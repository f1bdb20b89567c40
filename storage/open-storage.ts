// Opens Cellmate's database: the embedded SQLite file by default, PostgreSQL
// when the URL says so, through the same code. Creates the SQLite file and its
// folder when missing, applies pending migrations, and holds ONE PrismaClient.
//
// SQLite is shared by several processes (web app, collab server, CLI):
// - WAL journal (set in migrations.ts): readers never block the writer;
// - busy timeout: a writer waits for another process's commit instead of failing;
// - synchronous=FULL: with WAL, NORMAL may lose the last commits on power loss;
//   `append` promises durability when it resolves, so each commit syncs the WAL
//   (one fsync per keystroke batch, measured in bench/storage-append.ts).
//   CELLMATE_SQLITE_SYNC=normal trades that for speed: commits then survive a
//   crash of any Cellmate process (kill -9) but not of the machine;
// - foreign_keys=ON: SQLite leaves it off per connection, and deletes cascade
//   only with it.
import pg from 'pg';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { PrismaClient } from '../generated/prisma-sqlite/client';
import { databaseUrl as configuredUrl } from '../config/env';
import { parseDatabaseUrl } from './database-url';
import { documentStore } from './documents';
import { migrateDatabase } from './migrations';
import { memberStore } from './members';
import { notebookStore } from './notebooks';
import { shareLinkStore } from './share-links';
import { userStore } from './users';
import { versionStore } from './versions';
import { workshopStore } from './workshops';
import type { Storage } from './types';

const BUSY_TIMEOUT_MS = 15_000;

function sqliteSyncMode(): 'FULL' | 'NORMAL' {
  const configured = (process.env.CELLMATE_SQLITE_SYNC ?? 'full').toLowerCase();
  if (configured === 'full') return 'FULL';
  if (configured === 'normal') return 'NORMAL';
  throw new Error(`CELLMATE_SQLITE_SYNC must be "full" or "normal", not "${configured}"`);
}

export interface OpenStorageOptions {
  /** Defaults to DATABASE_URL, else the SQLite file in the data folder. */
  databaseUrl?: string;
  /** Apply pending migrations first (default true). */
  migrate?: boolean;
}

export async function openStorage(options: OpenStorageOptions = {}): Promise<Storage> {
  const url = options.databaseUrl ?? configuredUrl();
  const target = parseDatabaseUrl(url);
  if (options.migrate !== false) await migrateDatabase(url);

  let prisma: PrismaClient;
  let pool: pg.Pool | undefined;
  if (target.provider === 'sqlite') {
    const { PrismaClient: SqliteClient } = await import('../generated/prisma-sqlite/client');
    prisma = new SqliteClient({ adapter: new PrismaBetterSqlite3({ url: target.file, timeout: BUSY_TIMEOUT_MS }) });
    // The adapter keeps one connection, so per-connection settings hold for the client's life.
    await prisma.$queryRawUnsafe('PRAGMA foreign_keys = ON');
    await prisma.$queryRawUnsafe(`PRAGMA synchronous = ${sqliteSyncMode()}`);
    await prisma.$queryRawUnsafe(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  } else {
    const { PrismaClient: PostgresClient } = await import('../generated/prisma-postgresql/client');
    pool = new pg.Pool({ ...target.pool, max: 10 });
    // Same model, same API: only the SQL dialect inside differs.
    prisma = new PostgresClient({ adapter: new PrismaPg(pool, { schema: target.schema }) }) as unknown as PrismaClient;
    await prisma.$connect();
  }

  let closed = false;
  return {
    provider: target.provider,
    notebooks: notebookStore(prisma),
    documents: documentStore(prisma, target.provider),
    users: userStore(prisma),
    members: memberStore(prisma),
    shareLinks: shareLinkStore(prisma),
    versions: versionStore(prisma),
    workshops: workshopStore(prisma),
    prismaClient: prisma,
    async close() {
      if (closed) return;
      closed = true;
      await prisma.$disconnect();
      await pool?.end();
    },
  };
}
