// Workshops and guests' own forks, proven against both real databases (a fresh
// SQLite file and a fresh PostgreSQL schema) through the public storage API:
// one live workshop per notebook, ending revokes both links at once, a guest's
// fork is theirs (and nobody else's) independently of the links, until it expires.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import type { PrismaClient } from '../generated/prisma-sqlite/client';
import { currentRole } from '../auth/current-role';
import { NotFoundError, WorkshopLiveError, type Storage } from './index';
import { testBackends } from './test-databases';

const DAY = 24 * 3600_000;

/** A fresh link id and secret, as the app makes them. */
const newLink = () => ({ id: randomUUID(), secret: randomBytes(32).toString('base64url') });

for (const backend of testBackends('workshops')) {
  describe(`workshops and guests' forks on ${backend.name}`, () => {
    let storage: Storage;
    let ownerId: string;
    before(async () => {
      storage = await backend.open();
      const prisma = storage.prismaClient as PrismaClient;
      ownerId = (await prisma.user.create({ data: { id: randomUUID(), name: 'Olga', email: `olga-${randomUUID()}@example.test` } })).id;
    });
    after(async () => {
      await storage?.close();
      await backend.cleanUp();
    });

    async function startOn(notebookId: string, attendeeRole: 'viewer' | 'editor' = 'viewer') {
      const attendeeLink = newLink();
      const presenterLink = newLink();
      const workshop = await storage.workshops.start({ notebookId, startedBy: ownerId, attendeeRole, attendeeLink, presenterLink });
      return { workshop, attendeeLink, presenterLink };
    }

    test('starting makes an attendee link with the chosen role and an editor presenter link; the secrets resolve to them', async () => {
      const nb = await storage.notebooks.create({ title: 'Class' });
      const { workshop, attendeeLink, presenterLink } = await startOn(nb.id, 'editor');
      assert.deepEqual([workshop.notebookId, workshop.attendeeLinkId, workshop.presenterLinkId, workshop.startedBy], [nb.id, attendeeLink.id, presenterLink.id, ownerId]);
      assert.equal(workshop.endedAt, null);
      assert.equal((await storage.shareLinks.resolve(attendeeLink.secret))?.id, attendeeLink.id);
      assert.equal((await storage.shareLinks.resolve(presenterLink.secret))?.id, presenterLink.id);
      assert.equal(await storage.shareLinks.activeRole(nb.id, attendeeLink.id), 'editor');
      assert.equal(await storage.shareLinks.activeRole(nb.id, presenterLink.id), 'editor');
      assert.deepEqual(await storage.workshops.live(nb.id), workshop);
      assert.deepEqual(await storage.workshops.get(workshop.id), workshop);
      const prisma = storage.prismaClient as PrismaClient;
      const rows = await prisma.shareLink.findMany({ where: { notebookId: nb.id } });
      assert.ok(rows.every((row) => !JSON.stringify(row).includes(attendeeLink.secret) && !JSON.stringify(row).includes(presenterLink.secret)), 'only hashes are stored');
    });

    test('only one live workshop per notebook, even when two starts race; bad input is refused and leaves nothing behind', async () => {
      const nb = await storage.notebooks.create({ title: 'Busy' });
      const results = await Promise.allSettled([startOn(nb.id), startOn(nb.id), startOn(nb.id)]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, 'exactly one start wins');
      for (const r of results) if (r.status === 'rejected') assert.ok(r.reason instanceof WorkshopLiveError, String(r.reason));
      assert.equal((await storage.shareLinks.list(nb.id)).length, 2, 'the losers made no links');
      await assert.rejects(startOn(nb.id), WorkshopLiveError);

      await assert.rejects(startOn('no-such-notebook'), NotFoundError);
      const other = await storage.notebooks.create({ title: 'Other' });
      await assert.rejects(
        storage.workshops.start({ notebookId: other.id, startedBy: ownerId, attendeeRole: 'owner' as never, attendeeLink: newLink(), presenterLink: newLink() }),
        /viewer, commenter or editor/,
      );
      assert.equal(await storage.workshops.live(other.id), null);
      assert.deepEqual(await storage.shareLinks.list(other.id), []);
    });

    test('ending revokes both links at once, records the end and the forks\' expiry, and allows a new workshop', async () => {
      const nb = await storage.notebooks.create({ title: 'Ends' });
      const { workshop, attendeeLink, presenterLink } = await startOn(nb.id);
      const now = new Date();
      const ended = await storage.workshops.end(nb.id, { forkRetentionMs: 30 * DAY, now });
      assert.equal(ended?.id, workshop.id);
      assert.equal(ended?.endedAt?.getTime(), now.getTime());
      assert.equal(ended?.forksExpireAt?.getTime(), now.getTime() + 30 * DAY);
      for (const link of [attendeeLink, presenterLink]) {
        assert.equal(await storage.shareLinks.resolve(link.secret), null);
        assert.equal(await storage.shareLinks.activeRole(nb.id, link.id), null);
      }
      assert.equal(await storage.workshops.live(nb.id), null);
      assert.equal((await storage.workshops.get(workshop.id))?.endedAt?.getTime(), now.getTime());
      assert.equal(await storage.workshops.end(nb.id, { forkRetentionMs: DAY }), null, 'nothing left to end');

      const next = await startOn(nb.id);
      assert.notEqual(next.workshop.id, workshop.id);
      assert.deepEqual((await storage.workshops.list(nb.id)).map((w) => w.id), [next.workshop.id, workshop.id]);
    });

    test('a guest\'s fork is theirs alone, survives the end of the workshop, and expires after the retention', async () => {
      const nb = await storage.notebooks.create({ title: 'Lesson' });
      const { workshop, attendeeLink } = await startOn(nb.id);
      const grace = await storage.shareLinks.addGuest(attendeeLink.id, 'Grace');
      const guido = await storage.shareLinks.addGuest(attendeeLink.id, 'Guido');
      const fork = await storage.notebooks.create({
        title: 'Lesson (fork)', forkedFrom: { notebookId: nb.id, versionId: null }, workshopId: workshop.id, guestOwner: { guestId: grace.id, name: 'Grace' },
      });
      const accountFork = await storage.notebooks.create({ title: 'Lesson (fork)', forkedFrom: { notebookId: nb.id, versionId: null }, workshopId: workshop.id });

      assert.equal(await storage.notebooks.guestOwnerRole(fork.id, grace.id), 'owner');
      assert.equal(await storage.notebooks.guestOwnerRole(fork.id, guido.id), null, 'another guest of the same link gets nothing');
      assert.equal(await storage.notebooks.guestOwnerRole(nb.id, grace.id), null, 'and the guest owns nothing else');
      assert.equal(await storage.notebooks.guestOwnerRole(accountFork.id, grace.id), null);
      assert.deepEqual(await storage.members.list(fork.id), [], 'a guest\'s fork has no members');
      assert.deepEqual(await storage.notebooks.guestOwnership(fork.id), { guestId: grace.id, name: 'Grace', workshopId: workshop.id, expiresAt: null });
      assert.equal(await storage.notebooks.guestOwnership(accountFork.id), null);
      assert.deepEqual(await storage.notebooks.originOf(fork.id), { notebookId: nb.id, versionId: null });

      // The grant the servers re-check: owner through the fork, nothing through the (soon revoked) link.
      const ownerGrant = { notebookId: fork.id, role: 'owner' as const, name: 'Grace', userId: `guest:${grace.id}`, via: { kind: 'guest-owner' as const, guestId: grace.id } };
      const guidoGrant = { ...ownerGrant, name: 'Guido', via: { kind: 'guest-owner' as const, guestId: guido.id } };
      assert.equal(await currentRole(storage, ownerGrant), 'owner');
      assert.equal(await currentRole(storage, guidoGrant), null);

      const endedAt = new Date();
      await storage.workshops.end(nb.id, { forkRetentionMs: 2 * DAY, now: endedAt });
      assert.equal(await storage.shareLinks.activeRole(nb.id, attendeeLink.id), null, 'the link is gone…');
      assert.equal(await currentRole(storage, ownerGrant), 'owner', '…but the fork is still the guest\'s');
      const expiresAt = new Date(endedAt.getTime() + 2 * DAY);
      assert.equal((await storage.notebooks.guestOwnership(fork.id))?.expiresAt?.getTime(), expiresAt.getTime());
      assert.equal((await storage.notebooks.guestOwnership(accountFork.id)), null, 'an account\'s fork never expires');

      assert.equal(await storage.notebooks.guestOwnerRole(fork.id, grace.id, new Date(expiresAt.getTime() - 1)), 'owner');
      assert.equal(await storage.notebooks.guestOwnerRole(fork.id, grace.id, expiresAt), null, 'expired: no access, swept or not');
      assert.deepEqual(await storage.notebooks.expired(new Date(expiresAt.getTime() - 1)), []);
      assert.ok((await storage.notebooks.expired(expiresAt)).includes(fork.id));
      assert.ok(!(await storage.notebooks.expired(new Date(Date.now() + 400 * DAY))).includes(accountFork.id));
    });

    test('a person\'s copies from a workshop: the guest\'s by guest, the account\'s by ownership, newest first, no one else\'s', async () => {
      const nb = await storage.notebooks.create({ title: 'Lesson' });
      const { workshop, attendeeLink } = await startOn(nb.id);
      const other = await startOn((await storage.notebooks.create({ title: 'Other lesson' })).id);
      const grace = await storage.shareLinks.addGuest(attendeeLink.id, 'Grace');
      const fork = (input: { workshopId: string; guestId?: string }) => storage.notebooks.create({
        title: 'Lesson (fork)', forkedFrom: { notebookId: nb.id, versionId: null }, workshopId: input.workshopId,
        guestOwner: input.guestId ? { guestId: input.guestId, name: 'Grace' } : undefined,
      });
      const first = await fork({ workshopId: workshop.id, guestId: grace.id });
      const second = await fork({ workshopId: workshop.id, guestId: grace.id });
      await fork({ workshopId: other.workshop.id, guestId: grace.id }); // another workshop's
      const olgas = await fork({ workshopId: workshop.id });
      await storage.members.grant(olgas.id, ownerId, 'owner');
      const shared = await fork({ workshopId: workshop.id });
      await storage.members.grant(shared.id, ownerId, 'viewer'); // seen, not owned

      const graces = (await storage.notebooks.workshopForks(workshop.id, { guestId: grace.id })).map((n) => n.id);
      assert.deepEqual(new Set(graces), new Set([first.id, second.id]));
      if (second.createdAt > first.createdAt) assert.deepEqual(graces, [second.id, first.id], 'newest first');
      assert.deepEqual((await storage.notebooks.workshopForks(workshop.id, { userId: ownerId })).map((n) => n.id), [olgas.id]);
      assert.deepEqual(await storage.notebooks.workshopForks(workshop.id, { guestId: randomUUID() }), []);
    });

    test('a guest\'s fork made while the workshop was ending gets the same expiry; while live, settling does nothing', async () => {
      const nb = await storage.notebooks.create({ title: 'Race' });
      const { workshop, attendeeLink } = await startOn(nb.id);
      const guest = await storage.shareLinks.addGuest(attendeeLink.id, 'Late');
      const early = await storage.notebooks.create({ title: 'early', workshopId: workshop.id, guestOwner: { guestId: guest.id, name: 'Late' } });
      await storage.workshops.settleForkExpiry(workshop.id);
      assert.equal((await storage.notebooks.guestOwnership(early.id))?.expiresAt, null);

      const ended = await storage.workshops.end(nb.id, { forkRetentionMs: DAY });
      const late = await storage.notebooks.create({ title: 'late', workshopId: workshop.id, guestOwner: { guestId: guest.id, name: 'Late' } });
      assert.equal((await storage.notebooks.guestOwnership(late.id))?.expiresAt, null);
      await storage.workshops.settleForkExpiry(workshop.id);
      for (const fork of [early, late]) {
        assert.equal((await storage.notebooks.guestOwnership(fork.id))?.expiresAt?.getTime(), ended?.forksExpireAt?.getTime());
      }
    });

    test('deleting the source notebook takes its workshops and links, not the guests\' forks', async () => {
      const nb = await storage.notebooks.create({ title: 'Source' });
      const { workshop, attendeeLink } = await startOn(nb.id);
      const guest = await storage.shareLinks.addGuest(attendeeLink.id, 'Grace');
      const fork = await storage.notebooks.create({ title: 'mine', workshopId: workshop.id, guestOwner: { guestId: guest.id, name: 'Grace' } });
      await storage.notebooks.delete(nb.id);
      assert.equal(await storage.workshops.get(workshop.id), null);
      assert.equal(await storage.shareLinks.getGuest(guest.id), null);
      assert.equal(await storage.notebooks.guestOwnerRole(fork.id, guest.id), 'owner');
      assert.equal((await storage.notebooks.guestOwnership(fork.id))?.name, 'Grace');
    });
  });
}
