// Access changes reach open sockets at once: over real sockets and a real
// SQLite database, memberships and share links are changed in storage, the app's
// call (POST /notebooks/<id>/access with a service token) is made, and the
// connected clients are demoted, promoted or disconnected without reconnecting.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type { PrismaClient } from '../generated/prisma-sqlite/client';
import { signServiceToken } from '../auth/service-token';
import { cellsOf } from '../notebook-model';
import { closeCodes } from '../notebook-model/service-protocol';
import { roleChangedMessageType } from '../notebook-model/service-protocol';
import { startRig, upgradeStatus, waitFor, sourceOf, type Client, type Rig } from './test-rig';

let rig: Rig;
before(async () => { rig = await startRig({ idleUnloadMs: 200 }); });
after(async () => { await rig.close(); });

async function newUser(name: string): Promise<string> {
  const prisma = rig.storage.prismaClient as PrismaClient;
  const user = await prisma.user.create({ data: { id: randomUUID(), name, email: `${name.toLowerCase()}-${randomUUID()}@example.test` } });
  return user.id;
}

/** Records the roles the server announces to this client (message 100). */
function rolesAnnounced(client: Client): string[] {
  const seen: string[] = [];
  client.provider.messageHandlers[roleChangedMessageType] = (_encoder, decoder: decoding.Decoder) => {
    seen.push(decoding.readVarString(decoder));
  };
  return seen;
}

/** A sync update, as a client would send it, that prefixes cell 0 of a copy of `doc` with `text`. */
function craftedEdit(doc: Y.Doc, text: string): Uint8Array {
  const scratch = new Y.Doc();
  Y.applyUpdate(scratch, Y.encodeStateAsUpdate(doc));
  const before = Y.encodeStateVector(scratch);
  (cellsOf(scratch).get(0).get('source') as Y.Text).insert(0, text);
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(scratch, before));
  return encoding.toUint8Array(encoder);
}

const typeInto = (client: Client, text: string) => (cellsOf(client.doc).get(0).get('source') as Y.Text).insert(0, text);

test('a demoted member becomes read-only on the same socket, and a promoted one can edit again', async () => {
  const id = await rig.newNotebook(['x = 1']);
  const ownerId = await newUser('Olga');
  const bobId = await newUser('Bob');
  await rig.storage.members.grant(id, ownerId, 'owner');
  await rig.storage.members.grant(id, bobId, 'editor');
  const owner = await rig.connect(id, { role: 'owner', name: 'Olga', via: { kind: 'member', userId: ownerId } });
  const bob = await rig.connect(id, { role: 'editor', name: 'Bob', via: { kind: 'member', userId: bobId } });
  const announced = rolesAnnounced(bob);
  const socket = bob.provider.ws;
  // Presence carries the role the server holds, whatever the client claims.
  bob.provider.awareness.setLocalStateField('user', { name: 'Bob', color: '#123456' });
  bob.provider.awareness.setLocalStateField('role', 'owner');
  const bobsRole = () => owner.provider.awareness.getStates().get(bob.doc.clientID)?.role;
  await waitFor(() => bobsRole() === 'editor', 'the owner to see Bob as an editor');

  await rig.storage.members.grant(id, bobId, 'viewer');
  const res = await rig.accessChanged(id);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { reviewed: 2, changed: 1, closed: 0 });
  await waitFor(() => announced.includes('viewer'), 'Bob to be told he is a viewer');
  await waitFor(() => bobsRole() === 'viewer', 'the owner to see Bob as a viewer in the presence list');

  // An edit made on Bob's socket (from a scratch replica, so Bob's own stays clean for later).
  bob.provider.ws!.send(craftedEdit(owner.doc, 'HACK ') as Uint8Array<ArrayBuffer>);
  await waitFor(() => bob.denials.length > 0, 'Bob\'s edit to be denied');
  typeInto(owner, '# owner\n');
  await waitFor(() => sourceOf(bob.doc, 0).includes('# owner'), 'Bob to still see the owner\'s edits');
  assert.equal(sourceOf(await rig.stored(id), 0), '# owner\nx = 1');

  await rig.storage.members.grant(id, bobId, 'editor');
  assert.equal((await rig.accessChanged(id)).status, 200);
  await waitFor(() => announced.at(-1) === 'editor', 'Bob to be told he is an editor again');
  (cellsOf(bob.doc).get(0).get('source') as Y.Text).insert(sourceOf(bob.doc, 0).length, '\ny = 2');
  await waitFor(() => sourceOf(owner.doc, 0).endsWith('\ny = 2'), 'the owner to see Bob\'s edit');
  assert.ok(sourceOf(await rig.stored(id), 0).endsWith('\ny = 2'));
  assert.equal(bob.provider.ws, socket, 'Bob kept the same socket throughout');
  assert.deepEqual(bob.closes, []);
  owner.destroy();
  bob.destroy();
});

