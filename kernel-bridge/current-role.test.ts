// The bridge asks the database, on every request, whether the caller may still
// run code: a token minted while its holder was an editor stops working the
// moment the owner demotes them or revokes their link. Real HTTP, a real collab
// server and database, and a real kernel for the one request that may run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type * as Y from 'yjs';
import type { PrismaClient } from '../generated/prisma-sqlite/client';
import { findCell, outputsOf, executionCountOf } from '../notebook-model';
import { KERNEL_DEADLINE_MS, startRig, waitFor, type Rig } from './bridge-test-harness';

let rig: Rig;
before(async () => { rig = await startRig(); });
after(async () => { await rig.close(); });

const countOf = (doc: Y.Doc, id: string) => executionCountOf(findCell(doc, id)!);

async function newUser(name: string): Promise<string> {
  const prisma = rig.storage.prismaClient as PrismaClient;
  return (await prisma.user.create({ data: { id: randomUUID(), name, email: `${name}-${randomUUID()}@example.test` } })).id;
}

test('execute, interrupt and restart are refused (403) to a demoted member and a revoked link, whatever the token says, and nothing runs', async () => {
  const nb = await rig.notebook(['print("must not run")']);
  const watcher = await rig.browser(nb.id);
  const bob = await newUser('bob');
  await rig.storage.members.grant(nb.id, bob, 'viewer');
  const bobToken = await rig.token(nb.id, 'editor', { name: 'Bob', userId: bob }, { kind: 'member', userId: bob });
  const { link } = await rig.storage.shareLinks.create({ notebookId: nb.id, role: 'editor', expiresAt: null, createdBy: bob });
  await rig.storage.shareLinks.revoke(nb.id, link.id);
  const guestToken = await rig.token(nb.id, 'editor', { name: 'Grace', userId: 'guest:g1' }, { kind: 'link', linkId: link.id });
  const gone = await newUser('gone');
  const goneToken = await rig.token(nb.id, 'owner', { name: 'Gone', userId: gone }, { kind: 'member', userId: gone });

  for (const action of ['execute', 'interrupt', 'restart']) {
    const body = action === 'execute' ? { cellIds: nb.cellIds } : {};
    const demoted = await rig.post(`/notebooks/${nb.id}/${action}`, bobToken, body);
    assert.equal(demoted.status, 403, action);
    assert.match(demoted.body.error, /\(viewer\) cannot run code/);
    const revoked = await rig.post(`/notebooks/${nb.id}/${action}`, guestToken, body);
    assert.equal(revoked.status, 403, action);
    assert.match(revoked.body.error, /no longer have access/);
    assert.equal((await rig.post(`/notebooks/${nb.id}/${action}`, goneToken, body)).status, 403, action);
  }
  assert.equal(rig.registry.get(nb.id), undefined, 'no kernel session was even opened');
  assert.equal(countOf(watcher.doc, 'cell0'), null);
  assert.equal(outputsOf(findCell(watcher.doc, 'cell0')!).length, 0);
});

test('a member promoted to editor after the token was minted may run at once', async () => {
  const nb = await rig.notebook(['print(6 * 7)']);
  const watcher = await rig.browser(nb.id);
  const eve = await newUser('eve');
  await rig.storage.members.grant(nb.id, eve, 'viewer');
  const token = await rig.token(nb.id, 'viewer', { name: 'Eve', userId: eve }, { kind: 'member', userId: eve });
  assert.equal((await rig.post(`/notebooks/${nb.id}/execute`, token, { cellIds: nb.cellIds })).status, 403);
  await rig.storage.members.grant(nb.id, eve, 'editor');
  assert.equal((await rig.post(`/notebooks/${nb.id}/execute`, token, { cellIds: nb.cellIds })).status, 202);
  await waitFor(() => countOf(watcher.doc, 'cell0') === 1, KERNEL_DEADLINE_MS, 'the cell to run');
});
