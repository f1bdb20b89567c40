// The version routes and the published page over real accounts, a real SQLite
// database and a real collab server: who may save, publish, restore and fork;
// a published page is readable without a session (rendered to static HTML, as a
// browser without JavaScript gets it) and an unpublished version is not.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { renderToStaticMarkup } from 'react-dom/server';
import { startCollabServer, type CollabServer } from '../../collab-server/collab-server';
import { createNotebook, loadNotebookJSON } from '../../library/notebook-library';
import { parseNotebook } from '../../notebook-model/nbformat';
import type { NotebookJSON } from '../../notebook-model/nbformat/types';
import type { Storage } from '../../storage';
import { appRequest, appUrl, migrateAndOpenAppStorage, routeParams, TestPeople, setUpTemporaryDataDir } from './route-test-kit';
import PublishedPage from '../p/[slug]/page';
import { GET as downloadRoute } from '../p/[slug]/download/route';
import { POST as publicForkRoute } from '../p/[slug]/fork/route';
import { GET as listRoute, POST as saveRoute } from './notebooks/[id]/versions/route';
import { POST as forkRoute } from './notebooks/[id]/fork/route';
import { DELETE as unpublishRoute, POST as publishRoute } from './versions/[versionId]/publish/route';
import { POST as restoreRoute } from './versions/[versionId]/restore/route';
import { GET as runStateRoute, POST as runRoute } from './notebooks/[id]/versions/run/route';
import { currentRole } from '../../auth/current-role';
import { FreshRuns } from '../../kernel-bridge/fresh-runs';
import { createBridgeServer, listenBridge } from '../../kernel-bridge/http-api';
import { kernelBackend } from '../../kernel-bridge/kernel-backend';
import { SessionRegistry } from '../../kernel-bridge/session-registry';
import { API_ERROR } from '../../notebook-model/service-protocol';

const dataDir = setUpTemporaryDataDir('version-routes');
process.env.CELLMATE_SECRET ??= 'version-routes-secret';

let storage: Storage;
let collab: CollabServer;
// The kernel bridge, where "Save & run all" runs (the app asks it over HTTP).
let registry: SessionRegistry;
let bridge: Server;
const people = new TestPeople();
const { cookieOf, idOf } = people;
let notebookId = '';

// A 1×1 PNG: the image output a published page must show.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const notebook: NotebookJSON = {
  nbformat: 4, nbformat_minor: 5, metadata: {},
  cells: [
    { id: 'md', cell_type: 'markdown', metadata: {}, source: '# Results\n\nThe **plot**:' },
    {
      id: 'plot', cell_type: 'code', metadata: {}, source: 'plot()', execution_count: 1,
      outputs: [
        { output_type: 'display_data', data: { 'image/png': PNG, 'text/plain': '<Figure>' }, metadata: {} },
        { output_type: 'display_data', data: { 'text/html': '<b id="untrusted">table</b><script>parent.document.title = "owned"</script>' }, metadata: {} },
      ],
    },
  ],
} as NotebookJSON;

