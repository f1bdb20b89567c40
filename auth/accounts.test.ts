// Accounts through the real auth library on both real databases: sign-up hashes
// the password with scrypt and opens a session held in an httpOnly cookie,
// sign-in checks the password, sign-out ends the session.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '../generated/prisma-sqlite/client';
import type { Storage } from '../storage';
import { testBackends } from '../storage/test-databases';
import { createAccounts, type Accounts } from './accounts';

process.env.CELLMATE_SECRET ??= 'accounts-test-secret';

/** The cookies a response sets, as a Cookie request header. */
function cookieHeader(headers: Headers): string {
  return headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}

for (const target of testBackends('accounts')) {
  describe(`accounts on ${target.name}`, () => {
    let storage: Storage;
    let accounts: Accounts;
    before(async () => {
      storage = await target.open();
      accounts = createAccounts(storage, { baseURL: 'http://localhost:3999' });
    });
    after(async () => {
      await storage.close();
      await target.cleanUp();
    });

    test('sign up, then the session cookie names the user; the password is stored only as an scrypt hash', async () => {
      const email = `Ada-${randomBytes(3).toString('hex')}@Example.test`;
      const res = await accounts.api.signUpEmail({ body: { email, password: 'correct horse', name: 'Ada' }, asResponse: true });
      assert.equal(res.status, 200);
      const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('cellmate.session_token='));
      assert.ok(setCookie, 'a session cookie is set');
      assert.match(setCookie, /HttpOnly/i);
      assert.match(setCookie, /SameSite=Lax/i);
      assert.doesNotMatch(setCookie, /Secure/i, 'plain http on this machine: not Secure');

      const session = await accounts.api.getSession({ headers: new Headers({ cookie: cookieHeader(res.headers) }) });
      assert.equal(session?.user.email, email.toLowerCase());
      assert.equal((await storage.users.findByEmail(email))?.id, session?.user.id);

      const prisma = storage.prismaClient as PrismaClient;
      const account = await prisma.account.findFirst({ where: { userId: session!.user.id } });
      assert.ok(account?.password && !account.password.includes('correct horse'));
      assert.match(account.password, /^[0-9a-f]{32}:[0-9a-f]{128}$/, 'salt:key, the library\'s scrypt format');
    });

    test('sign in checks the password; sign out ends the session', async () => {
      const email = `bob-${randomBytes(3).toString('hex')}@example.test`;
      await accounts.api.signUpEmail({ body: { email, password: 'hunter2hunter2', name: 'Bob' } });
      await assert.rejects(accounts.api.signInEmail({ body: { email, password: 'wrong password' } }), /Invalid email or password/i);
      const res = await accounts.api.signInEmail({ body: { email, password: 'hunter2hunter2' }, asResponse: true });
      assert.equal(res.status, 200);
      const headers = new Headers({ cookie: cookieHeader(res.headers) });
      assert.equal((await accounts.api.getSession({ headers }))?.user.email, email);
      await accounts.api.signOut({ headers });
      assert.equal(await accounts.api.getSession({ headers }), null);
    });

    test('over https the session cookie is Secure', async () => {
      const secure = createAccounts(storage, { baseURL: 'https://cellmate.example.test' });
      const res = await secure.api.signUpEmail({ body: { email: `s-${randomBytes(3).toString('hex')}@example.test`, password: 'long enough pw', name: 'S' }, asResponse: true });
      const cookie = res.headers.getSetCookie().find((c) => c.includes('session_token='));
      assert.match(cookie ?? '', /;\s*Secure/i);
      assert.match(cookie ?? '', /HttpOnly/i);
    });
  });
}
