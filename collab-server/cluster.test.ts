// Collab servers on two nodes (real processes on the machine's real PostgreSQL
// and Redis; see cluster-rig.ts): clients on either node converge through random
// edits, disconnects and reconnects to either node; a node killed with SIGKILL
// mid-typing loses nothing anyone saw and its clients carry on on the other
// node; presence and an access revocation cross nodes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import type { PrismaClient } from '../generated/prisma-postgresql/client';
import { signServiceToken } from '../auth/service-token';
import { signNotebookToken } from '../auth/notebook-token';
import { cellsOf, cellIdOf, insertCell } from '../notebook-model';
import { closeCodes, restoreNoticeOf } from '../notebook-model/service-protocol';
import { startCluster, type ClusterClient, type ClusterRig } from './cluster-rig';
import { random, randomEdit } from './random-edits';
import { keepTyping, sourceOf, waitFor, waitForAgreement, watchSource } from './test-rig';

let cluster: ClusterRig;
before(async () => { cluster = await startCluster(2); });
after(async () => { await cluster?.close(); });

test('random edits by clients on two nodes, disconnecting and reconnecting to either node, converge everywhere', { timeout: 120_000 }, async () => {
  const seed = Number(process.env.CONVERGENCE_SEED ?? Date.now() % 1_000_000);
  const rand = random(seed);
  const id = await cluster.newNotebook(['first', 'second', 'third']);
  const names = ['ada', 'bob', 'cyd', 'dee'];
  const clients: ClusterClient[] = [];
  for (const [i, name] of names.entries()) clients.push(await cluster.connect(i % 2, id, { name }));
  try {
    for (let round = 0; round < 50; round++) {
      for (const [i, client] of clients.entries()) {
        const online = client.provider.wsconnected || client.provider.wsconnecting;
        if (rand() < 0.08) {
          if (online) client.provider.disconnect();
          else {
            client.moveTo(rand() < 0.5 ? 0 : 1);
            client.provider.connect();
          }
        }
        for (let n = Math.floor(rand() * 4); n > 0; n--) randomEdit(client.doc, rand, names[i]);
      }
      await new Promise((r) => setTimeout(r, Math.floor(rand() * 15)));
    }
    for (const client of clients) client.provider.connect();
    // One check of replicas and store together: the nodes' own repairs (a duplicate left by concurrent moves) may still be on their way.
    await waitForAgreement(clients, () => cluster.stored(id), `all replicas and the stored document to converge (seed ${seed})`, 30_000);
    const ids = cellsOf(clients[0].doc).toArray().map(cellIdOf);
    assert.equal(new Set(ids).size, ids.length, `duplicate cell ids after convergence (seed ${seed}): ${ids}`);
  } finally {
    for (const client of clients) client.destroy();
  }
});

test('presence crosses nodes: a cursor set on node 0 is seen by a later arrival on node 1, and goes when its tab closes', { timeout: 30_000 }, async () => {
  const id = await cluster.newNotebook(['']);
  const ada = await cluster.connect(0, id, { name: 'Ada' });
  const cyd = await cluster.connect(0, id, { name: 'Cyd' });
  const adaId = ada.doc.clientID;
  ada.provider.awareness.setLocalStateField('cursor', { cell: 'cell-0', at: 3 });
  await waitFor(() => cyd.provider.awareness.getStates().get(adaId)?.cursor, "Ada's cursor on node 0");
  // Node 1 loads the room after Ada spoke: it asks the other nodes for their presence.
  const bob = await cluster.connect(1, id, { name: 'Bob' });
  const seen = await waitFor(() => bob.provider.awareness.getStates().get(adaId)?.cursor, "Ada's cursor on node 1");
  assert.deepEqual(seen, { cell: 'cell-0', at: 3 });
  // Stamped by Ada's node from her token, not from what she said.
  assert.equal((bob.provider.awareness.getStates().get(adaId)?.user as { name: string }).name, 'Ada');
  ada.provider.awareness.setLocalStateField('cursor', { cell: 'cell-0', at: 5 });
  await waitFor(() => (bob.provider.awareness.getStates().get(adaId)?.cursor as { at: number } | undefined)?.at === 5, "Ada's moved cursor on node 1");
  ada.destroy();
  await waitFor(() => !bob.provider.awareness.getStates().has(adaId), "Ada's presence to leave node 1 when her tab closes");
  bob.destroy();
  cyd.destroy();
});

