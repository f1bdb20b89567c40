// The collab server's check of a kernel bridge's lease fence (lease-fence.ts),
// against the machine's real Redis (a fresh key prefix) with a real server and
// y-websocket clients: a bridge socket writes while its fence is the last one
// issued, in the order it sent; once a newer fence is issued its next write
// closes it with 4412 and reaches neither storage nor anyone else; a fence that
// was never issued writes nothing. (Bridge processes and leases for real:
// kernel-bridge/bridge-fencing.test.ts.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import * as Y from 'yjs';
import { cellsOf, insertCell } from '../notebook-model';
import { closeCodes, kernelFenceKey } from '../notebook-model/service-protocol';
import { ClusterLink } from './cluster-link';
import { testRedisUrl } from './cluster-rig';
import { sourceOf, startRig, waitFor, type Rig } from './test-rig';

const prefix = `test-fence-${randomBytes(5).toString('hex')}:`;
const logs: string[] = [];
let peers: ClusterLink;
let redis: Redis;
let rig: Rig;

before(async () => {
  peers = await ClusterLink.connect({ redisUrl: testRedisUrl, nodeId: 'fence-node', prefix }, (m) => logs.push(m));
  redis = new Redis(testRedisUrl);
  rig = await startRig({ peers, log: (m) => logs.push(m) });
});
after(async () => {
  await rig?.close();
  await peers?.close();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis?.disconnect();
});

const source = (doc: Y.Doc) => cellsOf(doc).get(0).get('source') as Y.Text;

test('a bridge writes in order while its fence is the last issued; after a newer one, its next write closes it (4412) unseen and unstored', { timeout: 30_000 }, async () => {
  const id = await rig.newNotebook(['']);
  await redis.set(kernelFenceKey(prefix, id), '3');
  const viewer = await rig.connect(id, { name: 'Vic', role: 'viewer' });
  const bridge = await rig.connect(id, { name: 'Kernel', kernelBridge: true, kernelFence: 3 });
  // A burst: each write waits for its own Redis read, and still they land in the order sent.
  for (const ch of 'abcdef') source(bridge.doc).insert(source(bridge.doc).length, ch);
  await waitFor(() => sourceOf(viewer.doc, 0) === 'abcdef', 'the viewer to see the burst in order');

  await redis.set(kernelFenceKey(prefix, id), '4'); // another bridge took the lease
  source(bridge.doc).insert(6, 'STALE');
  await waitFor(() => bridge.closes.some((c) => c.code === closeCodes.staleKernelLease), 'the stale bridge to be closed with 4412');
  assert.ok(logs.some((line) => /\(4412\): kernel lease fence 3 was superseded by fence 4/.test(line)), logs.join('\n'));
  await rig.server.close(); // everything accepted is stored on close
  assert.equal(sourceOf(viewer.doc, 0), 'abcdef');
  assert.equal(sourceOf(await rig.stored(id), 0), 'abcdef');
  await rig.restart();
});

test('a bridge presenting a fence never issued for the notebook writes nothing', { timeout: 30_000 }, async () => {
  const id = await rig.newNotebook(['kept']);
  const doc = new Y.Doc();
  insertCell(doc, 0, { cell_type: 'code', source: 'written under no lease' }); // goes out in its sync step 2
  const bridge = await rig.open(id, { name: 'Kernel', kernelBridge: true, kernelFence: 1, doc });
  await waitFor(() => bridge.closes.some((c) => c.code === closeCodes.staleKernelLease), 'the socket to be closed with 4412');
  const viewer = await rig.connect(id, { name: 'Vic', role: 'viewer' });
  assert.deepEqual(cellsOf(viewer.doc).toArray().map((_, i) => sourceOf(viewer.doc, i)), ['kept']);
  assert.equal(cellsOf(await rig.stored(id)).length, 1);
});

test('a bridge that writes and leaves at once (a lost kernel\'s runs reset) has its last writes stored', { timeout: 30_000 }, async () => {
  const id = await rig.newNotebook(['']);
  await redis.set(kernelFenceKey(prefix, id), '7');
  const viewer = await rig.connect(id, { name: 'Vic', role: 'viewer' });
  const bridge = await rig.connect(id, { name: 'Kernel', kernelBridge: true, kernelFence: 7 });
  source(bridge.doc).insert(0, 'last words');
  bridge.destroy(); // the socket closes while the write waits for its fence check
  await waitFor(() => sourceOf(viewer.doc, 0) === 'last words', 'the viewer to see the write sent just before the close');
  assert.equal(sourceOf(await rig.stored(id), 0), 'last words');
});