before(async () => {
  storage = await migrateAndOpenAppStorage();
  collab = await startCollabServer({ port: 0, host: '127.0.0.1', storage });
  process.env.COLLAB_PORT = String(collab.port);
  // Sandboxed kernels run as their own user, who must be able to pass through to the runs' working folders.
  chmodSync(dataDir, 0o711);
  registry = new SessionRegistry({ collabUrl: `ws://127.0.0.1:${collab.port}`, backend: kernelBackend(), kernelsDir: join(dataDir, 'kernels'), idleTimeoutMs: 0 });
  bridge = createBridgeServer(registry, {
    resolveRole: (grant) => currentRole(storage, grant),
    freshRuns: new FreshRuns({ storage, quota: registry.quota, workDir: join(dataDir, 'fresh-runs') }),
  });
  process.env.BRIDGE_PORT = String(await listenBridge(bridge, 0, '127.0.0.1'));
  await people.signUp(storage, ['olga', 'edith', 'vic', 'finn']);
  notebookId = (await createNotebook(storage, { title: 'Plot study', notebook })).id;
  await storage.members.grant(notebookId, idOf.olga, 'owner');
  await storage.members.grant(notebookId, idOf.edith, 'editor');
  await storage.members.grant(notebookId, idOf.vic, 'viewer');
});
after(async () => {
  await registry.closeAll();
  bridge.closeAllConnections();
  await new Promise((r) => bridge.close(r));
  await collab.close();
  await storage.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A request from `who`'s browser (null: nobody signed in). */
function req(path: string, who: string | null, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Request {
  return appRequest(path, { ...init, cookie: who ? cookieOf[who] : undefined });
}
const nb = (id: string) => routeParams({ id });
const ver = (versionId: string) => routeParams({ versionId });
const slugParams = (slug: string) => routeParams({ slug });

async function quickSave(who: string, name: string): Promise<Response> {
  return saveRoute(req(`/api/notebooks/${notebookId}/versions`, who, { method: 'POST', body: { name } }), nb(notebookId));
}

async function renderPublished(slug: string): Promise<string> {
  return renderToStaticMarkup(await PublishedPage(slugParams(slug)));
}

test('quick save: editors and owners save, viewers and strangers cannot; everyone with a role lists', async () => {
  const saved = await quickSave('edith', 'first look');
  assert.equal(saved.status, 201);
  const { version } = await saved.json();
  assert.equal(version.name, 'first look');
  assert.equal(version.authorName, 'edith');
  assert.equal(version.kind, 'quick');
  assert.equal((await quickSave('vic', 'nope')).status, 403);
  assert.equal((await quickSave('finn', 'nope')).status, 404);
  assert.equal((await saveRoute(req(`/api/notebooks/${notebookId}/versions`, null, { method: 'POST', body: {} }), nb(notebookId))).status, 401);
  const crossSite = await saveRoute(req(`/api/notebooks/${notebookId}/versions`, 'edith', { method: 'POST', body: {}, headers: { origin: 'https://evil.example' } }), nb(notebookId));
  assert.equal(crossSite.status, 403);
  const notJson = await saveRoute(new Request(appUrl(`/api/notebooks/${notebookId}/versions`), {
    method: 'POST', body: '{"name": "half', headers: { cookie: cookieOf.edith, 'content-type': 'application/json' },
  }), nb(notebookId));
  assert.equal(notJson.status, 400, 'a body that is not JSON is refused, not read as no name');
  assert.equal((await notJson.json()).code, API_ERROR.invalidJson);
  const wrongType = await saveRoute(req(`/api/notebooks/${notebookId}/versions`, 'edith', { method: 'POST', body: { name: 42 } }), nb(notebookId));
  assert.equal(wrongType.status, 400);
  assert.match((await wrongType.json()).error, /name/);

  const list = await listRoute(req(`/api/notebooks/${notebookId}/versions`, 'vic'), nb(notebookId));
  assert.equal(list.status, 200);
  assert.deepEqual((await list.json()).versions.map((v: { name: string }) => v.name), ['first look']);
  assert.equal((await listRoute(req(`/api/notebooks/${notebookId}/versions`, 'finn'), nb(notebookId))).status, 404);
});

test('publish: owners only; the page is readable without a session, with the image; unpublished is 404', async () => {
  const { version } = await (await quickSave('olga', 'for the paper')).json();
  assert.equal((await publishRoute(req(`/api/versions/${version.id}/publish`, 'edith', { method: 'POST' }), ver(version.id))).status, 403);
  assert.equal((await publishRoute(req(`/api/versions/${version.id}/publish`, 'finn', { method: 'POST' }), ver(version.id))).status, 404);
  const published = await publishRoute(req(`/api/versions/${version.id}/publish`, 'olga', { method: 'POST' }), ver(version.id));
  assert.equal(published.status, 200);
  const { slug, url: pageUrl } = await published.json();
  assert.equal(pageUrl, `/p/${slug}`);
  assert.match(slug, /^plot-study-/);

  // No cookie at all: the page and the downloads are public.
  const html = await renderPublished(slug);
  assert.match(html, /<h1>Plot study<\/h1>/);
  assert.match(html, /by olga/);
  assert.match(html, /<h1 id="Results">Results/);
  assert.match(html, /<strong>plot<\/strong>/);
  assert.ok(html.includes(`src="data:image/png;base64,${PNG}"`), 'the image output is in the server-rendered HTML');
  assert.match(html, /plot\(\)/);
  // Untrusted HTML is in the page whole (no frame only a script could size), sanitized: no script, no ids.
  assert.match(html, /<div class="output-html" data-testid="output-html"><b>table<\/b><\/div>/);
  assert.doesNotMatch(html, /<iframe|id="untrusted"|<script|owned/);
  assert.doesNotMatch(html, /reproducible-badge/, 'a quick save gets no reproducible-run badge');
  assert.doesNotMatch(html, /data-testid="freshness"/, 'no run records, nothing said about freshness');
  assert.match(html, /action="\/p\/[^"]+\/fork"/);

  const ipynb = await downloadRoute(req(`/p/${slug}/download`, null), slugParams(slug));
  assert.equal(ipynb.status, 200);
  assert.match(ipynb.headers.get('content-disposition')!, /filename="Plot study\.ipynb"/);
  assert.deepEqual(parseNotebook(await ipynb.text()).cells.map((c) => c.source), ['# Results\n\nThe **plot**:', 'plot()']);
  const stripped = parseNotebook(await (await downloadRoute(req(`/p/${slug}/download?format=stripped`, null), slugParams(slug))).text());
  assert.deepEqual((stripped.cells[1] as { outputs: unknown[] }).outputs, []);
  assert.match(await (await downloadRoute(req(`/p/${slug}/download?format=py`, null), slugParams(slug))).text(), /^# %%/m);
  assert.equal((await downloadRoute(req(`/p/${slug}/download?format=exe`, null), slugParams(slug))).status, 400);

  // A version never published is not readable by any slug-like address.
  const { version: other } = await (await quickSave('olga', 'private draft')).json();
  assert.equal((await storage.versions.get(other.id))?.publishedSlug, null);

  assert.equal((await unpublishRoute(req(`/api/versions/${version.id}/publish`, 'edith', { method: 'DELETE' }), ver(version.id))).status, 403);
  const unpublished = await unpublishRoute(req(`/api/versions/${version.id}/publish`, 'olga', { method: 'DELETE' }), ver(version.id));
  assert.deepEqual(await unpublished.json(), { unpublished: true });
  await assert.rejects(renderPublished(slug), (err: Error & { digest?: string }) => /404/.test(err.digest ?? err.message));
  assert.equal((await downloadRoute(req(`/p/${slug}/download`, null), slugParams(slug))).status, 404);
  assert.equal((await publicForkRoute(req(`/p/${slug}/fork`, 'finn', { method: 'POST' }), slugParams(slug))).status, 404);
});

test('fork from a published page: signed-out readers are sent to sign in; a signed-in reader gets their own copy', async () => {
  const { version } = await (await quickSave('olga', 'forkable')).json();
  const { slug } = await (await publishRoute(req(`/api/versions/${version.id}/publish`, 'olga', { method: 'POST' }), ver(version.id))).json();
  const before = await storage.notebooks.forkCount(notebookId);

  const anonymous = await publicForkRoute(req(`/p/${slug}/fork`, null, { method: 'POST' }), slugParams(slug));
  assert.equal(anonymous.status, 303);
  assert.equal(anonymous.headers.get('location'), appUrl(`/sign-in?next=${encodeURIComponent(`/p/${slug}`)}`));

  const crossSite = await publicForkRoute(req(`/p/${slug}/fork`, 'finn', { method: 'POST', headers: { origin: 'https://evil.example' } }), slugParams(slug));
  assert.equal(crossSite.status, 403);

  const forked = await publicForkRoute(req(`/p/${slug}/fork`, 'finn', { method: 'POST' }), slugParams(slug));
  assert.equal(forked.status, 303);
  const forkId = /\/notebooks\/([^/?]+)$/.exec(forked.headers.get('location')!)![1];
  assert.equal(await storage.members.roleOf(forkId, idOf.finn), 'owner');
  assert.equal(await storage.members.roleOf(notebookId, idOf.finn), null);
  assert.deepEqual(await storage.notebooks.originOf(forkId), { notebookId, versionId: version.id });
  assert.equal(await storage.notebooks.forkCount(notebookId), before + 1);
  assert.match(await renderPublished(slug), new RegExp(`${before + 1} forks?`));
  assert.equal((await loadNotebookJSON(storage, forkId)).cells.length, 2);
});

test('fork of a notebook one has a role on; strangers cannot fork it', async () => {
  assert.equal((await forkRoute(req(`/api/notebooks/${notebookId}/fork`, 'finn', { method: 'POST', body: {} }), nb(notebookId))).status, 404);
  const forked = await forkRoute(req(`/api/notebooks/${notebookId}/fork`, 'vic', { method: 'POST', body: {} }), nb(notebookId));
  assert.equal(forked.status, 201);
  const { id } = await forked.json();
  assert.equal(await storage.members.roleOf(id, idOf.vic), 'owner');
  assert.deepEqual(await storage.notebooks.originOf(id), { notebookId, versionId: null });
});

test('restore: editors restore through the collab server; viewers cannot', async () => {
  const { version } = await (await quickSave('edith', 'before the change')).json();
  const { replaceNotebookFromFile } = await import('../../library/notebook-files');
  await replaceNotebookFromFile(storage, notebookId, { fileName: 'other.py', text: '# %%\nchanged = True\n' });
  assert.deepEqual((await loadNotebookJSON(storage, notebookId)).cells.map((c) => c.source), ['changed = True']);

  assert.equal((await restoreRoute(req(`/api/versions/${version.id}/restore`, 'vic', { method: 'POST' }), ver(version.id))).status, 403);
  const restored = await restoreRoute(req(`/api/versions/${version.id}/restore`, 'edith', { method: 'POST' }), ver(version.id));
  assert.equal(restored.status, 200);
  assert.equal((await restored.json()).url, `/notebooks/${notebookId}`);
  assert.deepEqual((await loadNotebookJSON(storage, notebookId)).cells.map((c) => c.source), ['# Results\n\nThe **plot**:', 'plot()']);
  assert.equal((await restoreRoute(req('/api/versions/nope/restore', 'edith', { method: 'POST' }), ver('nope'))).status, 404);
});

test('save & run all: a viewer cannot start it; its owner starts it, everyone follows it; the published page shows the badge', { timeout: 120_000 }, async () => {
  const runNotebookId = (await createNotebook(storage, {
    title: 'Clean run',
    notebook: { ...notebook, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' } },
      cells: [{ id: 'a', cell_type: 'code', metadata: {}, source: 'print(6 * 7)', execution_count: 1, outputs: [{ output_type: 'stream', name: 'stdout', text: '41\n' }] }] } as NotebookJSON,
  })).id;
  await storage.members.grant(runNotebookId, idOf.olga, 'owner');
  await storage.members.grant(runNotebookId, idOf.vic, 'viewer');
  const path = `/api/notebooks/${runNotebookId}/versions/run`;
  assert.equal((await runRoute(req(path, 'vic', { method: 'POST', body: {} }), nb(runNotebookId))).status, 403);
  const started = await runRoute(req(path, 'olga', { method: 'POST', body: { name: 'clean' } }), nb(runNotebookId));
  assert.equal(started.status, 202);
  assert.equal((await started.json()).run.state, 'running');
  assert.equal((await runRoute(req(path, 'olga', { method: 'POST', body: {} }), nb(runNotebookId))).status, 409);

  const deadline = Date.now() + 90_000;
  let run;
  for (;;) {
    ({ run } = await (await runStateRoute(req(path, 'vic'), nb(runNotebookId))).json());
    if (run.state !== 'running') break;
    if (Date.now() > deadline) throw new Error('the run did not finish');
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(run.state, 'done', run.error);
  assert.deepEqual(run.progress, { codeCellNumber: 1, codeCellCount: 1, index: 0 });
  const version = await storage.versions.get(run.versionId);
  assert.equal(version?.kind, 'fresh-run');
  assert.deepEqual((version!.runResult as { cells: unknown[] }).cells, [{ index: 0, id: 'a', status: 'ran', differs: true }]);

  const { slug } = await (await publishRoute(req(`/api/versions/${version!.id}/publish`, 'olga', { method: 'POST' }), ver(version!.id))).json();
  const html = await renderPublished(slug);
  assert.match(html, /data-testid="reproducible-badge"/);
  assert.match(html, /data-testid="freshness" data-state="fresh"[^>]*>✓ All outputs fresh/, 'the clean run left a run record on every cell, all fresh');
  assert.match(html, />42\n?</);
});

test('save & run all while the kernel bridge is down: 503 saying so, without the fetch error', async () => {
  // A port nothing listens on: opened, then closed.
  const { createServer } = await import('node:net');
  const closed = createServer();
  const port = await new Promise<number>((resolve) => closed.listen(0, '127.0.0.1', () => resolve((closed.address() as { port: number }).port)));
  await new Promise((resolve) => closed.close(resolve));
  const previous = process.env.CELLMATE_BRIDGE_INTERNAL_URL;
  process.env.CELLMATE_BRIDGE_INTERNAL_URL = `http://127.0.0.1:${port}`;
  try {
    const path = `/api/notebooks/${notebookId}/versions/run`;
    const refused = await runRoute(req(path, 'olga', { method: 'POST', body: { name: 'while down' } }), nb(notebookId));
    assert.equal(refused.status, 503);
    const body = await refused.json();
    assert.equal(body.code, API_ERROR.serviceUnavailable);
    assert.equal(body.error, 'The kernel bridge, which runs "Save & run all", cannot be reached; try again shortly, and tell the administrator if it persists.');
  } finally {
    if (previous === undefined) delete process.env.CELLMATE_BRIDGE_INTERNAL_URL;
    else process.env.CELLMATE_BRIDGE_INTERNAL_URL = previous;
  }
});
