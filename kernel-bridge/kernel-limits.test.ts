// Bounded kernels on one machine, end to end with real kernels: a per-person and
// a machine-wide limit on running kernels (refused with a message that says
// what to do, and nothing else disturbed), the Shut down action and the idle
// timeout giving the slot back, concurrent starts, and the memory ceiling.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { outputsOf, outputToJSON } from '../notebook-model';
import { cellById, executionCount, executionState, outputText, startRig, waitFor, type Rig } from './bridge-test-harness';
import { defaultKernelMemoryLimitMb, explainMemoryExit, memoryLimitedLaunch } from './kernel-memory-limit';

/** Starting a Python kernel takes seconds, more on a loaded machine; only a failure waits this long. */
const KERNEL_WAIT = 90_000;
const LONG = { timeout: 240_000 };

const people = {
  ada: { name: 'Ada', userId: 'user-ada' },
  bob: { name: 'Bob', userId: 'guest:bob-link-1' },
  grace: { name: 'Grace', userId: 'user-grace' },
};

/** Asks the bridge to run every cell of `nb` as `who`. */
async function run(rig: Rig, nb: { id: string; cellIds: string[] }, who: { name: string; userId: string }) {
  return rig.post(`/notebooks/${nb.id}/execute`, await rig.token(nb.id, 'editor', who), { cellIds: nb.cellIds });
}

/** The stored document's cells are as a refused run must leave them: idle, never run, no outputs. */
async function assertUntouched(rig: Rig, notebookId: string): Promise<void> {
  const stored = await rig.storedDoc(notebookId);
  try {
    assert.equal(executionState(stored, 'cell0'), 'idle');
    assert.equal(executionCount(stored, 'cell0'), null);
    assert.equal(outputsOf(cellById(stored, 'cell0')).length, 0);
  } finally {
    stored.destroy();
  }
}

