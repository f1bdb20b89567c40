// A hostile or broken kernel gateway. A real Jupyter Server cannot be made to send
// malformed answers, so this file stands up a fake one (node:http and `ws`, real
// sockets) that sends what a compromised or buggy gateway could: oversized and
// malformed REST answers, and websocket frames of every wrong shape. The bridge
// refuses each with a clear error or drops and counts it; nothing crashes, and
// the valid messages around them still arrive.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { GatewayProvider } from './gateway-provider';
import { MAX_GATEWAY_RESPONSE_BYTES } from './gateway-client';
import { MAX_GATEWAY_MESSAGE_BYTES } from './gateway-messages';
import type { JupyterMessage } from './wire-protocol';
import { waitFor } from './wait-for';

const KERNEL = 'k-1';
const goodSpec = { name: 'python3', spec: { display_name: 'Python 3', language: 'python' } };

/** What the fake gateway answers; tests change it. */
const script = {
  kernelspecs: (): string => JSON.stringify({ default: 'python3', kernelspecs: { python3: goodSpec } }),
  startKernel: (): string => JSON.stringify({ id: KERNEL, name: 'python3' }),
  /** Called with each websocket and each message the bridge sends on it. */
  onMessage: (_ws: WebSocket, _msg: { header: { msg_id: string; msg_type: string }; channel: string }): void => {},
};
let server: Server;
let url: string;
let connections = 0;

before(async () => {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  server = createServer((req, res) => {
    const send = (status: number, body: string) => { res.writeHead(status, { 'Content-Type': 'application/json' }); res.end(body); };
    if (req.url === '/api/kernelspecs') return send(200, script.kernelspecs());
    if (req.url === '/api/kernels' && req.method === 'POST') return send(201, script.startKernel());
    if (req.url === `/api/kernels/${KERNEL}` && req.method === 'GET') return send(200, JSON.stringify({ id: KERNEL, name: 'python3', execution_state: 'idle' }));
    if (req.url === `/api/kernels/${KERNEL}` && req.method === 'DELETE') return send(204, '');
    send(404, '{"message":"not here"}');
  });
  server.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      connections += 1;
      ws.on('message', (data) => script.onMessage(ws, JSON.parse(data.toString())));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const provider = () => new GatewayProvider({ url, token: 'secret', requestTimeoutMs: 2_000, startTimeoutMs: 2_000 }, { reconnectAttempts: 3, reconnectMaxDelayMs: 100 });

/** A reply to `msg` on its channel, as a gateway would send it. */
function replyTo(msg: { header: { msg_id: string; msg_type: string }; channel: string }, content: Record<string, unknown> = { status: 'ok' }) {
  return JSON.stringify({
    channel: msg.channel,
    header: { msg_id: `r-${msg.header.msg_id}`, msg_type: msg.header.msg_type.replace('_request', '_reply'), session: 'k', username: 'k', date: '', version: '5.3' },
    parent_header: msg.header,
    metadata: {},
    content,
  });
}

test('REST answers over the size bound, not JSON, or of the wrong shape are refused with a clear error', async () => {
  const p = provider();
  script.kernelspecs = () => JSON.stringify({ kernelspecs: { python3: goodSpec }, padding: 'x'.repeat(MAX_GATEWAY_RESPONSE_BYTES) });
  await assert.rejects(p.listSpecs(), (err: Error) => err.message === `the kernel gateway at ${url} sent a malformed answer to GET /api/kernelspecs: the answer is over ${MAX_GATEWAY_RESPONSE_BYTES} bytes`);
  script.kernelspecs = () => '<html>hello</html>';
  await assert.rejects(p.listSpecs(), /malformed answer to GET \/api\/kernelspecs: the answer is not JSON/);
  script.kernelspecs = () => JSON.stringify({ kernelspecs: 'python3' });
  await assert.rejects(p.listSpecs(), /malformed answer to GET \/api\/kernelspecs: no "kernelspecs" object/);

  // One bad entry does not hide the good ones; it is counted.
  script.kernelspecs = () => JSON.stringify({ kernelspecs: { bad: { name: 'bad', spec: { display_name: 3 } }, python3: goodSpec } });
  assert.deepEqual((await p.listSpecs()).map((s) => s.name), ['python3']);
  assert.equal(p.client.malformedResponses, 4);

  // A kernel id that is not an id never reaches a URL.
  script.startKernel = () => JSON.stringify({ id: '../../api/contents', name: 'python3' });
  await assert.rejects(p.start('python3', { workDir: '/tmp' }), /malformed answer to POST \/api\/kernels: no valid kernel id/);
  script.startKernel = () => JSON.stringify({ id: KERNEL, name: 'python3' });
});

test('malformed websocket frames are dropped and counted; the valid reply after them arrives', async () => {
  const garbage = [
    'not json',
    '[1,2,3]',
    JSON.stringify({ channel: 'shell', header: { msg_id: 5, msg_type: 'x' }, content: {} }),
    JSON.stringify({ channel: 'nowhere', header: { msg_id: 'a', msg_type: 'x' }, content: {} }),
    JSON.stringify({ channel: 'iopub', header: { msg_id: 'a'.repeat(300), msg_type: 'status' }, content: {} }),
  ];
  script.onMessage = (ws, msg) => {
    if (msg.header.msg_type !== 'kernel_info_request') return;
    for (const g of garbage) ws.send(g);
    ws.send(Buffer.from([0, 0, 0, 9, 1, 2, 3]), { binary: true });
    ws.send(replyTo(msg, { status: 'ok', implementation: 'fake' }));
  };
  const kernel = await provider().start('python3', { workDir: '/tmp' });
  const drops: string[] = [];
  const iopub: JupyterMessage[] = [];
  const channels = kernel.connect({ dropped: (_c, reason) => drops.push(reason), iopub: (m) => iopub.push(m) });
  const reply = await channels.request('shell', 'kernel_info_request', {}).reply;
  assert.equal(reply.content.implementation, 'fake');
  assert.equal(channels.droppedMessages, garbage.length + 1);
  assert.equal(drops.length, garbage.length + 1);
  assert.ok(drops.includes('not JSON') && drops.includes('bad binary framing'), drops.join('; '));
  assert.deepEqual(iopub, []);
  assert.equal(kernel.end, null, 'the kernel lives on');
  await kernel.kill();
});

test('a websocket message over the size bound is dropped and counted; the socket is reopened and the kernel goes on', async () => {
  let sentHuge = false;
  script.onMessage = (ws, msg) => {
    if (msg.header.msg_type !== 'kernel_info_request') return;
    if (!sentHuge) {
      sentHuge = true;
      ws.send(Buffer.alloc(MAX_GATEWAY_MESSAGE_BYTES + 1024, 0x20));
      return;
    }
    ws.send(replyTo(msg, { status: 'ok', implementation: 'after' }));
  };
  const before = connections;
  const kernel = await provider().start('python3', { workDir: '/tmp' });
  const channels = kernel.connect({});
  const first = channels.request('shell', 'kernel_info_request', {}).reply;
  await waitFor(() => channels.droppedMessages === 1, 10_000, 'the oversized message to be dropped');
  await waitFor(() => connections === before + 2, 10_000, 'the socket to be reopened');
  const second = await channels.request('shell', 'kernel_info_request', {}).reply;
  assert.equal(second.content.implementation, 'after');
  assert.equal(kernel.end, null);
  await kernel.kill();
  await assert.rejects(first, /shut down/, 'the request whose answer was too big settles when the kernel ends');
});
