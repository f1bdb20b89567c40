// The keystroke append on SQLite runs on a connection of its own. These tests
// prove what that connection is for: an append is never folded into a
// transaction the Prisma client holds open, and waiting for that transaction's
// lock never stops the event loop it needs to finish.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PrismaClient } from '../generated/prisma-sqlite/client';
import { openStorage, EpochMismatchError, NotFoundError, type Storage } from './index';

let dir: string;
let storage: Storage;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cellmate-appender-'));
  storage = await openStorage({ databaseUrl: `file:${join(dir, 'cellmate.db')}` });
});
after(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

test('an append waits for a transaction the Prisma client holds open and is stored on its own when that one rolls back', async () => {
  const notebook = await storage.notebooks.create({ title: 'before' });
  const prisma = storage.prismaClient as PrismaClient;
  let append: Promise<number> | undefined;
  let appendSettledInside = false;
  await assert.rejects(
    prisma.$transaction(async (tx) => {
      await tx.notebook.update({ where: { id: notebook.id }, data: { title: 'inside a transaction' } }); // holds the write lock
      append = storage.documents.append(notebook.id, notebook.epoch, [new Uint8Array([1, 2, 3])]);
      void append.then(() => { appendSettledInside = true; });
      // More round trips on the held transaction: the event loop keeps turning while the append waits.
      for (let i = 0; i < 5; i++) await tx.notebook.findUnique({ where: { id: notebook.id } });
      assert.equal(appendSettledInside, false, 'the append reported stored while another transaction held the lock');
      throw new Error('roll back');
    }),
    /roll back/,
  );
  const id = await append!;
  assert.ok(id > 0);
  const stored = await storage.documents.load(notebook.id);
  assert.deepEqual(stored.updates.map((u) => [...u]), [[1, 2, 3]], 'the append was lost with the rolled-back transaction');
  assert.equal((await storage.notebooks.get(notebook.id))?.title, 'before');
});

test('appends keep their order and ids across batch sizes, and are refused for a retired epoch or a deleted notebook', async () => {
  const notebook = await storage.notebooks.create({ title: 'order' });
  const first = await storage.documents.append(notebook.id, notebook.epoch, [new Uint8Array([1])]);
  const third = await storage.documents.append(notebook.id, notebook.epoch, [new Uint8Array([2]), new Uint8Array([3])]);
  assert.equal(third, first + 2);
  assert.deepEqual((await storage.documents.load(notebook.id)).updates.map((u) => u[0]), [1, 2, 3]);

  await assert.rejects(storage.documents.append(notebook.id, 'an-old-epoch', [new Uint8Array([4])]), EpochMismatchError);
  await storage.notebooks.delete(notebook.id);
  await assert.rejects(storage.documents.append(notebook.id, notebook.epoch, [new Uint8Array([5])]), NotFoundError);
});