test('an access revocation made through node 0 closes the socket on node 1 (4403)', { timeout: 30_000 }, async () => {
  const id = await cluster.newNotebook(['x = 1']);
  const prisma = cluster.storage.prismaClient as PrismaClient;
  const user = await prisma.user.create({ data: { id: randomUUID(), name: 'Bob', email: `bob-${randomUUID()}@example.test` } });
  await cluster.storage.members.grant(id, user.id, 'editor');
  const watcher = await cluster.connect(0, id, { name: 'Olga', role: 'owner' });
  const bob = await cluster.connect(1, id, { name: 'Bob', via: { kind: 'member', userId: user.id } });
  await cluster.storage.members.revoke(id, user.id);
  const res = await fetch(`http://127.0.0.1:${cluster.nodes[0].port}/notebooks/${id}/access`, {
    method: 'POST', headers: { authorization: `Bearer ${await signServiceToken('access-changed', id)}` },
  });
  assert.equal(res.status, 200);
  await waitFor(() => bob.closes.some((c) => c.code === closeCodes.accessWithdrawn), "Bob's socket on node 1 to close with 4403");
  watcher.destroy();
  bob.destroy();
});

test('a replacement through node 0 tells clients on node 1 to reload (4409); a deletion closes them (4404)', { timeout: 30_000 }, async () => {
  const id = await cluster.newNotebook(['old']);
  const onOne = await cluster.connect(1, id, { name: 'Bob' });
  const replacement = new Y.Doc();
  replacement.transact(() => insertCell(replacement, 0, { cell_type: 'code', source: 'new' }));
  const res = await fetch(`http://127.0.0.1:${cluster.nodes[0].port}/notebooks/${id}/replace?restored=cmv1restored`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await signNotebookToken({ notebookId: id, role: 'owner', name: 'Olga', userId: 'user-Olga' })}` },
    body: Buffer.from(Y.encodeStateAsUpdate(replacement)),
  });
  assert.equal(res.status, 200);
  await waitFor(() => onOne.closes.some((c) => c.code === closeCodes.documentReplaced), 'the client on node 1 to be told to reload');
  const told = onOne.closes.find((c) => c.code === closeCodes.documentReplaced)!;
  assert.deepEqual(restoreNoticeOf(told.reason), { restoredVersionId: 'cmv1restored', backupVersionId: null }, 'which restore travels between nodes');
  onOne.destroy();

  const again = await cluster.connect(1, id, { name: 'Bob' });
  assert.equal(sourceOf(again.doc, 0), 'new');
  await cluster.storage.notebooks.delete(id);
  const gone = await fetch(`http://127.0.0.1:${cluster.nodes[0].port}/notebooks/${id}/access`, {
    method: 'POST', headers: { authorization: `Bearer ${await signServiceToken('access-changed', id)}` },
  });
  assert.equal(gone.status, 200);
  await waitFor(() => again.closes.some((c) => c.code === closeCodes.notebookGone), 'the client on node 1 to be told the notebook is gone');
  again.destroy();
});

test('kill -9 of a node mid-typing: nothing a watcher on the other node saw is lost, and the typist carries on there', { timeout: 60_000 }, async () => {
  const id = await cluster.newNotebook(['']);
  const typist = await cluster.connect(0, id, { name: 'Tia' });
  const watcher = await cluster.connect(1, id, { name: 'Wes', role: 'viewer' });
  const watched = watchSource(watcher.doc, 0);
  const text = cellsOf(typist.doc).get(0).get('source') as Y.Text;
  const typing = keepTyping(text);
  await waitFor(() => watched.seen.length >= 200, 'the watcher on node 1 to see 200 keystrokes', 30_000);
  typist.moveTo(1); // its reconnect goes to the surviving node, as a balancer would send it
  await cluster.kill(0);
  await typing.stop();
  const seenAtCrash = watched.seen;

  const stored = sourceOf(await cluster.stored(id), 0);
  assert.ok(stored.length >= seenAtCrash.length, `stored ${stored.length} chars, the watcher had seen ${seenAtCrash.length}`);
  assert.ok(stored.startsWith(seenAtCrash));
  // The typist's replica (with keystrokes node 0 never stored) reaches node 1, and both agree.
  const final = text.toString();
  await waitFor(() => typist.provider.synced && sourceOf(watcher.doc, 0) === final, 'the watcher to converge with the typist on node 1', 20_000);
  await waitFor(async () => sourceOf(await cluster.stored(id), 0) === final, 'everything typed to be stored');
  typist.destroy();
  watcher.destroy();
});
