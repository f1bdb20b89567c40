// The first account adopts the notebooks made before any account existed; later accounts do not.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../../storage';
import { createNotebook } from '../../library/notebook-library';
import { adoptOwnerlessNotebooks } from './first-account';

const dir = mkdtempSync(join(tmpdir(), 'cellmate-first-account-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the first account becomes owner of ownerless notebooks; a second account adopts nothing', async () => {
  const storage = await openStorage({ databaseUrl: `file:${join(dir, 'db.sqlite')}` });
  try {
    const a = await createNotebook(storage, { title: 'made on the command line' });
    const b = await createNotebook(storage, { title: 'also' });
    const prisma = storage.prismaClient as { user: { create(args: unknown): Promise<{ id: string }> } };
    const first = await prisma.user.create({ data: { id: 'first', name: 'First', email: 'first@example.test' } });
    assert.equal(await adoptOwnerlessNotebooks(storage, first.id), 2);
    assert.equal(await storage.members.roleOf(a.id, first.id), 'owner');
    assert.equal(await storage.members.roleOf(b.id, first.id), 'owner');

    const c = await createNotebook(storage, { title: 'ownerless again' });
    const second = await prisma.user.create({ data: { id: 'second', name: 'Second', email: 'second@example.test' } });
    assert.equal(await adoptOwnerlessNotebooks(storage, second.id), 0);
    assert.equal(await storage.members.roleOf(c.id, second.id), null);
  } finally {
    await storage.close();
  }
});
