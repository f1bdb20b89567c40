// The storage contract, proven against both real databases: a fresh SQLite file
// in a temporary folder and a fresh schema in the PostgreSQL test server.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { projectRoot } from '../config/env';
import { openStorage, migrateDatabase, NotFoundError, EpochMismatchError, type Storage } from './index';
import { postgresSchemaUrl, testPostgresUrl } from './test-databases';

const bytes = (...values: number[]) => new Uint8Array(values);
const allTables = [
  'Account', 'CommentMention', 'DocumentSnapshot', 'DocumentUpdate', 'Guest', 'Notebook', 'NotebookMember', 'NotebookVersion', 'Publication', 'Session', 'ShareLink', 'User', 'Verification', 'Workshop',
  '_prisma_migrations',
];

/** Waits until the clock has moved past `t`, so updatedAt values differ. */
async function clockPast(t: Date): Promise<void> {
  const deadline = Date.now() + 1000;
  while (Date.now() <= t.getTime() + 1) {
    if (Date.now() > deadline) throw new Error('clock did not advance');
    await new Promise((r) => setImmediate(r));
  }
}

/** Runs migrateDatabase in a separate Node process, as a second service would at start-up. */
function migrateInChild(url: string): Promise<void> {
  const code = `import { migrateDatabase } from ${JSON.stringify(join(projectRoot, 'storage', 'index.ts'))}; await migrateDatabase(process.argv[1]);`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--experimental-wasm-modules', '--no-warnings', '--import', 'tsx', '--input-type=module', '-e', code, url], {
      cwd: projectRoot,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (status) => (status === 0 ? resolve() : reject(new Error(`child migration failed (${status}): ${stderr}`))));
  });
}

interface Backend {
  name: string;
  setUp(): Promise<void>;
  tearDown(): Promise<void>;
  /** A URL of a database that has never been migrated. */
  freshUrl(): string;
  tables(url: string): Promise<string[]>;
}

function sqliteBackend(): Backend {
  let dir = '';
  let n = 0;
  return {
    name: 'SQLite',
    async setUp() {
      dir = mkdtempSync(join(tmpdir(), 'cellmate-storage-'));
    },
    async tearDown() {
      rmSync(dir, { recursive: true, force: true });
    },
    freshUrl: () => `file:${join(dir, `nested-${++n}`, 'cellmate.db')}`,
    async tables(url) {
      const { default: Database } = await import('better-sqlite3');
      const db = new Database(url.slice('file:'.length), { readonly: true });
      try {
        return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[]).map((r) => r.name).sort();
      } finally {
        db.close();
      }
    },
  };
}

function postgresBackend(): Backend {
  const run = `test_${randomBytes(5).toString('hex')}`;
  const schemas: string[] = [];
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  return {
    name: 'PostgreSQL',
    async setUp() {
      await admin.connect();
    },
    async tearDown() {
      for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    },
    freshUrl() {
      const schema = `${run}_${schemas.length}`;
      schemas.push(schema);
      return postgresSchemaUrl(schema);
    },
    async tables(url) {
      const schema = new URL(url).searchParams.get('schema');
      const { rows } = await admin.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [schema]);
      return rows.map((r) => r.table_name).sort();
    },
  };
}

