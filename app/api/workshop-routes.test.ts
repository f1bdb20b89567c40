// The workshop lifecycle over the real route handlers (a Request in, a
// Response out), real accounts, a real SQLite database and a real collab
// server: only a signed-in owner starts and ends a workshop; attendees make
// their own copies ("Try it myself"), a guest's copy being theirs alone and
// independent of the workshop's links; ending revokes both links at once and
// disconnects their guests; an expired copy says so, then is swept away.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { WebSocket as NodeWebSocket } from 'ws';
import type { PrismaClient } from '../../generated/prisma-sqlite/client';
import { verifyNotebookToken } from '../../auth/notebook-token';
import { startCollabServer, type CollabServer } from '../../collab-server';
import { waitFor } from '../../collab-server/test-rig';
import { createNotebook } from '../../library/notebook-library';
import { saveQuickVersion } from '../../library/versions';
import type { Storage } from '../../storage';
import { guestCookieName, signGuestPass } from '../server/guest-pass';
import { WORKSHOP_COPIES_PER_PERSON } from '../server/workshop-forks';
import { appRequest, get, migrateAndOpenAppStorage, routeParams, sameSiteHeaders, TestPeople, setUpTemporaryDataDir } from './route-test-kit';
import { GET as exportRoute } from './notebooks/[id]/export/route';
import { GET as sessionRoute } from './notebooks/[id]/session/route';
import { DELETE as endRoute, GET as workshopRoute, POST as startRoute } from './notebooks/[id]/workshop/route';
import { GET as copiesRoute, POST as forkRoute } from './notebooks/[id]/workshop/fork/route';
import { POST as publishRoute } from './versions/[versionId]/publish/route';

const dataDir = setUpTemporaryDataDir('workshop-routes');
process.env.WORKSHOP_FORK_RETENTION_DAYS = '2';
const DAY = 24 * 3600_000;

let storage: Storage;
let collab: CollabServer;
const people = new TestPeople();
const { cookieOf, idOf } = people;
const sockets: WebsocketProvider[] = [];

