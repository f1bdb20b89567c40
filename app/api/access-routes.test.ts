// Who may use which notebook route, over the real route handlers (a Request in,
// a Response out), real accounts and a real SQLite database: nobody reaches a
// notebook they have no role on by guessing its id, roles are enforced on the
// server, guests' access ends with their link, and cross-site posts are refused.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { verifyNotebookToken } from '../../auth/notebook-token';
import { createNotebook } from '../../library/notebook-library';
import type { Storage } from '../../storage';
import { guestCookieName, signGuestPass } from '../server/guest-pass';
import { appUrl, get, migrateAndOpenAppStorage, routeParams, TestPeople, setUpTemporaryDataDir } from './route-test-kit';
import { POST as importRoute } from './notebooks/import/route';
import { GET as exportRoute } from './notebooks/[id]/export/route';
import { POST as replaceRoute } from './notebooks/[id]/replace/route';
import { GET as sessionRoute } from './notebooks/[id]/session/route';

const dataDir = setUpTemporaryDataDir('access');
process.env.COLLAB_PORT = '1'; // nothing here may reach the collab server

let storage: Storage;
const people = new TestPeople();
const { cookieOf, idOf } = people;
let notebookId = '';

before(async () => {
  storage = await migrateAndOpenAppStorage();
  await people.signUp(storage, ['alice', 'mallory', 'vera']);
  notebookId = (await createNotebook(storage, { title: 'Alice\'s secrets' })).id;
  await storage.members.grant(notebookId, idOf.alice, 'owner');
  await storage.members.grant(notebookId, idOf.vera, 'viewer');
});
after(async () => {
  await storage.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const params = (id: string) => routeParams({ id });

function upload(path: string, cookie: string, extra: Record<string, string> = {}): Request {
  const form = new FormData();
  form.append('file', new File(['# %%\nprint(1)\n'], 'x.py'));
  return new Request(appUrl(path), { method: 'POST', body: form, headers: { cookie, host: 'localhost:3000', ...extra } });
}

test('by guessing an id, a signed-in stranger can neither open (token), export nor replace a notebook: 404 as for no notebook at all', async () => {
  const exportOf = (id: string) => exportRoute(get(`/api/notebooks/${id}/export`, cookieOf.mallory), params(id));
  const missing = await exportOf('no-such-notebook');
  const guessed = await exportOf(notebookId);
  assert.equal(guessed.status, 404);
  assert.equal(missing.status, 404);
  assert.doesNotMatch(await guessed.text(), /secrets/);

  const session = await sessionRoute(get(`/api/notebooks/${notebookId}/session`, cookieOf.mallory), params(notebookId));
  const noSession = await sessionRoute(get('/api/notebooks/no-such-notebook/session', cookieOf.mallory), params('no-such-notebook'));
  assert.equal(session.status, 404);
  assert.equal(noSession.status, 404);
  const [sessionBody, noSessionBody] = [await session.json(), await noSession.json()];
  assert.equal(sessionBody.token, undefined, 'no notebook token, so no socket and no kernel');
  assert.deepEqual(sessionBody, { ...noSessionBody, error: noSessionBody.error.replace('no-such-notebook', notebookId) }, 'the same answer as for no notebook at all');

  assert.equal((await replaceRoute(upload(`/api/notebooks/${notebookId}/replace`, cookieOf.mallory), params(notebookId))).status, 404);
  assert.deepEqual((await storage.members.notebooksOf(idOf.mallory)).map((n) => n.id), [], 'and it is not in their list');
});

test('nobody signed in gets 401 everywhere', async () => {
  assert.equal((await exportRoute(get(`/api/notebooks/${notebookId}/export`), params(notebookId))).status, 401);
  assert.equal((await sessionRoute(get(`/api/notebooks/${notebookId}/session`), params(notebookId))).status, 401);
  assert.equal((await replaceRoute(upload(`/api/notebooks/${notebookId}/replace`, ''), params(notebookId))).status, 401);
  assert.equal((await importRoute(upload('/api/notebooks/import', ''))).status, 401);
});

test('a viewer may export and gets a viewer token tied to the membership; replacing is refused with 403', async () => {
  assert.equal((await exportRoute(get(`/api/notebooks/${notebookId}/export`, cookieOf.vera), params(notebookId))).status, 200);
  const res = await sessionRoute(get(`/api/notebooks/${notebookId}/session`, cookieOf.vera), params(notebookId));
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.role, 'viewer');
  const grant = await verifyNotebookToken(body.token);
  assert.deepEqual([grant.notebookId, grant.role, grant.via], [notebookId, 'viewer', { kind: 'member', userId: idOf.vera }]);
  assert.equal((await replaceRoute(upload(`/api/notebooks/${notebookId}/replace`, cookieOf.vera), params(notebookId))).status, 403);
});

test('the owner\'s token says owner; importing makes the importer the owner of the new notebook', async () => {
  const res = await sessionRoute(get(`/api/notebooks/${notebookId}/session`, cookieOf.alice), params(notebookId));
  assert.equal((await res.json()).role, 'owner');
  const imported = await importRoute(upload('/api/notebooks/import', cookieOf.mallory, { origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin' }));
  assert.equal(imported.status, 200);
  const [{ id }] = (await imported.json()).files;
  assert.equal(await storage.members.roleOf(id, idOf.mallory), 'owner');
  assert.equal(await storage.members.roleOf(id, idOf.alice), null);
});

test('a guest holds the link\'s role until the link is revoked; a pass for another notebook opens nothing', async () => {
  const { link } = await storage.shareLinks.create({ notebookId, role: 'viewer', expiresAt: null, createdBy: idOf.alice });
  const guest = await storage.shareLinks.addGuest(link.id, 'Grace');
  const pass = `${guestCookieName(notebookId)}=${await signGuestPass(guest.id, notebookId)}`;
  const res = await sessionRoute(get(`/api/notebooks/${notebookId}/session`, pass), params(notebookId));
  assert.equal(res.status, 200);
  const grant = await verifyNotebookToken((await res.json()).token);
  assert.deepEqual([grant.role, grant.name, grant.via], ['viewer', 'Grace', { kind: 'link', linkId: link.id }]);

  const other = (await createNotebook(storage, { title: 'other' })).id;
  const misplaced = `${guestCookieName(other)}=${await signGuestPass(guest.id, notebookId)}`;
  assert.equal((await exportRoute(get(`/api/notebooks/${other}/export`, misplaced), params(other))).status, 401);

  await storage.shareLinks.revoke(notebookId, link.id);
  assert.equal((await sessionRoute(get(`/api/notebooks/${notebookId}/session`, pass), params(notebookId))).status, 401);
  assert.equal((await exportRoute(get(`/api/notebooks/${notebookId}/export`, pass), params(notebookId))).status, 401);
});

test('cross-site posts to state-changing routes are refused before anything changes', async () => {
  const before = (await storage.documents.load(notebookId)).epoch;
  const attempts: Record<string, string>[] = [
    { origin: 'https://evil.example' },
    { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    { 'sec-fetch-site': 'cross-site' },
    { 'sec-fetch-site': 'same-site', origin: 'http://sub.localhost:3000' },
    { origin: 'null' },
  ];
  for (const headers of attempts) {
    const replace = await replaceRoute(upload(`/api/notebooks/${notebookId}/replace`, cookieOf.alice, headers), params(notebookId));
    assert.equal(replace.status, 403, JSON.stringify(headers));
    assert.match((await replace.json()).error, /another site/);
    assert.equal((await importRoute(upload('/api/notebooks/import', cookieOf.alice, headers))).status, 403, JSON.stringify(headers));
  }
  assert.equal((await storage.documents.load(notebookId)).epoch, before, 'the document was not replaced');
  assert.deepEqual((await storage.members.notebooksOf(idOf.alice)).map((n) => n.id), [notebookId], 'nothing was imported');
});