test('a revoked share link disconnects its guests within a second, and their token no longer opens the notebook', async () => {
  const id = await rig.newNotebook(['print("hi")']);
  const ownerId = await newUser('Olga');
  await rig.storage.members.grant(id, ownerId, 'owner');
  const { link } = await rig.storage.shareLinks.create({ notebookId: id, role: 'viewer', expiresAt: null, createdBy: ownerId });
  const other = await rig.storage.shareLinks.create({ notebookId: id, role: 'viewer', expiresAt: null, createdBy: ownerId });
  const via = { kind: 'link', linkId: link.id } as const;
  const guests = [await rig.connect(id, { role: 'viewer', name: 'Grace', via }), await rig.connect(id, { role: 'viewer', name: 'Guido', via })];
  const stays = await rig.connect(id, { role: 'viewer', name: 'Stan', via: { kind: 'link', linkId: other.link.id } });
  const kernel = await rig.connect(id, { role: 'editor', name: 'Kernel' }); // a service: no access path

  assert.equal(await rig.storage.shareLinks.revoke(id, link.id), true);
  assert.equal((await rig.accessChanged(id)).status, 200);
  await waitFor(() => guests.every((g) => g.closes.length > 0), 'both guests to be disconnected', 1000);
  for (const guest of guests) assert.equal(guest.closes[0].code, closeCodes.accessWithdrawn);

  assert.deepEqual(stays.closes, []);
  assert.deepEqual(kernel.closes, []);
  const token = await rig.token(id, 'viewer', 'Grace', via);
  assert.equal(await upgradeStatus(`${rig.url}/${id}?token=${token}`), 403);
  stays.destroy();
  kernel.destroy();
  for (const guest of guests) guest.destroy();
});

test('a member whose role was removed is closed, and a token minted before the removal opens nothing', async () => {
  const id = await rig.newNotebook(['']);
  const bobId = await newUser('Bob');
  await rig.storage.members.grant(id, bobId, 'editor');
  const via = { kind: 'member', userId: bobId } as const;
  const token = await rig.token(id, 'editor', 'Bob', via);
  const bob = await rig.connect(id, { role: 'editor', name: 'Bob', via });
  await rig.storage.members.revoke(id, bobId);
  assert.deepEqual(await (await rig.accessChanged(id)).json(), { reviewed: 1, changed: 0, closed: 1 });
  await waitFor(() => bob.closes.length > 0, 'Bob to be disconnected', 1000);
  assert.equal(bob.closes[0].code, closeCodes.accessWithdrawn);
  assert.equal(await upgradeStatus(`${rig.url}/${id}?token=${token}`), 403);
  bob.destroy();
});

test('a token\'s role is not trusted over the database: a viewer member holding an editor token connects read-only', async () => {
  const id = await rig.newNotebook(['safe']);
  const vicId = await newUser('Vic');
  await rig.storage.members.grant(id, vicId, 'viewer');
  const vic = await rig.connect(id, { role: 'editor', name: 'Vic', via: { kind: 'member', userId: vicId } });
  typeInto(vic, 'HACK ');
  await waitFor(() => vic.denials.length > 0, 'the edit to be denied');
  assert.equal(sourceOf(await rig.stored(id), 0), 'safe');
  vic.destroy();
});

test('only a service token for that notebook may trigger an access review', async () => {
  const id = await rig.newNotebook();
  const otherId = await rig.newNotebook();
  assert.equal((await rig.accessChanged(id, null)).status, 401);
  assert.equal((await rig.accessChanged(id, await rig.token(id, 'owner'))).status, 401);
  assert.equal((await rig.accessChanged(id, await signServiceToken('access-changed', otherId))).status, 401);
  const expired = await signServiceToken('access-changed', id, -10);
  assert.equal((await rig.accessChanged(id, expired)).status, 401);
  const res = await rig.accessChanged(id);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { reviewed: 0, changed: 0, closed: 0 }, 'no room loaded: nothing to review');
});

test('a guest whose link expires while connected is disconnected by the periodic re-check, without any call from the app', async () => {
  const fast = await startRig({ accessRecheckMs: 50 });
  try {
    const id = await fast.newNotebook(['']);
    const prisma = fast.storage.prismaClient as PrismaClient;
    const owner = (await prisma.user.create({ data: { id: randomUUID(), name: 'O', email: `o-${randomUUID()}@example.test` } })).id;
    const { link } = await fast.storage.shareLinks.create({ notebookId: id, role: 'viewer', expiresAt: new Date(Date.now() + 3600_000), createdBy: owner });
    const guest = await fast.connect(id, { role: 'viewer', name: 'Grace', via: { kind: 'link', linkId: link.id } });
    // The link's expiry moves into the past (as time would), with nobody telling the server.
    await prisma.shareLink.update({ where: { id: link.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await waitFor(() => guest.closes.length > 0, 'the guest to be disconnected');
    assert.equal(guest.closes[0].code, closeCodes.accessWithdrawn);
  } finally {
    await fast.close();
  }
});

test('a notebook deleted while open: the app\'s notice closes every socket with 4404 at once', async () => {
  const id = await rig.newNotebook(['soon gone']);
  const ada = await rig.connect(id, { name: 'Ada' });
  const bob = await rig.connect(id, { name: 'Bob', role: 'viewer' });
  await rig.storage.notebooks.delete(id);
  const res = await rig.accessChanged(id);
  assert.equal(res.status, 200);
  await waitFor(() => ada.closes.length > 0 && bob.closes.length > 0, 'both sockets to be closed');
  assert.equal(ada.closes[0].code, closeCodes.notebookGone);
  assert.equal(bob.closes[0].code, closeCodes.notebookGone);
});
