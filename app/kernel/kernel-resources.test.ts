import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, kernelResourcesOf, memoryLevel, outOfMemoryText, shapeText } from './kernel-resources';

const variable = (name: string, size: number | null, extra = {}) => ({ name, type: 'int', size, shape: null, length: null, repr: '1', ...extra });

test('the published resources are validated; anything malformed is ignored, the newest bridge entry wins', () => {
  const ok = { variables: { state: 'ok', at: 1, total: 1, list: [variable('x', 28)] } };
  assert.equal(kernelResourcesOf([{ clientId: 1, state: { kernelResources: { variables: { state: 'ok', list: 'nope' } } }, lastUpdated: 5 }]), null);
  assert.equal(kernelResourcesOf([{ clientId: 1, state: { kernelResources: { variables: { state: 'ok', at: 1, total: 1, list: [variable('x'.repeat(500), 1)] } } }, lastUpdated: 5 }]), null, 'an over-long name');
  const older = { variables: { state: 'unavailable', reason: 'old' } };
  const got = kernelResourcesOf([
    { clientId: 1, state: { kernelResources: older }, lastUpdated: 1 },
    { clientId: 2, state: { kernelResources: ok }, lastUpdated: 2 },
  ]);
  assert.equal(got?.variables.state, 'ok');
});

test('sizes, shapes, memory levels and the out-of-memory sentence', () => {
  assert.equal(formatBytes(812), '812 B');
  assert.equal(formatBytes(100 * 2 ** 20), '100 MB');
  assert.equal(formatBytes(1.6 * 2 ** 30), '1.6 GB');
  assert.equal(shapeText(variable('a', 1, { shape: [1000, 3] })), '1000 × 3');
  assert.equal(shapeText(variable('a', 1, { length: 12 })), 'len 12');
  assert.equal(memoryLevel({ usedBytes: 100, at: 0 }), 'ok');
  assert.equal(memoryLevel({ usedBytes: 79, limitBytes: 100, at: 0 }), 'ok');
  assert.equal(memoryLevel({ usedBytes: 85, limitBytes: 100, at: 0 }), 'warning');
  assert.equal(memoryLevel({ usedBytes: 96, limitBytes: 100, at: 0 }), 'critical');
  assert.equal(
    outOfMemoryText({ at: 0, largest: [variable('big', 800 * 2 ** 20), variable('frame', 2 ** 30 * 0.5)] }),
    'The kernel ran out of memory. Largest variables at the last refresh: big (800 MB), frame (512 MB).',
  );
});