describe('kernel limits: 2 per person, 3 on the machine', () => {
  let rig: Rig;
  before(async () => { rig = await startRig({ limits: { maxTotal: 3, maxPerPerson: 2 } }); });
  after(async () => { await rig?.close(); });

  test('a third kernel for one person is refused with what to do; others can still start one until the machine is full; Shut down frees a slot', LONG, async () => {
    const first = await rig.notebook(['print("first")'], 'Pandas basics');
    const second = await rig.notebook(['print("second")'], 'Plotting');
    const third = await rig.notebook(['print("third")'], 'Exercises');
    const fourth = await rig.notebook(['print("fourth")'], 'Extra');
    const firstView = await rig.browser(first.id);
    const secondView = await rig.browser(second.id);
    const thirdView = await rig.browser(third.id);

    assert.equal((await run(rig, first, people.ada)).status, 202);
    assert.equal((await run(rig, second, people.ada)).status, 202);
    await waitFor(() => outputText(firstView.doc, 'cell0') === 'first\n', KERNEL_WAIT, 'the first notebook to run');
    await waitFor(() => outputText(secondView.doc, 'cell0') === 'second\n', KERNEL_WAIT, 'the second notebook to run');

    const refused = await run(rig, third, people.ada);
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error,
      'You already have 2 kernels running (notebooks "Pandas basics", "Plotting"), the most one person may run at once; '
      + 'shut one down (Run ▾ › Shut down kernel in that notebook) to start another.');
    assert.deepEqual([refused.body.limit, refused.body.max, refused.body.notebookIds], ['person', 2, [first.id, second.id]]);
    // Refused before the bridge joined the notebook: no kernel presence, nothing queued or written.
    assert.equal(rig.registry.get(third.id), undefined);
    assert.equal(thirdView.kernel(), undefined);
    assert.equal(executionState(thirdView.doc, 'cell0'), 'idle');
    await assertUntouched(rig, third.id);
    // The person's other kernels are untouched (idle once their run's last status arrives).
    await waitFor(() => firstView.kernel()?.status === 'idle' && secondView.kernel()?.status === 'idle', KERNEL_WAIT, 'both kernels idle');

    // A collaborator running cells on Ada's notebook uses her kernel: no new charge.
    const onAdas = await rig.post(`/notebooks/${first.id}/execute`, await rig.token(first.id, 'editor', people.grace), { cellIds: ['cell0'] });
    assert.equal(onAdas.status, 202);
    await waitFor(() => executionCount(firstView.doc, 'cell0') === 2, KERNEL_WAIT, 'Grace\'s run on Ada\'s kernel');

    // Someone else (a guest) still gets a kernel: the machine has room for a third.
    assert.equal((await run(rig, third, people.bob)).status, 202);
    await waitFor(() => outputText(thirdView.doc, 'cell0') === 'third\n', KERNEL_WAIT, 'Bob\'s run');

    // Now the machine is full, whoever asks.
    const full = await run(rig, fourth, people.grace);
    assert.equal(full.status, 503);
    assert.equal(full.body.error, 'This machine is already running its maximum of 3 kernels; try again when one stops.');
    assert.deepEqual([full.body.limit, full.body.max, full.body.notebookIds], ['machine', 3, undefined]);
    await assertUntouched(rig, fourth.id);
    assert.equal(rig.registry.quota.size, 3);

    // Viewers cannot shut a kernel down.
    const byViewer = await rig.post(`/notebooks/${first.id}/shutdown`, await rig.token(first.id, 'viewer', people.grace));
    assert.equal(byViewer.status, 403);
    assert.equal(firstView.kernel()?.status, 'idle');

    // Ada shuts one of hers down: the kernel stops, the bridge leaves the room, the slot is free.
    const shutdown = await rig.post(`/notebooks/${first.id}/shutdown`, await rig.token(first.id, 'editor', people.ada));
    assert.deepEqual([shutdown.status, shutdown.body], [200, { status: 'none' }]);
    assert.equal(rig.registry.get(first.id), undefined);
    await waitFor(() => firstView.kernel() === undefined, 10_000, 'the kernel presence to leave the first notebook');
    assert.equal(rig.registry.quota.size, 2);
    assert.deepEqual(rig.registry.quota.chargedTo(people.ada.userId), [second.id]);
    // Shutting down a notebook without a kernel is harmless.
    assert.equal((await rig.post(`/notebooks/${first.id}/shutdown`, await rig.token(first.id, 'editor', people.ada))).status, 200);

    const fourthView = await rig.browser(fourth.id);
    assert.equal((await run(rig, fourth, people.ada)).status, 202);
    await waitFor(() => outputText(fourthView.doc, 'cell0') === 'fourth\n', KERNEL_WAIT, 'Ada\'s run after freeing a slot');
    assert.equal(secondView.kernel()?.status, 'idle', 'the other kernels kept running');
    assert.equal(thirdView.kernel()?.status, 'idle');
  });

  test('a restart that needs a new kernel process is charged like a start', LONG, async () => {
    // Carry on from a clean machine.
    for (const id of rig.registry.quota.chargedTo(people.ada.userId)) await rig.registry.shutDown(id);
    for (const id of rig.registry.quota.chargedTo(people.bob.userId)) await rig.registry.shutDown(id);
    assert.equal(rig.registry.quota.size, 0);
    const crashing = await rig.notebook(['import os; os._exit(1)', 'print("after")'], 'Crashing');
    const [a, b] = [await rig.notebook(['1'], 'A'), await rig.notebook(['2'], 'B')];
    const view = await rig.browser(crashing.id);
    assert.equal((await run(rig, crashing, people.grace)).status, 202);
    await waitFor(() => view.kernel()?.status === 'dead', KERNEL_WAIT, 'the kernel to die');
    assert.equal(rig.registry.quota.size, 0, 'a dead kernel holds no slot');
    // Grace fills her quota elsewhere; a restart would start a third process for her.
    assert.equal((await run(rig, a, people.grace)).status, 202);
    assert.equal((await run(rig, b, people.grace)).status, 202);
    const restart = await rig.post(`/notebooks/${crashing.id}/restart`, await rig.token(crashing.id, 'editor', people.grace));
    assert.equal(restart.status, 429);
    assert.match(restart.body.error, /^You already have 2 kernels running \(notebooks "A", "B"\)/);
    assert.equal(view.kernel()?.status, 'dead', 'the refused restart left the notebook as it was');
    assert.deepEqual(view.kernel()?.notRun, ['cell1']);
    // Someone with room restarts it instead, and the new kernel is theirs.
    const byAda = await rig.post(`/notebooks/${crashing.id}/restart`, await rig.token(crashing.id, 'editor', people.ada));
    assert.equal(byAda.status, 200);
    assert.deepEqual(rig.registry.quota.chargedTo(people.ada.userId), [crashing.id]);
    await waitFor(() => view.kernel()?.status === 'idle', KERNEL_WAIT, 'the restarted kernel');
  });
});