for (const backend of [sqliteBackend(), postgresBackend()]) {
  describe(`storage on ${backend.name}`, () => {
    let url = '';
    let storage: Storage;
    before(async () => {
      await backend.setUp();
      url = backend.freshUrl();
      storage = await openStorage({ databaseUrl: url });
    });
    after(async () => {
      await storage?.close();
      await backend.tearDown();
    });

    test('opening creates the database with all tables, and migrating again changes nothing', async () => {
      if (backend.name === 'SQLite') assert.ok(existsSync(url.slice('file:'.length)));
      const tables = await backend.tables(url);
      assert.deepEqual(tables, allTables);
      await migrateDatabase(url);
      await migrateDatabase(url);
      assert.deepEqual(await backend.tables(url), tables);
      assert.equal(storage.provider, backend.name === 'SQLite' ? 'sqlite' : 'postgresql');
    });

    test('two processes migrating one fresh database at once both succeed', async () => {
      const fresh = backend.freshUrl();
      await Promise.all([migrateInChild(fresh), migrateInChild(fresh), migrateDatabase(fresh)]);
      assert.deepEqual(await backend.tables(fresh), allTables);
      const other = await openStorage({ databaseUrl: fresh, migrate: false });
      try {
        const made = await other.notebooks.create({ title: 'after race' });
        assert.equal((await other.notebooks.get(made.id))?.title, 'after race');
      } finally {
        await other.close();
      }
    });

    test('notebooks: create, get, rename, list newest updated first, delete', async () => {
      const a = await storage.notebooks.create({ title: 'Alpha' });
      const b = await storage.notebooks.create({ title: 'Beta', id: `beta-${randomBytes(4).toString('hex')}` });
      assert.match(a.id, /\S{10,}/);
      assert.ok(b.id.startsWith('beta-'));
      assert.notEqual(a.epoch, b.epoch);
      assert.deepEqual(await storage.notebooks.get(a.id), a);
      assert.equal(await storage.notebooks.get('no-such-notebook'), null);

      await clockPast(b.updatedAt);
      const renamed = await storage.notebooks.rename(a.id, 'Alpha 2');
      assert.equal(renamed.title, 'Alpha 2');
      assert.ok(renamed.updatedAt > a.updatedAt);
      let ids = (await storage.notebooks.list()).map((n) => n.id);
      assert.ok(ids.indexOf(a.id) < ids.indexOf(b.id), 'renamed notebook comes first');

      await clockPast(renamed.updatedAt);
      await storage.notebooks.touch(b.id);
      ids = (await storage.notebooks.list()).map((n) => n.id);
      assert.ok(ids.indexOf(b.id) < ids.indexOf(a.id), 'touched notebook comes first');

      await storage.notebooks.delete(b.id);
      assert.equal(await storage.notebooks.get(b.id), null);
      await assert.rejects(storage.notebooks.delete(b.id), NotFoundError);
      await assert.rejects(storage.notebooks.rename('no-such-notebook', 'x'), NotFoundError);
      await storage.notebooks.touch('no-such-notebook'); // a late touch after delete is harmless
    });

    test('append then load returns the same bytes in order', async () => {
      const nb = await storage.notebooks.create({ title: 'log' });
      const empty = await storage.documents.load(nb.id);
      assert.deepEqual(empty, { epoch: nb.epoch, snapshot: null, updates: [], lastUpdateId: 0 });
      const first = await storage.documents.append(nb.id, nb.epoch, [bytes(1, 2, 3), bytes(0, 255)]);
      const second = await storage.documents.append(nb.id, nb.epoch, [bytes(4)]);
      assert.ok(second > first);
      const big = Array.from({ length: 1200 }, (_, i) => bytes(i & 255, i >> 8));
      const third = await storage.documents.append(nb.id, nb.epoch, big);
      const doc = await storage.documents.load(nb.id);
      assert.equal(doc.snapshot, null);
      assert.deepEqual(doc.updates, [bytes(1, 2, 3), bytes(0, 255), bytes(4), ...big]);
      assert.equal(doc.lastUpdateId, third);
      await assert.rejects(storage.documents.append('no-such-notebook', nb.epoch, [bytes(1)]), NotFoundError);
      await assert.rejects(storage.documents.load('no-such-notebook'), NotFoundError);
    });

    test('compact then load gives the snapshot and only the later updates', async () => {
      const nb = await storage.notebooks.create({ title: 'compact' });
      await storage.documents.append(nb.id, nb.epoch, [bytes(1), bytes(2)]);
      const upTo = await storage.documents.append(nb.id, nb.epoch, [bytes(3)]);
      const last = await storage.documents.append(nb.id, nb.epoch, [bytes(4)]);
      await storage.documents.compact(nb.id, nb.epoch, bytes(9, 9), upTo);
      assert.deepEqual(await storage.documents.load(nb.id), { epoch: nb.epoch, snapshot: bytes(9, 9), updates: [bytes(4)], lastUpdateId: last });
      // An older snapshot arriving late must not overwrite the newer one.
      await storage.documents.compact(nb.id, nb.epoch, bytes(8), upTo - 1);
      assert.deepEqual((await storage.documents.load(nb.id)).snapshot, bytes(9, 9));
      // A compaction under a retired epoch is ignored.
      const epoch = await storage.documents.replace(nb.id, bytes(7));
      await storage.documents.compact(nb.id, nb.epoch, bytes(6), last);
      assert.deepEqual(await storage.documents.load(nb.id), { epoch, snapshot: bytes(7), updates: [], lastUpdateId: last });
    });

    test('replace starts a new epoch and refuses writers of the old one', async () => {
      const nb = await storage.notebooks.create({ title: 'replace' });
      await storage.documents.append(nb.id, nb.epoch, [bytes(1), bytes(2)]);
      const epoch = await storage.documents.replace(nb.id, bytes(42, 43));
      assert.notEqual(epoch, nb.epoch);
      assert.equal((await storage.notebooks.get(nb.id))?.epoch, epoch);
      const doc = await storage.documents.load(nb.id);
      assert.deepEqual([doc.epoch, doc.snapshot, doc.updates], [epoch, bytes(42, 43), []]);
      await assert.rejects(storage.documents.append(nb.id, nb.epoch, [bytes(3)]), (err) => {
        assert.ok(err instanceof EpochMismatchError);
        assert.equal(err.actual, epoch);
        return true;
      });
      const id = await storage.documents.append(nb.id, epoch, [bytes(5)]);
      assert.ok(id > doc.lastUpdateId);
      assert.deepEqual((await storage.documents.load(nb.id)).updates, [bytes(5)]);
      await assert.rejects(storage.documents.replace('no-such-notebook', bytes(1)), NotFoundError);
    });

    test('deleting a notebook deletes its document', async () => {
      const nb = await storage.notebooks.create({ title: 'doomed' });
      const upTo = await storage.documents.append(nb.id, nb.epoch, [bytes(1), bytes(2)]);
      await storage.documents.compact(nb.id, nb.epoch, bytes(3), upTo - 1);
      await storage.notebooks.delete(nb.id);
      await assert.rejects(storage.documents.load(nb.id), NotFoundError);
      // Recreating the id must not resurrect old rows.
      const again = await storage.notebooks.create({ title: 'reborn', id: nb.id });
      assert.deepEqual(await storage.documents.load(nb.id), { epoch: again.epoch, snapshot: null, updates: [], lastUpdateId: 0 });
    });

    test('data survives close and reopen', async () => {
      const nb = await storage.notebooks.create({ title: 'durable' });
      await storage.documents.append(nb.id, nb.epoch, [bytes(10), bytes(11)]);
      await storage.close();
      storage = await openStorage({ databaseUrl: url });
      assert.equal((await storage.notebooks.get(nb.id))?.title, 'durable');
      assert.deepEqual((await storage.documents.load(nb.id)).updates, [bytes(10), bytes(11)]);
    });
  });
}
