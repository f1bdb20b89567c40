// A workshop attendee's own copy is as shut in as an editor's notebook
// (sandbox-escape.test.ts): a guest joins through the workshop's attendee link
// (a viewer link: even that lets a stranger run code), presses "Try it myself"
// (the real fork route), opens the copy (the real session route, whose token
// the bridge checks against the database), types a hostile cell into it over
// the real collab server and runs it on a sandboxed kernel through the real
// bridge. Every way out fails, in particular into the presenter's notebook
// folder and another attendee's copy, while numpy, pandas and matplotlib work.
//
// The join page's server action needs Next's request scope, so the join is
// done as that action does it (a Guest row on the link and a signed pass).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { WebSocket as NodeWebSocket } from 'ws';
import { kernelConfig } from '../config/kernels';
import { findCell, insertCell, outputsOf, outputToJSON } from '../notebook-model';
import type { Storage } from '../storage';
import { guestCookieName, signGuestPass } from '../app/server/guest-pass';
import { getStorage } from '../app/server/storage';
import { TestPeople, appRequest, get, routeParams, sameSiteHeaders } from '../app/api/route-test-kit';
import { GET as sessionRoute } from '../app/api/notebooks/[id]/session/route';
import { POST as startWorkshopRoute } from '../app/api/notebooks/[id]/workshop/route';
import { POST as forkRoute } from '../app/api/notebooks/[id]/workshop/fork/route';
import { cellById, outputText, startRig, waitFor, type Browser, type Rig } from './bridge-test-harness';
import { kernelPids, openWaysOut, runCell, tryAll } from './escape-attempts';

const LONG = { timeout: 300_000 };
let rig: Rig;
let storage: Storage;
const people = new TestPeople();
const sockets: WebsocketProvider[] = [];

before(async () => {
  assert.equal(kernelConfig.sandbox, 'sandbox', 'these tests are about the sandbox: run them without KERNEL_SANDBOX=none');
  rig = await startRig({ memoryLimitMb: 2048 });
  // The web app's routes on the rig's installation: its data folder and its database.
  process.env.CELLMATE_DATA_DIR = rig.dataDir;
  process.env.DATABASE_URL = `file:${join(rig.dataDir, 'db.sqlite')}`;
  storage = await getStorage();
  await people.signUp(storage, ['alice']);
});
after(async () => {
  for (const socket of sockets) {
    socket.destroy();
    socket.awareness.destroy();
  }
  await storage?.close();
  await rig?.close();
});

const params = (id: string) => routeParams({ id });

/** The page grant (token for the collab server and the bridge, role, epoch) of whoever sends `cookie`. */
async function pageGrant(notebookId: string, cookie: string): Promise<{ token: string; role: string; epoch: string }> {
  const res = await sessionRoute(get(`/api/notebooks/${notebookId}/session`, cookie), params(notebookId));
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
}