test('concurrent starts never pass a limit', LONG, async () => {
  const rig = await startRig({ limits: { maxTotal: 3, maxPerPerson: 2 } });
  try {
    const dan = { name: 'Dan', userId: 'user-dan' };
    const requests = [dan, dan, dan, people.bob, people.grace];
    const notebooks = await Promise.all(requests.map((_, i) => rig.notebook([`print(${i})`], `Concurrent ${i}`)));
    // The bridge is already in every room (as after earlier runs), so the early check
    // is skipped and only each session's charge, after its own awaits, stands between
    // these simultaneous requests and the limits.
    for (const nb of notebooks) await rig.registry.open(nb.id);
    const replies = await Promise.all(notebooks.map((nb, i) => run(rig, nb, requests[i])));
    const accepted = replies.flatMap((r, i) => (r.status === 202 ? [i] : []));
    assert.equal(accepted.length, 3, `statuses ${replies.map((r) => r.status).join(', ')}`);
    assert.ok(accepted.filter((i) => requests[i] === dan).length <= 2, 'Dan got at most 2');
    for (const [i, reply] of replies.entries()) {
      if (reply.status === 202) continue;
      assert.ok(reply.status === 429 || reply.status === 503, `refusal ${reply.status}: ${JSON.stringify(reply.body)}`);
      if (reply.status === 429) assert.equal(requests[i], dan);
      await assertUntouched(rig, notebooks[i].id);
      assert.equal(rig.registry.get(notebooks[i].id)?.state.queue.length ?? 0, 0);
    }
    assert.equal(rig.registry.quota.size, 3);
    for (const i of accepted) {
      const view = await rig.browser(notebooks[i].id);
      await waitFor(() => outputText(view.doc, 'cell0') === `${i}\n`, KERNEL_WAIT, `notebook ${i} to run`);
    }
  } finally {
    await rig.close();
  }
});

test('a kernel stopped by the idle timeout frees its slot', LONG, async () => {
  const rig = await startRig({ idleTimeoutMs: 500, limits: { maxTotal: 0, maxPerPerson: 1 } });
  try {
    // input() keeps the first kernel busy (never idle) until it is answered.
    const waiting = await rig.notebook(['name = input("name? ")'], 'Waiting');
    const next = await rig.notebook(['print("next")'], 'Next');
    const waitingView = await rig.browser(waiting.id);
    const nextView = await rig.browser(next.id);
    const token = await rig.token(waiting.id, 'editor', people.ada);
    assert.equal((await run(rig, waiting, people.ada)).status, 202);
    await waitFor(() => waitingView.kernel()?.inputRequest, KERNEL_WAIT, 'the input prompt');

    const refused = await run(rig, next, people.ada);
    assert.equal(refused.status, 429);
    assert.match(refused.body.error, /^You already have a kernel running \(notebook "Waiting"\)/);

    assert.equal((await rig.post(`/notebooks/${waiting.id}/input`, token, { value: 'Ada' })).status, 200);
    await waitFor(() => waitingView.kernel() === undefined, KERNEL_WAIT, 'the idle kernel to stop and leave the room');
    assert.equal(rig.registry.quota.size, 0);
    assert.equal((await run(rig, next, people.ada)).status, 202);
    await waitFor(() => outputText(nextView.doc, 'cell0') === 'next\n', KERNEL_WAIT, 'the run after the idle stop');
  } finally {
    await rig.close();
  }
});

