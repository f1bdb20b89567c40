// "Save & run all" runs in the bridge, on the same quota as the live kernels:
// a fresh run and the live kernels together stay within KERNEL_MAX_TOTAL and
// the per-person limit, refusals say why and leave nothing behind, and a
// finished run frees its place. Real kernels, a real database, the real HTTP
// API. Each run waits on a gate file the test creates, so the runs are provably
// going at the same time; the kernels are unsandboxed here (a sandboxed kernel
// cannot see the gate, by design: sandbox-escape.test.ts covers the sandbox).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadVersionNotebook } from '../library/versions';
import type { CodeCellJSON } from '../notebook-model/nbformat/types';
import { API_ERROR, type FreshRunState } from '../notebook-model/service-protocol';
import { executionState, startRig, waitFor, KERNEL_DEADLINE_MS, type Rig } from './bridge-test-harness';
import { unsandboxedProvider } from './local-provider';

const LONG = { timeout: 240_000 };
let rig: Rig;
let gate = '';

before(async () => {
  rig = await startRig({ limits: { maxTotal: 2, maxPerPerson: 1 }, memoryLimitMb: 1024, provider: unsandboxedProvider() });
  gate = join(rig.dataDir, 'gate');
});
after(async () => {
  writeFileSync(gate, '');
  await rig?.close();
});

/** One cell that waits for the gate file, then prints the kernel's data-size limit. */
const gatedSource = () => [
  'import os, time, resource',
  `while not os.path.exists(${JSON.stringify(gate)}): time.sleep(0.05)`,
  'print(resource.getrlimit(resource.RLIMIT_DATA)[0])',
].join('\n');

const person = (name: string) => ({ name, userId: `user-${name}` });

async function freshRun(notebookId: string, name: string): Promise<{ status: number; body: any }> {
  return rig.post(`/notebooks/${notebookId}/fresh-run`, await rig.token(notebookId, 'editor', person(name)), { name: `${name}'s run` });
}

async function runState(notebookId: string): Promise<FreshRunState | null> {
  const { status, body } = await rig.get(`/notebooks/${notebookId}/fresh-run`, await rig.token(notebookId, 'viewer', person('vic')));
  assert.equal(status, 200);
  return body.run;
}

async function finished(notebookId: string): Promise<FreshRunState> {
  const state = await waitFor(async () => {
    const now = await runState(notebookId);
    return now && now.state !== 'running' ? now : null;
  }, KERNEL_DEADLINE_MS, `the fresh run of ${notebookId} to end`);
  return state!;
}

test('fresh runs and live kernels share one quota, per person and per machine; a viewer follows but cannot start; a finished run frees its place', LONG, async () => {
  const gated = gatedSource();
  const live = await rig.notebook(['print("live")'], 'ada live');
  const [adaRun, bobRun, cyRun] = await Promise.all(['ada run', 'bob run', 'cy run'].map((title) => rig.notebook([gated], title)));
  const cyLive = await rig.notebook(['print("cy live")'], 'cy live');

  // Ada's live kernel is her one kernel: her fresh run is refused.
  const view = await rig.browser(live.id);
  assert.equal((await rig.post(`/notebooks/${live.id}/execute`, await rig.token(live.id, 'editor', person('ada')), { cellIds: ['cell0'] })).status, 202);
  await waitFor(() => executionState(view.doc, 'cell0') === 'idle' && rig.registry.quota.size === 1, KERNEL_DEADLINE_MS, 'Ada\'s live kernel');
  const personal = await freshRun(adaRun.id, 'ada');
  assert.equal(personal.status, 429);
  assert.equal(personal.body.code, API_ERROR.limitReached);
  assert.match(personal.body.error, /You already have a kernel running/);
  assert.equal(await runState(adaRun.id), null, 'a refused run left a state behind');

  // A viewer may follow a run but not start one.
  assert.equal((await rig.post(`/notebooks/${bobRun.id}/fresh-run`, await rig.token(bobRun.id, 'viewer', person('vic')), {})).status, 403);

  // Bob's run takes the machine's second place: Cy can start neither a run nor a live kernel.
  const bob = await freshRun(bobRun.id, 'bob');
  assert.equal(bob.status, 202, JSON.stringify(bob.body));
  assert.equal(bob.body.run.state, 'running');
  assert.equal((await freshRun(bobRun.id, 'bob')).status, 409, 'a second run of the same notebook while one is going');
  assert.equal(rig.registry.quota.size, 2);
  const machine = await freshRun(cyRun.id, 'cy');
  assert.equal(machine.status, 503);
  assert.match(machine.body.error, /maximum of 2 kernels/);
  const cyLiveRefused = await rig.post(`/notebooks/${cyLive.id}/execute`, await rig.token(cyLive.id, 'editor', person('cy')), { cellIds: ['cell0'] });
  assert.equal(cyLiveRefused.status, 503, 'a live kernel was started beyond KERNEL_MAX_TOTAL while a fresh run held a place');

  writeFileSync(gate, '');
  const done = await finished(bobRun.id);
  assert.equal(done.state, 'done', done.error ?? '');
  assert.deepEqual(done.progress, { codeCellNumber: 1, codeCellCount: 1, index: 0 });
  const executed = await loadVersionNotebook(rig.storage, done.versionId!);
  const printed = (executed.cells[0] as CodeCellJSON).outputs.map((o) => ('text' in o ? String(o.text) : '')).join('');
  assert.equal(printed.trim(), String(1024 * 1024 * 1024), 'the run\'s kernel was not under the memory limit');
  await waitFor(() => rig.registry.quota.size === 1, 10_000, 'the finished run to free its place');

  // Its place is free again: Cy's run goes.
  const cy = await freshRun(cyRun.id, 'cy');
  assert.equal(cy.status, 202, JSON.stringify(cy.body));
  assert.equal((await finished(cyRun.id)).state, 'done');
});
