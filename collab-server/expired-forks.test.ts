// A workshop guest's own fork on the collab server, over real sockets and a
// real SQLite database: the guest owner connects and edits through their
// guest-owner grant; another guest's grant opens nothing; ending the workshop
// disconnects the link's guests while the fork's owner stays; once the fork's
// retention has passed, the sweep closes it (4403, so the page asks the app
// and learns the copy expired) and deletes it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import type { PrismaClient } from '../generated/prisma-sqlite/client';
import { insertCell } from '../notebook-model';
import { closeCodes } from '../notebook-model/service-protocol';
import { startRig, upgradeStatus, waitFor, sourceOf, type Rig } from './test-rig';

let rig: Rig;
before(async () => { rig = await startRig({ expiredForkSweepMs: 0 }); });
after(async () => { await rig.close(); });

const newLink = () => ({ id: randomUUID(), secret: randomBytes(32).toString('base64url') });

/** A notebook with a live workshop, a guest on its attendee link, and that guest's fork. */
async function workshopWithGuestFork() {
  const prisma = rig.storage.prismaClient as PrismaClient;
  const owner = (await prisma.user.create({ data: { id: randomUUID(), name: 'Olga', email: `olga-${randomUUID()}@example.test` } })).id;
  const source = await rig.newNotebook(['print("lesson")']);
  await rig.storage.members.grant(source, owner, 'owner');
  const attendeeLink = newLink();
  const workshop = await rig.storage.workshops.start({ notebookId: source, startedBy: owner, attendeeRole: 'viewer', attendeeLink, presenterLink: newLink() });
  const grace = await rig.storage.shareLinks.addGuest(attendeeLink.id, 'Grace');
  const guido = await rig.storage.shareLinks.addGuest(attendeeLink.id, 'Guido');
  const fork = (await rig.storage.notebooks.create({ title: 'fork', workshopId: workshop.id, guestOwner: { guestId: grace.id, name: 'Grace' } })).id;
  // (The fork's document is empty here; the app copies the source's content into it.)
  return { source, fork, attendeeLinkId: attendeeLink.id, grace: grace.id, guido: guido.id };
}

test('the guest owner edits their fork; another guest\'s grant is refused; ending the workshop disconnects the link\'s guests, not the fork\'s owner', async () => {
  const { source, fork, attendeeLinkId, grace, guido } = await workshopWithGuestFork();
  const ownerVia = { kind: 'guest-owner', guestId: grace } as const;
  const owner = await rig.connect(fork, { role: 'owner', name: 'Grace', via: ownerVia });
  const attendee = await rig.connect(source, { role: 'viewer', name: 'Grace', via: { kind: 'link', linkId: attendeeLinkId } });

  insertCell(owner.doc, 0, { id: 'mine', cell_type: 'code', source: 'my_try = 1' });
  await waitFor(async () => sourceOf(await rig.stored(fork), 0) === 'my_try = 1', 'the guest owner\'s edit to be stored');

  // Guido holds a grant naming himself as the owner: the database says no.
  const forged = await rig.token(fork, 'owner', 'Guido', { kind: 'guest-owner', guestId: guido });
  assert.equal(await upgradeStatus(`${rig.url}/${fork}?token=${forged}`), 403);
  // Nor does Grace's grant open the workshop notebook as its owner.
  assert.equal(await upgradeStatus(`${rig.url}/${source}?token=${await rig.token(source, 'owner', 'Grace', ownerVia)}`), 403);

  await rig.storage.workshops.end(source, { forkRetentionMs: 24 * 3600_000 });
  assert.equal((await rig.accessChanged(source)).status, 200);
  assert.equal((await rig.accessChanged(fork)).status, 200);
  await waitFor(() => attendee.closes.length > 0, 'the attendee to be disconnected', 2000);
  assert.equal(attendee.closes[0].code, closeCodes.accessWithdrawn);
  assert.deepEqual(owner.closes, [], 'the fork stays open for its owner');
  assert.equal(await upgradeStatus(`${rig.url}/${fork}?token=${await rig.token(fork, 'owner', 'Grace', ownerVia)}`), 101);
  owner.destroy();
  attendee.destroy();
});

test('an expired fork is closed with 4403 and deleted by the sweep; a fork not yet expired and other notebooks are kept', async () => {
  const expiring = await workshopWithGuestFork();
  const keeping = await workshopWithGuestFork();
  const owner = await rig.connect(expiring.fork, { role: 'owner', name: 'Grace', via: { kind: 'guest-owner', guestId: expiring.grace } });
  // Ended long ago with a short retention: already expired.
  await rig.storage.workshops.end(expiring.source, { forkRetentionMs: 1000, now: new Date(Date.now() - 60_000) });
  await rig.storage.workshops.end(keeping.source, { forkRetentionMs: 24 * 3600_000 });

  const deleted = await rig.server.sweepExpiredForks();
  assert.deepEqual(deleted, [expiring.fork]);
  await waitFor(() => owner.closes.length > 0, 'the open fork to be closed');
  assert.equal(owner.closes[0].code, closeCodes.accessWithdrawn, 'withdrawn first, so the page asks the app why');
  assert.equal(await rig.storage.notebooks.get(expiring.fork), null);
  assert.ok(await rig.storage.notebooks.get(keeping.fork));
  assert.ok(await rig.storage.notebooks.get(expiring.source), 'the workshop notebook itself never expires');
  assert.deepEqual(await rig.server.sweepExpiredForks(), [], 'nothing left to sweep');
  owner.destroy();
});

test('the server sweeps expired forks when it starts, without being asked', async () => {
  const { source, fork } = await workshopWithGuestFork();
  await rig.storage.workshops.end(source, { forkRetentionMs: 1000, now: new Date(Date.now() - 60_000) });
  assert.ok(await rig.storage.notebooks.get(fork));
  await rig.restart();
  await waitFor(async () => (await rig.storage.notebooks.get(fork)) === null, 'the expired fork to be deleted at start');
});