before(async () => {
  storage = await migrateAndOpenAppStorage();
  // The app tells this collab server about access changes; its own periodic
  // re-check is far off, so a disconnection seen here is the app's doing.
  collab = await startCollabServer({ storage, port: 0, host: '127.0.0.1', accessRecheckMs: 3600_000, expiredForkSweepMs: 0 });
  process.env.CELLMATE_COLLAB_INTERNAL_URL = `http://127.0.0.1:${collab.port}`;
  await people.signUp(storage, ['alice', 'mallory', 'vera', 'eddie']);
});
after(async () => {
  for (const socket of sockets) {
    socket.destroy();
    socket.awareness.destroy(); // its presence timer would keep the process alive
  }
  await collab.close();
  await storage.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const params = (id: string) => routeParams({ id });

function send(method: 'POST' | 'DELETE', path: string, cookie: string, body?: unknown): Request {
  return appRequest(path, { method, cookie, body, headers: sameSiteHeaders });
}

const start = (id: string, cookie: string, body: unknown = {}) => startRoute(send('POST', `/api/notebooks/${id}/workshop`, cookie, body), params(id));
const end = (id: string, cookie: string) => endRoute(send('DELETE', `/api/notebooks/${id}/workshop`, cookie), params(id));
const tryItMyself = (id: string, cookie: string) => forkRoute(send('POST', `/api/notebooks/${id}/workshop/fork`, cookie), params(id));
const copiesOf = async (id: string, cookie: string) =>
  ((await (await copiesRoute(get(`/api/notebooks/${id}/workshop/fork`, cookie), params(id))).json()) as { copies: { id: string; url: string; createdAt: string }[] }).copies;
const session = (id: string, cookie: string) => sessionRoute(get(`/api/notebooks/${id}/session`, cookie), params(id));
const exportOf = (id: string, cookie: string) => exportRoute(get(`/api/notebooks/${id}/export`, cookie), params(id));

/** A notebook of Alice's, Vera its viewer and Eddie its editor. */
async function lessonNotebook(): Promise<string> {
  const id = (await createNotebook(storage, {
    title: 'Lesson',
    notebook: {
      nbformat: 4, nbformat_minor: 5, metadata: {},
      cells: [{ id: 'c1', cell_type: 'code', source: 'print("the lesson")', metadata: {}, outputs: [], execution_count: null }],
    } as never,
  })).id;
  await storage.members.grant(id, idOf.alice, 'owner');
  await storage.members.grant(id, idOf.vera, 'viewer');
  await storage.members.grant(id, idOf.eddie, 'editor');
  return id;
}

/** What the join page does for a guest who enters a name: a Guest row and a pass cookie. */
async function joinAs(name: string, joinPath: string): Promise<{ cookie: string; guestId: string; notebookId: string }> {
  const link = await storage.shareLinks.resolve(joinPath.replace(/^\/join\//, ''));
  assert.ok(link, `${joinPath} opens a live link`);
  const guest = await storage.shareLinks.addGuest(link.id, name);
  return { cookie: `${guestCookieName(link.notebookId)}=${await signGuestPass(guest.id, link.notebookId)}`, guestId: guest.id, notebookId: link.notebookId };
}

interface StartedWorkshop { id: string; attendeeRole: string; attendeePath: string; presenterPath: string }

async function startedWorkshop(id: string, attendeeRole = 'viewer'): Promise<StartedWorkshop> {
  const res = await start(id, cookieOf.alice, { attendeeRole });
  assert.equal(res.status, 201);
  return (await res.json()).workshop;
}

/** A y-websocket client on the collab server with this page grant; records final closes. */
async function connect(notebookId: string, grant: { token: string; epoch: string }) {
  const provider = new WebsocketProvider(`ws://127.0.0.1:${collab.port}`, notebookId, new Y.Doc(), {
    params: { token: grant.token, epoch: grant.epoch },
    WebSocketPolyfill: NodeWebSocket as unknown as typeof WebSocket,
    disableBc: true,
  });
  sockets.push(provider);
  const closes: number[] = [];
  provider.on('connection-close', (event: CloseEvent | null) => { if (event) closes.push(event.code); });
  await waitFor(() => provider.synced, 'the socket to sync');
  return { provider, closes };
}

test('only a signed-in owner starts, sees and ends a workshop; bad input starts nothing; one live workshop at a time', async () => {
  const id = await lessonNotebook();
  const { link } = await storage.shareLinks.create({ notebookId: id, role: 'editor', expiresAt: null, createdBy: idOf.alice });
  const linkGuest = await storage.shareLinks.addGuest(link.id, 'Gus');
  const gus = `${guestCookieName(id)}=${await signGuestPass(linkGuest.id, id)}`;

  assert.equal((await start(id, '')).status, 401);
  assert.equal((await start(id, cookieOf.mallory)).status, 404, 'a stranger learns nothing');
  for (const cookie of [cookieOf.vera, cookieOf.eddie, gus]) {
    const refused = await start(id, cookie);
    assert.equal(refused.status, 403);
    assert.match((await refused.json()).error, /does not allow this/);
  }
  const bad = await start(id, cookieOf.alice, { attendeeRole: 'owner' });
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error, /viewers, commenters or editors/);
  assert.equal(await storage.workshops.live(id), null, 'nothing was started');

  const workshop = await startedWorkshop(id);
  assert.equal(workshop.attendeeRole, 'viewer');
  assert.match(workshop.attendeePath, /^\/join\/[A-Za-z0-9_-]{43}$/);
  assert.match(workshop.presenterPath, /^\/join\/[A-Za-z0-9_-]{43}$/);
  const live = (await storage.workshops.live(id))!;
  assert.equal((await storage.shareLinks.resolve(workshop.attendeePath.slice(6)))?.id, live.attendeeLinkId);
  assert.equal((await storage.shareLinks.resolve(workshop.presenterPath.slice(6)))?.role, 'editor');

  const again = await start(id, cookieOf.alice);
  assert.equal(again.status, 409);
  assert.match((await again.json()).error, /already running/);

  // The owner can copy the same links again later; nobody else can see them.
  const shown = await workshopRoute(get(`/api/notebooks/${id}/workshop`, cookieOf.alice), params(id));
  assert.deepEqual((await shown.json()).workshop, workshop);
  for (const cookie of [cookieOf.vera, cookieOf.eddie, gus]) {
    const res = await workshopRoute(get(`/api/notebooks/${id}/workshop`, cookie), params(id));
    assert.equal(res.status, 403);
    assert.doesNotMatch(await res.text(), /join/);
  }
  assert.equal((await workshopRoute(get(`/api/notebooks/${id}/workshop`, cookieOf.mallory), params(id))).status, 404);

  for (const cookie of [cookieOf.vera, cookieOf.eddie, gus]) assert.equal((await end(id, cookie)).status, 403);
  assert.equal((await end(id, cookieOf.mallory)).status, 404);
  assert.ok(await storage.workshops.live(id), 'still live');
  assert.equal((await end(id, cookieOf.alice)).status, 200);
  const twice = await end(id, cookieOf.alice);
  assert.equal(twice.status, 409);
  assert.match((await twice.json()).error, /No workshop is running/);
});

test('attendees get the link\'s role and co-hosts edit; "Try it myself" gives a guest a copy that is theirs alone', async () => {
  const id = await lessonNotebook();
  const workshop = await startedWorkshop(id);
  const grace = await joinAs('Grace', workshop.attendeePath);
  const guido = await joinAs('Guido', workshop.attendeePath);
  const cohost = await joinAs('Carl', workshop.presenterPath);
  assert.equal((await (await session(id, grace.cookie)).json()).role, 'viewer');
  assert.equal((await (await session(id, cohost.cookie)).json()).role, 'editor');

  const made = await tryItMyself(id, grace.cookie);
  assert.equal(made.status, 201);
  const fork = await made.json();
  assert.equal(fork.owner, 'guest');
  assert.equal(fork.url, `/notebooks/${fork.id}`);
  const [setCookie] = made.headers.getSetCookie();
  assert.match(setCookie, new RegExp(`^${guestCookieName(fork.id)}=`));
  assert.match(setCookie, /HttpOnly/);
  assert.match(setCookie, /SameSite=Lax/);
  const mine = setCookie.split(';')[0];

  // Grace is the fork's owner (she may run code on its own kernel) through her own-copy pass.
  const grant = await (await session(fork.id, mine)).json();
  assert.equal(grant.role, 'owner');
  const token = await verifyNotebookToken(grant.token);
  assert.deepEqual([token.notebookId, token.role, token.name, token.via], [fork.id, 'owner', 'Grace', { kind: 'guest-owner', guestId: grace.guestId }]);
  const file = await exportOf(fork.id, mine);
  assert.equal(file.status, 200);
  assert.match(await file.text(), /the lesson/, 'the copy holds the notebook as it stood');
  assert.deepEqual(await storage.notebooks.originOf(fork.id), { notebookId: id, versionId: null });
  assert.deepEqual(await storage.members.list(fork.id), [], 'no account owns or sees it');

  // Nobody else gets anything: another guest of the same link (even with a pass naming the fork),
  // Grace's pass for the workshop notebook, the workshop's owner, a stranger.
  const guidosForged = `${guestCookieName(fork.id)}=${await signGuestPass(guido.guestId, fork.id, { ownCopy: true })}`;
  const gracesLinkPass = `${guestCookieName(fork.id)}=${grace.cookie.split('=').slice(1).join('=')}`;
  for (const cookie of [guido.cookie, guidosForged, gracesLinkPass, '']) {
    assert.equal((await session(fork.id, cookie)).status, 401);
    assert.equal((await exportOf(fork.id, cookie)).status, 401);
  }
  for (const cookie of [cookieOf.alice, cookieOf.mallory]) assert.equal((await exportOf(fork.id, cookie)).status, 404);
  // And Grace's copy-pass opens nothing else.
  const misplaced = `${guestCookieName(id)}=${mine.split('=').slice(1).join('=')}`;
  assert.equal((await session(id, misplaced)).status, 401);

  // A guest without an account cannot publish their copy for everyone.
  const version = await saveQuickVersion(storage, fork.id, { name: 'mine', author: { id: null, name: 'Grace' } });
  const publish = await publishRoute(send('POST', `/api/versions/${version.id}/publish`, mine), routeParams({ versionId: version.id }));
  assert.equal(publish.status, 403);
  assert.match((await publish.json()).error, /Sign in to publish/);
});

test('signed-in attendees fork into their account; guests of other links and people after the workshop cannot fork', async () => {
  const id = await lessonNotebook();
  const { link } = await storage.shareLinks.create({ notebookId: id, role: 'viewer', expiresAt: null, createdBy: idOf.alice });
  const outsider = await storage.shareLinks.addGuest(link.id, 'Otto');
  const otto = `${guestCookieName(id)}=${await signGuestPass(outsider.id, id)}`;
  const none = await tryItMyself(id, cookieOf.vera);
  assert.equal(none.status, 409, 'no workshop yet');
  assert.match((await none.json()).error, /No workshop is running/);

  await startedWorkshop(id);
  const made = await tryItMyself(id, cookieOf.vera);
  assert.equal(made.status, 201);
  const fork = await made.json();
  assert.equal(fork.owner, 'account');
  assert.deepEqual(made.headers.getSetCookie(), []);
  assert.equal(await storage.members.roleOf(fork.id, idOf.vera), 'owner');
  assert.equal(await storage.notebooks.guestOwnership(fork.id), null, 'an account\'s copy never expires');

  const refused = await tryItMyself(id, otto);
  assert.equal(refused.status, 403);
  assert.match((await refused.json()).error, /workshop's attendees/);
  assert.equal((await tryItMyself(id, cookieOf.mallory)).status, 404);

  assert.equal((await end(id, cookieOf.alice)).status, 200);
  assert.equal((await tryItMyself(id, cookieOf.vera)).status, 409);
});

test('"Try it myself" lists each person\'s own copies, newest first, and stops at the per-person limit without making one more', async () => {
  const id = await lessonNotebook();
  const workshop = await startedWorkshop(id);
  const grace = await joinAs('Grace', workshop.attendeePath);
  const guido = await joinAs('Guido', workshop.attendeePath);
  assert.deepEqual(await copiesOf(id, grace.cookie), []);

  const made: string[] = [];
  for (let i = 0; i < WORKSHOP_COPIES_PER_PERSON; i++) {
    const res = await tryItMyself(id, grace.cookie);
    assert.equal(res.status, 201);
    made.push((await res.json()).id);
  }
  const refused = await tryItMyself(id, grace.cookie);
  assert.equal(refused.status, 429);
  assert.equal((await refused.json()).error, `You already have ${WORKSHOP_COPIES_PER_PERSON} copies from this workshop, the most one person may make; carry on in one of them.`);
  assert.equal((await storage.notebooks.workshopForks(workshop.id, { guestId: grace.guestId })).length, WORKSHOP_COPIES_PER_PERSON, 'the refused request made a copy');

  const listed = await copiesOf(id, grace.cookie);
  assert.deepEqual(listed.map((c) => c.id).sort(), [...made].sort());
  assert.ok(listed.every((c, i) => c.url === `/notebooks/${c.id}` && (i === 0 || c.createdAt <= listed[i - 1].createdAt)), 'newest first');

  // Others' lists hold only their own; Grace's limit is not theirs.
  assert.deepEqual(await copiesOf(id, guido.cookie), []);
  assert.equal((await tryItMyself(id, guido.cookie)).status, 201);
  assert.equal((await copiesOf(id, guido.cookie)).length, 1);
  assert.equal((await tryItMyself(id, cookieOf.vera)).status, 201);
  const verasCopies = await copiesOf(id, cookieOf.vera);
  assert.equal(verasCopies.length, 1);
  assert.equal(await storage.members.roleOf(verasCopies[0].id, idOf.vera), 'owner');
  // Someone who may not make copies has none to list.
  assert.equal((await copiesRoute(get(`/api/notebooks/${id}/workshop/fork`, cookieOf.mallory), params(id))).status, 404);
});

test('ending revokes both links at once and disconnects their guests; a guest\'s copy stays theirs with an expiry from the end', async () => {
  const id = await lessonNotebook();
  const workshop = await startedWorkshop(id, 'editor');
  const grace = await joinAs('Grace', workshop.attendeePath);
  const cohost = await joinAs('Carl', workshop.presenterPath);
  assert.equal((await (await session(id, grace.cookie)).json()).role, 'editor', 'the owner chose editor attendees');
  const fork = await (await tryItMyself(id, grace.cookie)).json();
  const mine = `${guestCookieName(fork.id)}=${await signGuestPass(grace.guestId, fork.id, { ownCopy: true })}`;

  const attendeeSocket = await connect(id, await (await session(id, grace.cookie)).json());
  const cohostSocket = await connect(id, await (await session(id, cohost.cookie)).json());
  const forkSocket = await connect(fork.id, await (await session(fork.id, mine)).json());
  const veraSocket = await connect(id, await (await session(id, cookieOf.vera)).json());

  const res = await end(id, cookieOf.alice);
  assert.equal(res.status, 200);
  const ended = (await res.json()).workshop;
  assert.equal(new Date(ended.forksExpireAt).getTime() - new Date(ended.endedAt).getTime(), 2 * DAY, 'WORKSHOP_FORK_RETENTION_DAYS=2');

  // At once (the collab server's own re-check is an hour away): both links' guests are out.
  await waitFor(() => attendeeSocket.closes.includes(4403) && cohostSocket.closes.includes(4403), 'the workshop guests to be disconnected', 3000);
  for (const path of [workshop.attendeePath, workshop.presenterPath]) assert.equal(await storage.shareLinks.resolve(path.slice(6)), null);
  const told = await session(id, grace.cookie);
  assert.equal(told.status, 403);
  const body = await told.json();
  assert.equal(body.ended, 'workshop-ended');
  assert.match(body.error, /workshop has ended.*still yours/);

  // Members stay; the guest's copy stays hers, open and downloadable, until its expiry.
  assert.ok(!veraSocket.closes.length && veraSocket.provider.wsconnected);
  assert.ok(!forkSocket.closes.length && forkSocket.provider.wsconnected);
  assert.equal((await (await session(fork.id, mine)).json()).role, 'owner');
  assert.equal((await exportOf(fork.id, mine)).status, 200);
  assert.equal((await storage.notebooks.guestOwnership(fork.id))?.expiresAt?.toISOString(), ended.forksExpireAt);
});

test('an expired copy gives its guest a clear "expired" answer, no access, and is then swept away', async () => {
  const id = await lessonNotebook();
  const workshop = await startedWorkshop(id);
  const grace = await joinAs('Grace', workshop.attendeePath);
  const made = await tryItMyself(id, grace.cookie);
  const fork = await made.json();
  const mine = made.headers.getSetCookie()[0].split(';')[0];
  assert.equal((await end(id, cookieOf.alice)).status, 200);

  // Time passes beyond the retention.
  await (storage.prismaClient as PrismaClient).notebook.update({ where: { id: fork.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
  const expired = async () => {
    const res = await session(fork.id, mine);
    assert.equal(res.status, 403);
    const body = await res.json();
    assert.equal(body.ended, 'copy-expired');
    assert.match(body.error, /This copy has expired/);
  };
  await expired();
  assert.equal((await exportOf(fork.id, mine)).status, 401, 'not downloadable any more');

  assert.deepEqual(await collab.sweepExpiredForks(), [fork.id]);
  assert.equal(await storage.notebooks.get(fork.id), null);
  await expired();
  assert.equal((await session(fork.id, '')).status, 401, 'without her pass: the usual answer');
  assert.equal((await exportOf(fork.id, cookieOf.alice)).status, 404);
});