/** A guest joins through `attendeePath` (/join/<secret>) and presses "Try it myself": their copy's id and pass cookie. */
async function attendeeCopy(name: string, attendeePath: string): Promise<{ copyId: string; cookie: string }> {
  const link = await storage.shareLinks.resolve(attendeePath.replace(/^\/join\//, ''));
  assert.ok(link, 'the attendee link is live');
  const guest = await storage.shareLinks.addGuest(link.id, name);
  const joined = `${guestCookieName(link.notebookId)}=${await signGuestPass(guest.id, link.notebookId)}`;
  const res = await forkRoute(appRequest(`/api/notebooks/${link.notebookId}/workshop/fork`, { method: 'POST', cookie: joined, headers: sameSiteHeaders }), params(link.notebookId));
  assert.equal(res.status, 201, await res.clone().text());
  const made = (await res.json()) as { id: string; owner: string };
  assert.equal(made.owner, 'guest');
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { copyId: made.id, cookie };
}

/** Types a code cell with `source` at the end of the notebook as its page does, over the collab server; its id. */
async function typeCell(notebookId: string, grant: { token: string; epoch: string }, source: string, view: Browser): Promise<string> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(rig.collabUrl, notebookId, doc, {
    params: { token: grant.token, epoch: grant.epoch },
    WebSocketPolyfill: NodeWebSocket as unknown as typeof WebSocket,
    disableBc: true,
  });
  sockets.push(provider);
  await waitFor(() => provider.synced, 10_000, 'the attendee\'s page to sync');
  const id = insertCell(doc, Number.MAX_SAFE_INTEGER, { cell_type: 'code', source });
  await waitFor(() => findCell(view.doc, id), 10_000, 'the typed cell to reach the server');
  return id;
}

test('an attendee\'s own copy cannot reach the presenter\'s folder, another attendee\'s copy, the data or the services; the data stack works', LONG, async () => {
  // Alice's lesson: the first cell keeps a file in the notebook's folder.
  const lesson = await rig.notebook([
    'open("mine.txt", "w").write("private"); print("planted own")',
    [
      'import numpy as np, pandas as pd, matplotlib.pyplot as plt',
      'frame = pd.DataFrame({"x": np.arange(10)})',
      'plt.plot(frame.x, frame.x ** 2); plt.show()',
      'print(int(frame.x.sum()))',
    ].join('\n'),
  ], 'Lesson');
  await storage.members.grant(lesson.id, people.idOf.alice, 'owner');
  const started = await startWorkshopRoute(
    appRequest(`/api/notebooks/${lesson.id}/workshop`, { method: 'POST', cookie: people.cookieOf.alice, body: { attendeeRole: 'viewer' }, headers: sameSiteHeaders }),
    params(lesson.id),
  );
  assert.equal(started.status, 201, await started.clone().text());
  const { attendeePath } = (await started.json()).workshop as { attendeePath: string };

  // The presenter runs the first cell: a kernel and a file of the lesson's.
  const lessonView = await rig.browser(lesson.id);
  await runCell(rig, lesson.id, 'cell0', lessonView, (await pageGrant(lesson.id, people.cookieOf.alice)).token);
  const lessonDir = join(rig.dataDir, 'kernels', lesson.id);
  assert.equal(readFileSync(join(lessonDir, 'mine.txt'), 'utf8'), 'private');

  // Bea, another attendee, runs it in her own copy: a kernel and a file of hers.
  const bea = await attendeeCopy('Bea', attendeePath);
  const beaView = await rig.browser(bea.copyId);
  const beaGrant = await pageGrant(bea.copyId, bea.cookie);
  assert.equal(beaGrant.role, 'owner', 'a guest owns their copy');
  await runCell(rig, bea.copyId, 'cell0', beaView, beaGrant.token);
  const beaDir = join(rig.dataDir, 'kernels', bea.copyId);
  assert.equal(readFileSync(join(beaDir, 'mine.txt'), 'utf8'), 'private');
  const otherKernels = kernelPids();
  assert.equal(otherKernels.length, 2, 'the presenter\'s kernel and Bea\'s');

  // Mallory joins the same way and types her way-out attempts into her copy.
  const mallory = await attendeeCopy('Mallory', attendeePath);
  const malloryView = await rig.browser(mallory.copyId);
  const malloryGrant = await pageGrant(mallory.copyId, mallory.cookie);
  const port = (url: string) => Number(new URL(url).port);
  const escape = tryAll({
    'list the presenter\'s folder': `os.listdir(${JSON.stringify(lessonDir)})`,
    'read the presenter\'s file': `open(${JSON.stringify(join(lessonDir, 'mine.txt'))}).read()`,
    'plant a file in the presenter\'s folder': `open(${JSON.stringify(join(lessonDir, 'planted.txt'))}, 'w').write('gotcha')`,
    'list another attendee\'s copy\'s folder': `os.listdir(${JSON.stringify(beaDir)})`,
    'read another attendee\'s file': `open(${JSON.stringify(join(beaDir, 'mine.txt'))}).read()`,
    'plant a file in another attendee\'s folder': `open(${JSON.stringify(join(beaDir, 'planted.txt'))}, 'w').write('gotcha')`,
    'list every notebook\'s folder': `os.listdir(${JSON.stringify(join(rig.dataDir, 'kernels'))})`,
    'find another notebook\'s folder beside its own': "assert [d for d in os.listdir('..') if d != os.path.basename(os.getcwd())]",
    'list the data folder': `os.listdir(${JSON.stringify(rig.dataDir)})`,
    'read the database': `open(${JSON.stringify(join(rig.dataDir, 'db.sqlite'))}, 'rb').read(16)`,
    'read the bridge\'s environment': `open('/proc/${process.pid}/environ', 'rb').read()`,
    'connect to the collab server': `socket.create_connection(('127.0.0.1', ${port(rig.collabUrl)}), timeout=3)`,
    'connect to the bridge': `socket.create_connection(('127.0.0.1', ${port(rig.bridgeUrl)}), timeout=3)`,
    'connect to PostgreSQL': "socket.create_connection(('127.0.0.1', 5432), timeout=3)",
    'connect to Redis': "socket.create_connection(('127.0.0.1', 6379), timeout=3)",
    'connect to the internet': "socket.create_connection(('1.1.1.1', 53), timeout=3)",
    'signal the presenter\'s kernel': `os.kill(${otherKernels[0]}, signal.SIGKILL)`,
    'signal another attendee\'s kernel': `os.kill(${otherKernels[1]}, signal.SIGKILL)`,
    'write outside the working folder': "open('/usr/cellmate-was-here', 'w').write('x')",
  });
  const escapeCell = await typeCell(mallory.copyId, malloryGrant, escape, malloryView);
  const secretsCell = await typeCell(mallory.copyId, malloryGrant,
    "import os; print(sorted(k for k in os.environ if k.startswith('CELLMATE') or k in ('DATABASE_URL', 'REDIS_URL', 'TEST_POSTGRES_URL')), os.getuid() != 0)", malloryView);
  for (const cellId of ['cell0', 'cell1', escapeCell, secretsCell]) await runCell(rig, mallory.copyId, cellId, malloryView, malloryGrant.token);

  const { reached, tried } = openWaysOut(outputText(malloryView.doc, escapeCell));
  assert.deepEqual(reached, [], `ways out that were open: ${reached.join(', ')}`);
  assert.equal(tried, 19);
  assert.equal(outputText(malloryView.doc, secretsCell), '[] True\n', 'no secrets in its environment, and not root');
  // Her copy works like the lesson: its own file, and the data stack.
  assert.equal(outputText(malloryView.doc, 'cell0'), 'planted own\n');
  assert.match(outputText(malloryView.doc, 'cell1'), /45\n$/);
  assert.ok(outputsOf(cellById(malloryView.doc, 'cell1')).toArray().some((o) => 'image/png' in ((outputToJSON(o) as { data?: object }).data ?? {})), 'matplotlib drew');
  assert.equal(malloryView.kernel()?.isolation?.sandboxed, true);

  // Nothing of the others' changed, and their kernels live on.
  for (const dir of [lessonDir, beaDir]) {
    assert.equal(existsSync(join(dir, 'planted.txt')), false);
    assert.equal(readFileSync(join(dir, 'mine.txt'), 'utf8'), 'private');
  }
  for (const pid of otherKernels) assert.ok(existsSync(`/proc/${pid}`), `kernel ${pid} is alive`);
  await runCell(rig, bea.copyId, 'cell1', beaView, beaGrant.token);
  assert.match(outputText(beaView.doc, 'cell1'), /45\n$/);
});
