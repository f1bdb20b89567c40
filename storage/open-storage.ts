// Opens Cellmate's database: the embedded SQLite file by default, PostgreSQL
// when the URL says so, through the same code. Creates the SQLite file and its
// folder when missing, applies pending migrations, and holds ONE PrismaClient
// (plus, on SQLite, the keystroke appender's own connection).
//
// SQLite is shared by several processes (web app, collab server, CLI):
// - WAL journal (set in migrations.ts): readers never block the writer;
// - busy timeout: a writer waits for another process's commit instead of failing;
// - synchronous=NORMAL (CELLMATE_SQLITE_SYNC, default normal): with WAL, a
//   commit is in the database file's log when `append` resolves, so it survives
//   a crash of any Cellmate process (kill -9; collab-server/crash-durability.test.ts)
//   but not of the machine: a power loss may drop the commits since the last
//   checkpoint. Connected clients still hold those edits and send them back when
//   they reconnect (sync step 2 goes both ways). CELLMATE_SQLITE_SYNC=full syncs
//   the log to disk on every commit instead: power-loss durable, and about 0.5 ms
//   more per keystroke (bench/storage-append.ts, bench/fanout-latency.ts);
// - foreign_keys=ON: SQLite leaves it off per connection, and deletes cascade
//   only with it.
import pg from 'pg';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { PrismaClient } from '../generated/prisma-sqlite/client';
import { databaseUrl as configuredUrl, sqliteSyncSetting } from '../config/env';
import { parseDatabaseUrl } from './database-url';
import { documentStore } from './documents';
import { openSqliteUpdateAppender, type SqliteSyncMode, type SqliteUpdateAppender } from './sqlite-update-appender';
import { migrateDatabase } from './migrations';
import { memberStore } from './members';
import { mentionStore } from './mentions';
import { notebookStore } from './notebooks';
import { shareLinkStore } from './share-links';
import { userStore } from './users';
import { versionStore } from './versions';
import { workshopStore } from './workshops';
import type { Storage } from './types';

const BUSY_TIMEOUT_MS = 15_000;

function sqliteSyncMode(): SqliteSyncMode {
  return sqliteSyncSetting() === 'full' ? 'FULL' : 'NORMAL';
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
  let appender: SqliteUpdateAppender | null = null;
  if (target.provider === 'sqlite') {
    const { PrismaClient: SqliteClient } = await import('../generated/prisma-sqlite/client');
    prisma = new SqliteClient({ adapter: new PrismaBetterSqlite3({ url: target.file, timeout: BUSY_TIMEOUT_MS }) });
    // The adapter keeps one connection, so per-connection settings hold for the client's life.
    const sync = sqliteSyncMode();
    await prisma.$queryRawUnsafe('PRAGMA foreign_keys = ON');
    await prisma.$queryRawUnsafe(`PRAGMA synchronous = ${sync}`);
    await prisma.$queryRawUnsafe(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    appender = openSqliteUpdateAppender(target.file, sync, BUSY_TIMEOUT_MS);
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
    documents: documentStore(prisma, target.provider, appender),
    users: userStore(prisma),
    members: memberStore(prisma),
    shareLinks: shareLinkStore(prisma),
    versions: versionStore(prisma),
    workshops: workshopStore(prisma),
    mentions: mentionStore(prisma),
    prismaClient: prisma,
    async close() {
      if (closed) return;
      closed = true;
      appender?.close();
      await prisma.$disconnect();
      await pool?.end();
    },
  };
}
