// The HTTP edge of the bridge on a real socket: health, CORS, token checks, body
// validation and limits. None of these requests may reach a kernel, so the
// backend here lists the real kernelspecs but refuses to start anything, and the
// collab URL points at a closed port (the one case that tries to join a room).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signNotebookToken } from '../auth/notebook-token';
import { listKernelSpecs } from './kernelspecs';
import { createBridgeServer, listenBridge, maxBodyBytes } from './http-api';
import { SessionRegistry } from './session-registry';
import { API_ERROR } from '../notebook-model/service-protocol';

process.env.CELLMATE_SECRET ??= 'bridge-test-secret';

let server: Server;
let base: string;
let closedPort: number;

before(async () => {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((r) => probe.close(r));
  const registry = new SessionRegistry({
    collabUrl: `ws://127.0.0.1:${closedPort}`,
    backend: {
      listSpecs: async () => (await listKernelSpecs()).specs,
      start: () => Promise.reject(new Error('no kernel may start in this test')),
    },
    kernelsDir: '/nonexistent',
    idleTimeoutMs: 0,
    syncTimeoutMs: 1500,
  });
  server = createBridgeServer(registry);
  base = `http://127.0.0.1:${await listenBridge(server, 0, '127.0.0.1')}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const token = (notebookId: string, role: 'owner' | 'editor' | 'viewer' = 'editor') =>
  signNotebookToken({ notebookId, role, name: 'Ada', userId: 'u-ada' });

async function call(method: string, path: string, opts: { token?: string; body?: string; headers?: Record<string, string> } = {}) {
  const res = await fetch(base + path, {
    method,
    headers: { ...(opts.token ? { Authorization: `Bearer ${opts.token}` } : {}), ...opts.headers },
    body: opts.body,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

test('healthz answers without a token', async () => {
  const res = await call('GET', '/healthz');
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { ok: true });
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
});

test('CORS preflight allows the bearer header from any origin', async () => {
  const res = await call('OPTIONS', '/notebooks/nb/execute', {
    headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization, content-type' },
  });
  assert.equal(res.status, 204);
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
  assert.match(res.headers.get('access-control-allow-headers') ?? '', /Authorization/);
  assert.match(res.headers.get('access-control-allow-headers') ?? '', /Content-Type/);
  assert.match(res.headers.get('access-control-allow-methods') ?? '', /POST/);
});

test('kernelspecs need a valid token of any notebook and list python3', async () => {
  assert.equal((await call('GET', '/kernelspecs')).status, 401);
  const res = await call('GET', '/kernelspecs', { token: await token('any', 'viewer') });
  assert.equal(res.status, 200);
  assert.ok(res.body.kernelspecs.some((s: { name: string; language: string }) => s.name === 'python3' && s.language === 'python'));
});

test('token checks come before anything else', async () => {
  const body = JSON.stringify({ cellIds: ['a'] });
  const missing = await call('POST', '/notebooks/nb1/execute', { body });
  assert.equal(missing.status, 401);
  assert.match(missing.body.error, /token/i);
  assert.equal((await call('POST', '/notebooks/nb1/execute', { body, token: 'garbage' })).status, 401);
  const expired = await signNotebookToken({ notebookId: 'nb1', role: 'editor', name: 'A', userId: 'u' }, -10);
  assert.match((await call('POST', '/notebooks/nb1/execute', { body, token: expired })).body.error, /expired/);
  const other = await call('POST', '/notebooks/nb1/execute', { body, token: await token('nb2') });
  assert.equal(other.status, 403);
  assert.match(other.body.error, /another notebook/);
  for (const action of ['execute', 'interrupt', 'restart', 'shutdown', 'kernel', 'input', 'complete', 'inspect']) {
    const viewer = await call('POST', `/notebooks/nb1/${action}`, { body, token: await token('nb1', 'viewer') });
    assert.equal(viewer.status, 403, action);
    assert.match(viewer.body.error, /cannot run code/);
  }
});

test('bodies are validated before any kernel or room is touched', async () => {
  const t = await token('nb1');
  const cases: [string, string][] = [
    ['/notebooks/nb1/execute', '{"cellIds":[]}'],
    ['/notebooks/nb1/execute', '{"cellIds":"a"}'],
    ['/notebooks/nb1/execute', JSON.stringify({ cellIds: Array.from({ length: 10_001 }, (_, i) => `c${i}`) })],
    ['/notebooks/nb1/execute', '{not json'],
    ['/notebooks/nb1/kernel', '{}'],
    ['/notebooks/nb1/input', '{"value":3}'],
    ['/notebooks/nb1/complete', '{"code":"x","cursorPos":-1}'],
  ];
  for (const [path, body] of cases) {
    const res = await call('POST', path, { token: t, body });
    assert.equal(res.status, 400, `${path} ${body.slice(0, 40)}`);
    assert.equal(typeof res.body.error, 'string');
  }
  const unknownSpec = await call('POST', '/notebooks/nb1/kernel', { token: t, body: '{"name":"cobol"}' });
  assert.equal(unknownSpec.status, 400);
  assert.ok(unknownSpec.body.installed.includes('python3'));
});

test('oversized bodies get 413', async () => {
  const res = await call('POST', '/notebooks/nb1/input', { token: await token('nb1'), body: JSON.stringify({ value: 'x'.repeat(maxBodyBytes) }) });
  assert.equal(res.status, 413);
});

test('without a running kernel: interrupt and shutdown are no-ops, restart/complete/inspect/input say so', async () => {
  const t = await token('nb1');
  const interrupt = await call('POST', '/notebooks/nb1/interrupt', { token: t });
  assert.deepEqual([interrupt.status, interrupt.body], [200, { status: 'none' }]);
  const shutdown = await call('POST', '/notebooks/nb1/shutdown', { token: t });
  assert.deepEqual([shutdown.status, shutdown.body], [200, { status: 'none' }]);
  assert.equal((await call('POST', '/notebooks/nb1/restart', { token: t })).status, 409);
  const complete = await call('POST', '/notebooks/nb1/complete', { token: t, body: '{"code":"im","cursorPos":2}' });
  assert.equal(complete.status, 409);
  assert.match(complete.body.error, /kernel not started/);
  assert.equal(complete.body.code, API_ERROR.kernelNotStarted);
  assert.equal((await call('POST', '/notebooks/nb1/restart', { token: t })).body.code, API_ERROR.kernelNotStarted);
  assert.equal((await call('POST', '/notebooks/nb1/inspect', { token: t, body: '{"code":"len","cursorPos":3}' })).status, 409);
  assert.equal((await call('POST', '/notebooks/nb1/input', { token: t, body: '{"value":"x"}' })).status, 409);
});

test('an unreachable collab server is a 503 the user can act on', async () => {
  const res = await call('POST', '/notebooks/nb1/execute', { token: await token('nb1'), body: '{"cellIds":["a"]}' });
  assert.equal(res.status, 503);
  assert.match(res.body.error, /collab server/);
});

test('unknown routes and methods', async () => {
  assert.equal((await call('GET', '/nope')).status, 404);
  assert.equal((await call('GET', '/notebooks/nb1/execute', { token: await token('nb1') })).status, 405);
});

test('a malformed %-escape in the URL is a 400 naming it, never a 500', async () => {
  for (const path of ['/notebooks/%E0%A4%A/execute', '/notebooks/%/interrupt', '/notebooks/%zz/restart']) {
    const res = await call('POST', path, { token: await token('nb1'), body: '{"cellIds":["a"]}' });
    assert.equal(res.status, 400, path);
    assert.equal(res.body.code, API_ERROR.invalidPath);
    assert.match(res.body.error, /%-escape/);
  }
});

test('a body that is not JSON, or streams past the limit without a declared length, is refused with a code', async () => {
  const t = await token('nb1');
  const notJson = await call('POST', '/notebooks/nb1/execute', { token: t, body: '{"cellIds": [' });
  assert.deepEqual([notJson.status, notJson.body.code], [400, API_ERROR.invalidJson]);
  const chunk = new TextEncoder().encode(' '.repeat(64 * 1024));
  let sent = 0;
  const streamed = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent > maxBodyBytes * 4) return controller.close();
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  const res = await fetch(`${base}/notebooks/nb1/input`, { method: 'POST', headers: { Authorization: `Bearer ${t}` }, body: streamed, duplex: 'half' } as RequestInit)
    .then(async (r) => ({ status: r.status, body: await r.json() }))
    .catch((err: Error) => ({ status: 0, body: { error: err.message } }));
  assert.equal(res.status, 413, JSON.stringify(res.body));
  assert.equal(res.body.code, API_ERROR.bodyTooLarge);
});