test('Shut down while a cell runs leaves it idle, not running, for everyone', LONG, async () => {
  const rig = await startRig({ limits: { maxTotal: 1, maxPerPerson: 1 } });
  try {
    const nb = await rig.notebook(['name = input("name? ")', 'print("queued")'], 'Busy');
    const view = await rig.browser(nb.id);
    assert.equal((await run(rig, nb, people.ada)).status, 202);
    await waitFor(() => view.kernel()?.inputRequest, KERNEL_WAIT, 'the input prompt');
    assert.equal(executionState(view.doc, 'cell1'), 'queued');
    // Anyone who may run code can shut it down, not only the person it is charged to.
    assert.equal((await rig.post(`/notebooks/${nb.id}/shutdown`, await rig.token(nb.id, 'editor', people.grace))).status, 200);
    await waitFor(() => view.kernel() === undefined && executionState(view.doc, 'cell0') === 'idle' && executionState(view.doc, 'cell1') === 'idle', 10_000, 'both cells idle');
    assert.equal(executionCount(view.doc, 'cell1'), null);
    assert.equal(rig.registry.quota.size, 0);
  } finally {
    await rig.close();
  }
});

describe('memory ceiling', () => {
  test('numpy, pandas and matplotlib work under the default; allocating past it is a MemoryError and the kernel lives on', LONG, async () => {
    const rig = await startRig({ memoryLimitMb: defaultKernelMemoryLimitMb });
    try {
      const beyond = defaultKernelMemoryLimitMb + 512;
      const nb = await rig.notebook([
        'import resource; print(resource.getrlimit(resource.RLIMIT_DATA)[0] // 2**20)',
        [
          'import numpy as np, pandas as pd, matplotlib',
          'import matplotlib.pyplot as plt',
          'frame = pd.DataFrame({"x": np.arange(1000)})',
          'm = np.ones((300, 300))',
          'plt.plot(frame.x, frame.x ** 2); plt.show()',
          'print(int((m @ m).sum()), len(frame))',
        ].join('\n'),
        // Fails at once: the kernel never touches memory it cannot have.
        `block = bytearray(${beyond} * 2**20)`,
        'print("still alive")',
      ], 'Memory');
      const view = await rig.browser(nb.id);
      const token = await rig.token(nb.id, 'editor', people.ada);
      // One cell at a time: an error empties the queue, and the cell after the MemoryError must run.
      for (const id of nb.cellIds) {
        assert.equal((await rig.post(`/notebooks/${nb.id}/execute`, token, { cellIds: [id] })).status, 202);
        await waitFor(() => executionCount(view.doc, id) !== null && executionState(view.doc, id) === 'idle', KERNEL_WAIT, `${id} to run`);
      }
      assert.equal(outputText(view.doc, 'cell0'), `${defaultKernelMemoryLimitMb}\n`);
      assert.match(outputText(view.doc, 'cell1'), /27000000 1000\n/);
      assert.ok(outputsOf(cellById(view.doc, 'cell1')).toArray().some((o) => 'image/png' in ((outputToJSON(o) as { data?: object }).data ?? {})), 'the plot');
      assert.match(outputText(view.doc, 'cell2'), /^MemoryError: /);
      assert.equal(outputText(view.doc, 'cell3'), 'still alive\n');
      assert.equal(view.kernel()?.status, 'idle');
    } finally {
      await rig.close();
    }
  });

  test('a kernel SIGKILLed from outside, with memory to spare, is not reported as out of memory', LONG, async () => {
    const rig = await startRig({ memoryLimitMb: defaultKernelMemoryLimitMb });
    try {
      const nb = await rig.notebook(['import os, signal; os.kill(os.getpid(), signal.SIGKILL)'], 'Killed');
      const view = await rig.browser(nb.id);
      assert.equal((await run(rig, nb, people.ada)).status, 202);
      const dead = await waitFor(() => (view.kernel()?.status === 'dead' ? view.kernel() : undefined), KERNEL_WAIT, 'the kernel to die');
      // Sandboxed with a memory cgroup here, the bridge knows the limit was never reached.
      assert.equal(dead!.deadReason, 'kernel process was killed (SIGKILL) from outside the bridge, not for want of memory (its memory limit was never reached)');
    } finally {
      await rig.close();
    }
  });

  test('the launch goes through prlimit with RLIMIT_DATA, and fewer BLAS threads', () => {
    const launch = memoryLimitedLaunch(['python3', '-m', 'ipykernel_launcher'], 1024, { platform: 'linux', cpus: 64 });
    assert.match(launch.argv[0], /\/prlimit$/);
    assert.deepEqual(launch.argv.slice(1), [`--data=${1024 * 2 ** 20}:${1024 * 2 ** 20}`, '--', 'python3', '-m', 'ipykernel_launcher']);
    assert.deepEqual(launch.env, { OPENBLAS_NUM_THREADS: '2', OMP_NUM_THREADS: '2', MKL_NUM_THREADS: '2' });
    assert.deepEqual(memoryLimitedLaunch(['python3'], 0), { argv: ['python3'], env: {} });
  });

  test('without prlimit (or off Linux) kernels run unlimited, with a one-line warning', () => {
    const warnings: string[] = [];
    const warn = (m: string) => warnings.push(m);
    assert.deepEqual(memoryLimitedLaunch(['python3'], 1024, { platform: 'linux', path: '/nonexistent', warn }), { argv: ['python3'], env: {} });
    assert.deepEqual(memoryLimitedLaunch(['python3'], 1024, { platform: 'darwin', warn }), { argv: ['python3'], env: {} });
    assert.deepEqual(warnings, [
      'kernel bridge: KERNEL_MEMORY_LIMIT_MB=1024 is not applied (prlimit (util-linux) is not on PATH); kernels run without a memory limit.',
      'kernel bridge: KERNEL_MEMORY_LIMIT_MB=1024 is not applied (memory limits are only applied on Linux, this is darwin); kernels run without a memory limit.',
    ]);
  });

  test('a kernel that exits for want of memory under the ceiling says so', () => {
    const tail = 'Fatal Python error: _PyErr_NormalizeException: Cannot recover from MemoryErrors while normalizing exceptions.';
    assert.equal(explainMemoryExit({ code: null, signal: 'SIGABRT', outputTail: tail }, 2048),
      'kernel process ran out of memory: it exceeded the memory limit of 2048 MB (KERNEL_MEMORY_LIMIT_MB) and exited with signal SIGABRT');
    assert.equal(explainMemoryExit({ code: 1, signal: null, outputTail: tail }, 0), null, 'no ceiling, no claim about it');
    assert.equal(explainMemoryExit({ code: 1, signal: null, outputTail: 'bye' }, 2048), null);
    assert.equal(explainMemoryExit({ code: null, signal: 'SIGSEGV', outputTail: '' }, 2048), null);
  });

  test('a signal is blamed on memory only when the memory cgroup saw an out-of-memory kill', () => {
    const killed = { code: null, signal: 'SIGKILL' as const, outputTail: '' };
    assert.equal(explainMemoryExit(killed, 2048, true),
      'kernel process ran out of memory: its processes together used all the memory their limit allows (KERNEL_MEMORY_LIMIT_MB=2048), and the system stopped it (signal SIGKILL)');
    assert.equal(explainMemoryExit(killed, 2048, false),
      'kernel process was killed (SIGKILL) from outside the bridge, not for want of memory (its memory limit was never reached)');
    assert.doesNotMatch(explainMemoryExit(killed, 2048, null)!, /most likely|ran out of memory/, 'without a cgroup, no claim that memory was the cause');
    assert.equal(explainMemoryExit({ code: null, signal: 'SIGTERM', outputTail: '' }, 2048, false), null);
    assert.equal(explainMemoryExit({ code: null, signal: 'SIGTERM', outputTail: '' }, 2048, null), null);
  });
});
