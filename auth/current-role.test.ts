// A workshop guest's own fork runs code on its own kernel: the kernel bridge's
// role check (currentRole, asked on every request) accepts the guest-owner
// access path for that guest only, and only until the fork expires. Real HTTP,
// a real collab server and database, and a real kernel (the bridge's test rig).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { PrismaClient } from '../generated/prisma-sqlite/client';
import { createNotebook } from '../library/notebook-library';
import { executionCountOf, findCell, outputsOf } from '../notebook-model';
import type { NotebookJSON } from '../notebook-model/nbformat/types';
import { startRig, waitFor, type Rig } from '../kernel-bridge/bridge-test-harness';
import { currentRole } from './current-role';

let rig: Rig;
before(async () => { rig = await startRig(); });
after(async () => { await rig.close(); });

function notebookOf(source: string): NotebookJSON {
  return {
    nbformat: 4, nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' } },
    cells: [{ id: 'mine', cell_type: 'code', source, metadata: {}, outputs: [], execution_count: null }],
  } as unknown as NotebookJSON;
}

test('the guest who owns a fork may run it; another guest, and the owner after expiry, get 403 and nothing runs', async () => {
  const fork = await createNotebook(rig.storage, { title: 'my copy', notebook: notebookOf('print(6 * 7)'), guestOwner: { guestId: 'g-grace', name: 'Grace' } });
  const watcher = await rig.browser(fork.id);
  const grace = { kind: 'guest-owner', guestId: 'g-grace' } as const;
  const guido = { kind: 'guest-owner', guestId: 'g-guido' } as const;
  const gracesToken = await rig.token(fork.id, 'owner', { name: 'Grace', userId: 'guest:g-grace' }, grace);
  const guidosToken = await rig.token(fork.id, 'owner', { name: 'Guido', userId: 'guest:g-guido' }, guido);

  const refused = await rig.post(`/notebooks/${fork.id}/execute`, guidosToken, { cellIds: ['mine'] });
  assert.equal(refused.status, 403);
  assert.match(refused.body.error, /no longer have access/);
  assert.equal(rig.registry.get(fork.id), undefined, 'no kernel was started for him');

  assert.equal((await rig.post(`/notebooks/${fork.id}/execute`, gracesToken, { cellIds: ['mine'] })).status, 202);
  await waitFor(() => executionCountOf(findCell(watcher.doc, 'mine')!) === 1, 60_000, 'Grace\'s cell to run');
  await waitFor(() => JSON.stringify(outputsOf(findCell(watcher.doc, 'mine')!)).includes('42'), 10_000, 'its output');

  await (rig.storage.prismaClient as PrismaClient).notebook.update({ where: { id: fork.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
  assert.equal(await currentRole(rig.storage, { notebookId: fork.id, role: 'owner', name: 'Grace', userId: 'guest:g-grace', via: grace }), null);
  for (const action of ['execute', 'interrupt', 'restart']) {
    const body = action === 'execute' ? { cellIds: ['mine'] } : {};
    assert.equal((await rig.post(`/notebooks/${fork.id}/${action}`, gracesToken, body)).status, 403, action);
  }
  assert.equal(executionCountOf(findCell(watcher.doc, 'mine')!), 1, 'nothing ran after the expiry');
});
