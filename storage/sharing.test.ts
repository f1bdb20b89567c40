// Memberships and share links, proven against both real databases (a fresh
// SQLite file and a fresh PostgreSQL schema), through the public storage API.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import type { PrismaClient } from '../generated/prisma-sqlite/client';
import { NotFoundError, type Storage } from './index';
import { testBackends } from './test-databases';

for (const backend of testBackends('sharing')) {
  describe(`memberships and share links on ${backend.name}`, () => {
    let storage: Storage;
    /** Accounts are made by the auth library; the tests make them straight in its table. */
    const newUser = async (name: string) => {
      const prisma = storage.prismaClient as PrismaClient;
      const email = `${name.toLowerCase()}-${randomBytes(3).toString('hex')}@example.test`;
      return prisma.user.create({ data: { id: randomUUID(), name, email }, select: { id: true, name: true, email: true } });
    };
    before(async () => { storage = await backend.open(); });
    after(async () => {
      await storage?.close();
      await backend.cleanUp();
    });

    test('users are found by id and by email, ignoring case', async () => {
      const ada = await newUser('Ada');
      assert.deepEqual(await storage.users.get(ada.id), ada);
      assert.deepEqual(await storage.users.findByEmail(`  ${ada.email.toUpperCase()} `), ada);
      assert.equal(await storage.users.findByEmail('nobody@example.test'), null);
    });

    test('members: grant, change, list, notebooks of a user, revoke', async () => {
      const ada = await newUser('Ada');
      const bob = await newUser('Bob');
      const mine = await storage.notebooks.create({ title: 'Ada\'s' });
      const shared = await storage.notebooks.create({ title: 'Shared' });
      const other = await storage.notebooks.create({ title: 'Nobody\'s' });

      await storage.members.grant(mine.id, ada.id, 'owner');
      await storage.members.grant(shared.id, ada.id, 'owner');
      const granted = await storage.members.grant(shared.id, bob.id, 'viewer');
      assert.equal(granted.role, 'viewer');
      assert.equal(granted.email, bob.email);

      assert.equal(await storage.members.roleOf(shared.id, bob.id), 'viewer');
      assert.equal(await storage.members.roleOf(mine.id, bob.id), null);
      assert.equal(await storage.members.roleOf(other.id, ada.id), null);

      await storage.members.grant(shared.id, bob.id, 'editor');
      assert.equal(await storage.members.roleOf(shared.id, bob.id), 'editor');
      assert.deepEqual((await storage.members.list(shared.id)).map((m) => [m.name, m.role]), [['Ada', 'owner'], ['Bob', 'editor']]);

      const adas = await storage.members.notebooksOf(ada.id);
      assert.deepEqual(new Set(adas.map((n) => n.id)), new Set([mine.id, shared.id]));
      assert.ok(adas.every((n) => n.role === 'owner' && typeof n.title === 'string'));
      assert.deepEqual((await storage.members.notebooksOf(bob.id)).map((n) => [n.id, n.role]), [[shared.id, 'editor']]);

      assert.equal(await storage.members.revoke(shared.id, bob.id), true);
      assert.equal(await storage.members.revoke(shared.id, bob.id), false);
      assert.equal(await storage.members.roleOf(shared.id, bob.id), null);
      assert.deepEqual(await storage.members.notebooksOf(bob.id), []);
    });

    test('members: a role that is not one refuses, an unknown notebook throws NotFoundError, deleting the notebook drops its members', async () => {
      const ada = await newUser('Ada');
      const nb = await storage.notebooks.create({ title: 'Short-lived' });
      await assert.rejects(storage.members.grant(nb.id, ada.id, 'admin' as never), /not a notebook role/);
      await assert.rejects(storage.members.grant('no-such-notebook', ada.id, 'viewer'), NotFoundError);
      await storage.members.grant(nb.id, ada.id, 'editor');
      await storage.notebooks.delete(nb.id);
      assert.equal(await storage.members.roleOf(nb.id, ada.id), null);
      assert.deepEqual(await storage.members.notebooksOf(ada.id), []);
    });

    test('share links: the secret resolves while live; only its hash is stored; revoke and expiry end it', async () => {
      const ada = await newUser('Ada');
      const nb = await storage.notebooks.create({ title: 'Workshop' });
      const { link, secret } = await storage.shareLinks.create({ notebookId: nb.id, role: 'viewer', expiresAt: null, createdBy: ada.id });
      assert.match(secret, /^[A-Za-z0-9_-]{43}$/);
      assert.deepEqual(await storage.shareLinks.resolve(secret), link);
      assert.equal(await storage.shareLinks.activeRole(nb.id, link.id), 'viewer');
      assert.equal(await storage.shareLinks.activeRole('another-notebook', link.id), null);

      const prisma = storage.prismaClient as PrismaClient;
      const row = await prisma.shareLink.findUnique({ where: { id: link.id } });
      assert.ok(row && !JSON.stringify(row).includes(secret), 'the secret itself is not stored');

      assert.equal(await storage.shareLinks.resolve(secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A')), null);
      assert.equal(await storage.shareLinks.resolve('short'), null);

      assert.equal(await storage.shareLinks.setRole(nb.id, link.id, 'editor'), true);
      assert.equal((await storage.shareLinks.resolve(secret))?.role, 'editor');
      assert.equal(await storage.shareLinks.setRole('another-notebook', link.id, 'owner'), false);

      assert.equal(await storage.shareLinks.revoke('another-notebook', link.id), false);
      assert.equal(await storage.shareLinks.revoke(nb.id, link.id), true);
      assert.equal(await storage.shareLinks.revoke(nb.id, link.id), false);
      assert.equal(await storage.shareLinks.resolve(secret), null);
      assert.equal(await storage.shareLinks.activeRole(nb.id, link.id), null);
      assert.ok((await storage.shareLinks.get(link.id))?.revokedAt instanceof Date);

      const soon = new Date(Date.now() + 60_000);
      const timed = await storage.shareLinks.create({ notebookId: nb.id, role: 'editor', expiresAt: soon, createdBy: ada.id });
      assert.equal((await storage.shareLinks.resolve(timed.secret))?.id, timed.link.id);
      assert.equal(await storage.shareLinks.resolve(timed.secret, new Date(soon.getTime() + 1)), null);
      assert.equal(await storage.shareLinks.activeRole(nb.id, timed.link.id, new Date(soon.getTime() + 1)), null);

      assert.deepEqual(new Set((await storage.shareLinks.list(nb.id)).map((l) => l.id)), new Set([link.id, timed.link.id]));
      await assert.rejects(storage.shareLinks.create({ notebookId: 'no-such-notebook', role: 'viewer', expiresAt: null, createdBy: ada.id }), NotFoundError);
    });

    test('guests are bound to their link and go with it', async () => {
      const ada = await newUser('Ada');
      const nb = await storage.notebooks.create({ title: 'Class' });
      const { link } = await storage.shareLinks.create({ notebookId: nb.id, role: 'viewer', expiresAt: null, createdBy: ada.id });
      const guest = await storage.shareLinks.addGuest(link.id, 'Grace');
      assert.equal(guest.shareLinkId, link.id);
      assert.deepEqual(await storage.shareLinks.getGuest(guest.id), guest);
      assert.deepEqual((await storage.shareLinks.guestsOf(link.id)).map((g) => g.name), ['Grace']);
      await storage.notebooks.delete(nb.id);
      assert.equal(await storage.shareLinks.getGuest(guest.id), null);
      assert.equal(await storage.shareLinks.get(link.id), null);
    });
  });
}
