// The import, export and replace route handlers called as Next calls them (a
// Request in, a Response out), on a real SQLite database in a temporary folder.
// The collab server's replace endpoint is played by a small real HTTP server
// that checks the token and decodes the state as the collab server does: this
// keeps the test about the routes, independent of the collab server's own tests.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { openStorage } from '../../storage';
import { docToNotebook } from '../../notebook-model';
import { parseNotebook } from '../../notebook-model/nbformat';
import { notebooksDir } from '../../notebook-model/nbformat/test-corpus';
import { verifyNotebookToken } from '../../auth/notebook-token';
import { MAX_NOTEBOOK_FILE_BYTES } from '../../library/notebook-files';
import { API_ERROR } from '../../notebook-model/service-protocol';
import { getAccounts } from '../server/accounts';
import { getStorage } from '../server/storage';
import { setUpTemporaryDataDir } from './route-test-kit';
import { POST as importRoute } from './notebooks/import/route';
import { GET as exportRoute } from './notebooks/[id]/export/route';
import { POST as replaceRoute } from './notebooks/[id]/replace/route';

const dataDir = setUpTemporaryDataDir('routes');

let collab: Server;
let sessionCookie = '';
/** Request options carrying the signed-in user's session cookie. */
const signedIn = (init: RequestInit = {}): RequestInit => ({ ...init, headers: { cookie: sessionCookie, ...(init.headers as Record<string, string>) } });
const replaced: { id: string; role: string; cells: number }[] = [];

before(async () => {
  await (await openStorage()).close(); // what `npm start` does before the app starts: migrate
  // Every route needs a signed-in user; this one owns what it imports.
  const signedUp = await (await getAccounts()).api.signUpEmail({
    body: { email: 'routes@example.test', password: 'route tests pw', name: 'Routes' },
    asResponse: true,
  });
  sessionCookie = signedUp.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  collab = createServer((req, res) => {
    const match = /^\/notebooks\/([^/]+)\/replace$/.exec(req.url ?? '');
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      try {
        const grant = await verifyNotebookToken(req.headers.authorization?.replace(/^Bearer /, ''));
        if (!match || req.method !== 'POST' || grant.notebookId !== decodeURIComponent(match[1])) throw new Error('wrong notebook');
        const doc = new Y.Doc();
        Y.applyUpdate(doc, new Uint8Array(Buffer.concat(chunks)));
        replaced.push({ id: grant.notebookId, role: grant.role, cells: docToNotebook(doc).cells.length });
        res.setHeader('content-type', 'application/json').end(JSON.stringify({ epoch: 'epoch-2' }));
      } catch (err) {
        res.writeHead(401).end((err as Error).message);
      }
    });
  });
  await new Promise<void>((resolve) => collab.listen(0, '127.0.0.1', resolve));
  const address = collab.address();
  process.env.COLLAB_PORT = String(typeof address === 'object' && address ? address.port : 0);
});

