// The handover record of a notebook's gateway kernel (kernel-handover.ts),
// against the machine's real Redis: only the bridge whose fence the lease
// carries writes it, so an owner that lost its lease cannot overwrite what the
// new owner wrote; releasing the lease deletes it; a record that is not valid
// reads as none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { testRedisUrl } from '../collab-server/cluster-rig';
import type { HandoverRecord } from './kernel-handover';
import { KernelLeases } from './kernel-lease';

const record = (kernelId: string, cellId?: string): HandoverRecord => ({
  locator: { kernelId, sessionId: `session-${kernelId}` },
  specName: 'python3',
  queue: [{ cellId: 'c2', by: { name: 'Bo', userId: 'u-bo' } }],
  ...(cellId ? { run: { cellId, msgId: `msg-${cellId}`, by: { name: 'Ada', userId: 'u-ada' } } } : {}),
});

test('only the lease holder writes the handover record; releasing deletes it; a malformed record reads as none', async (t) => {
  const prefix = `test-handover-${randomBytes(5).toString('hex')}:`;
  const logs: string[] = [];
  const leases = async (nodeId: string) => KernelLeases.connect({
    settings: { redisUrl: testRedisUrl, nodeId, prefix },
    url: `http://${nodeId}.invalid`,
    ttlMs: 60_000,
    onLost: () => {},
    onOrphaned: async () => 'release',
    log: (message) => logs.push(message),
  });
  const a = await leases('bridge-a');
  const b = await leases('bridge-b');
  const raw = new Redis(testRedisUrl);
  t.after(async () => {
    await a.close();
    await b.close();
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length) await raw.del(...keys);
    await raw.quit();
  });

  await b.handovers.record('nb', record('k0'));
  assert.equal(await a.handovers.read('nb'), null, 'a bridge without the lease records nothing');

  assert.equal((await a.claim('nb')).nodeId, 'bridge-a');
  await a.handovers.record('nb', record('k1', 'c1'));
  assert.deepEqual(await b.handovers.read('nb'), record('k1', 'c1'));

  // Bridge a stalls past its lease; bridge b takes the notebook (a new fence).
  await raw.del(`${prefix}kernel-owner:nb`);
  assert.equal((await b.claim('nb')).fence, 2);
  await a.handovers.record('nb', record('stale'));
  assert.deepEqual(await b.handovers.read('nb'), record('k1', 'c1'), 'the stalled owner could not overwrite the record');
  await b.handovers.record('nb', record('k1'));
  assert.deepEqual(await a.handovers.read('nb'), record('k1'));

  await b.release('nb');
  assert.equal(await a.handovers.read('nb'), null, 'a clean release leaves nothing to take over');

  await raw.set(`${prefix}kernel-handover:nb`, JSON.stringify({ ...record('k2'), locator: { kernelId: '../../api', sessionId: 's' } }));
  assert.equal(await a.handovers.read('nb'), null);
  await raw.set(`${prefix}kernel-handover:nb`, 'not json');
  assert.equal(await a.handovers.read('nb'), null);
  assert.equal(logs.filter((l) => l.includes('malformed')).length, 2, 'each refusal is logged');
});