after(async () => {
  await (await getStorage()).close();
  await new Promise((resolve) => collab.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

const corpusText = (name: string) => readFileSync(join(notebooksDir, 'corpus', name), 'utf8');
const invalidText = (name: string) => readFileSync(join(notebooksDir, 'invalid', name), 'utf8');
const params = (id: string) => ({ params: Promise.resolve({ id }) });

function upload(url: string, files: { name: string; text: string }[]): Request {
  const form = new FormData();
  for (const f of files) form.append('file', new File([f.text], f.name));
  return new Request(`http://localhost${url}`, signedIn({ method: 'POST', body: form }));
}

async function importOne(name: string, text: string): Promise<string> {
  const res = await importRoute(upload('/api/notebooks/import', [{ name, text }]));
  assert.equal(res.status, 200);
  return (await res.json()).files[0].id;
}

test('import answers per file: 200 when all import, 422 listing the refused ones', async () => {
  const ok = await importRoute(upload('/api/notebooks/import', [
    { name: 'pdsh-03.09-Pivot-Tables.ipynb', text: corpusText('pdsh-03.09-Pivot-Tables.ipynb') },
    { name: 'script.py', text: '# %%\nprint(1)\n' },
  ]));
  assert.equal(ok.status, 200);
  const { files } = await ok.json();
  assert.equal(files.length, 2);
  for (const f of files) assert.equal(f.url, `/notebooks/${f.id}`);
  const storage = await getStorage();
  assert.equal((await storage.notebooks.get(files[1].id))?.title, 'script');

  const before = (await storage.notebooks.list()).length;
  const mixed = await importRoute(upload('/api/notebooks/import', [
    { name: 'bad.ipynb', text: invalidText('nbformat-invalid.ipynb') },
    { name: 'good.py', text: 'x = 1\n' },
    { name: 'notes.txt', text: 'hi' },
  ]));
  assert.equal(mixed.status, 422);
  const body = await mixed.json();
  assert.equal(body.files[0].fileName, 'bad.ipynb');
  assert.ok(body.files[0].problems.some((p: string) => /unknown cell_type "heading"/.test(p)));
  assert.ok(body.files[1].id);
  assert.match(body.files[2].error, /only Jupyter notebooks/);
  assert.equal((await storage.notebooks.list()).length, before + 1, 'only the good file became a notebook');

  const empty = await importRoute(new Request('http://localhost/api/notebooks/import', signedIn({ method: 'POST', body: new FormData() })));
  assert.equal(empty.status, 400);
});

test('export downloads each format as an attachment; unknown ids 404, unknown formats 400', async () => {
  const text = corpusText('nbformat-test4.5.ipynb');
  const id = await importOne('Ünïcode "title".ipynb', text);
  const get = (query: string, nbId = id) => exportRoute(new Request(`http://localhost/api/notebooks/${nbId}/export${query}`, signedIn()), params(nbId));

  const ipynb = await get('');
  assert.equal(ipynb.status, 200);
  assert.match(ipynb.headers.get('content-disposition')!, /^attachment; filename="_n_code -title-\.ipynb"; filename\*=UTF-8''%C3%9Cn%C3%AFcode%20-title-\.ipynb$/);
  assert.deepEqual(parseNotebook(await ipynb.text()), parseNotebook(text));

  const stripped = JSON.parse(await (await get('?format=stripped')).text());
  assert.ok(stripped.cells.every((c: { cell_type: string; outputs?: unknown[] }) => c.cell_type !== 'code' || c.outputs!.length === 0));
  assert.match(await (await get('?format=py')).text(), /^# %%/m);
  const html = await get('?format=html');
  assert.match(html.headers.get('content-type')!, /^text\/html/);
  assert.match(await html.text(), /<html/);

  assert.equal((await get('?format=pdf')).status, 400);
  const missing = await get('', 'no-such-id');
  assert.equal(missing.status, 404);
  assert.match((await missing.json()).error, /does not exist/);
});

test('replace validates the file, then sends the new state to the collab server with an owner token', async () => {
  const id = await importOne('first.ipynb', corpusText('nbformat-test4.5.ipynb'));
  const replace = (name: string, text: string, nbId = id) => replaceRoute(upload(`/api/notebooks/${nbId}/replace`, [{ name, text }]), params(nbId));

  const refused = await replace('bad.ipynb', invalidText('nbformat-invalid_cell_id.ipynb'));
  assert.equal(refused.status, 422);
  assert.ok((await refused.json()).problems.some((p: string) => /illegal_chars/.test(p)));
  assert.equal(replaced.length, 0, 'a refused file never reaches the collab server');

  const ok = await replace('new.py', '# %%\na = 1\n\n# %%\nb = 2\n');
  assert.equal(ok.status, 200, await ok.clone().text());
  assert.deepEqual(await ok.json(), { id, epoch: 'epoch-2' });
  assert.deepEqual(replaced, [{ id, role: 'owner', cells: 2 }]);

  assert.equal((await replace('x.py', 'x = 1\n', 'no-such-id')).status, 404);

  process.env.COLLAB_PORT = '9'; // nothing listens on the discard port
  const down = await replace('new.py', 'x = 1\n');
  assert.equal(down.status, 503);
  assert.match((await down.json()).error, /collab server .* is not reachable/);
});

/** A multipart body of `total` bytes made on demand, counting what the reader pulled from it. */
function endlessUpload(total: number): { body: ReadableStream<Uint8Array>; pulled: () => number } {
  const boundary = 'cellmate-test-boundary';
  const head = new TextEncoder().encode(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="huge.ipynb"\r\n\r\n`);
  const chunk = new Uint8Array(1024 * 1024).fill(0x20);
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= total) return controller.close();
      const next = pulled === 0 ? head : chunk;
      pulled += next.byteLength;
      controller.enqueue(next);
    },
  }, { highWaterMark: 0 });
  return { body, pulled: () => pulled };
}

test('an import body over the limit is refused with 413 while it streams in, never read whole', async () => {
  const total = 150 * 1024 * 1024;
  const upload = endlessUpload(total);
  const res = await importRoute(new Request('http://localhost/api/notebooks/import', signedIn({
    method: 'POST',
    body: upload.body,
    headers: { 'content-type': 'multipart/form-data; boundary=cellmate-test-boundary' },
    duplex: 'half',
  } as RequestInit)));
  assert.equal(res.status, 413);
  const body = await res.json();
  assert.equal(body.code, API_ERROR.bodyTooLarge);
  assert.match(body.error, /larger than/);
  assert.ok(upload.pulled() < MAX_NOTEBOOK_FILE_BYTES + 4 * 1024 * 1024, `read ${upload.pulled()} bytes of ${total}`);

  // Declared too large: refused before a byte is read.
  const declared = endlessUpload(total);
  const early = await importRoute(new Request('http://localhost/api/notebooks/import', signedIn({
    method: 'POST',
    body: declared.body,
    headers: { 'content-type': 'multipart/form-data; boundary=cellmate-test-boundary', 'content-length': String(total) },
    duplex: 'half',
  } as RequestInit)));
  assert.equal(early.status, 413);
  assert.equal(declared.pulled(), 0);
});

test('a valid notebook nested 20,000 levels deep is refused with 422 naming the depth, never a 500', async () => {
  const depth = 20_000;
  const deep = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
  const text = `{"nbformat":4,"nbformat_minor":5,"metadata":{"deep":${deep}},"cells":[]}`;
  const res = await importRoute(upload('/api/notebooks/import', [{ name: 'deep.ipynb', text }]));
  assert.equal(res.status, 422);
  const [file] = (await res.json()).files;
  assert.ok(file.problems.some((p: string) => /nested more than \d+ levels deep/.test(p)), JSON.stringify(file.problems));
});

test('a body that is not the multipart form the route takes is a 400 with a message', async () => {
  const res = await importRoute(new Request('http://localhost/api/notebooks/import', signedIn({
    method: 'POST', body: '{"not":"a form"}', headers: { 'content-type': 'application/json' },
  })));
  assert.equal(res.status, 400);
  const body = await res.json();
  assert.equal(typeof body.error, 'string');
  assert.equal(body.code, API_ERROR.invalidRequest);
});
