// "Save & run all" starts a kernel per run, so runs are bounded like live
// kernels: per person, per machine, and each kernel under the memory limit.
// Real kernels and a real database; each run waits on a gate file the test
// creates, so the runs are provably going at the same time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage, type Storage } from '../../storage';
import { createNotebook } from '../../library/notebook-library';
import { loadVersionNotebook } from '../../library/versions';
import type { CodeCellJSON, NotebookJSON } from '../../notebook-model/nbformat/types';
import { FreshRunLimitError, freshRunOf, startFreshRun } from './fresh-runs';

// Read when the first run starts (bridge-config.ts reads the environment lazily).
process.env.KERNEL_MAX_PER_USER = '1';
process.env.KERNEL_MAX_TOTAL = '2';
process.env.KERNEL_MEMORY_LIMIT_MB = '1024';

const LONG = { timeout: 240_000 };
const dir = mkdtempSync(join(tmpdir(), 'cellmate-fresh-runs-'));
const gate = join(dir, 'gate');
let storage: Storage;
before(async () => { storage = await openStorage({ databaseUrl: `file:${join(dir, 'db.sqlite')}` }); });
after(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One cell that waits for the gate file, then prints the kernel's data-size limit. */
function gatedNotebook(): NotebookJSON {
  const source = [
    'import os, time, resource',
    `while not os.path.exists(${JSON.stringify(gate)}): time.sleep(0.05)`,
    'print(resource.getrlimit(resource.RLIMIT_DATA)[0])',
  ].join('\n');
  return {
    nbformat: 4, nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' } },
    cells: [{ id: 'gated', cell_type: 'code', source, metadata: {}, outputs: [], execution_count: null }],
  };
}

const start = (notebookId: string, holderId: string) =>
  startFreshRun(storage, notebookId, { name: 'run', author: { id: null, name: holderId }, holderId });

function refusal(run: () => unknown): FreshRunLimitError {
  try {
    run();
  } catch (err) {
    if (err instanceof FreshRunLimitError) return err;
    throw err;
  }
  assert.fail('the run was not refused');
}

test('runs are limited per person and per server, refusals say why and leave nothing behind, and a finished run frees its place', LONG, async () => {
  const [adaFirst, adaSecond, bob, cy] = await Promise.all(
    ['ada 1', 'ada 2', 'bob', 'cy'].map((title) => createNotebook(storage, { title, notebook: gatedNotebook() })),
  );
  const adaRun = start(adaFirst.id, 'ada');
  assert.ok(adaRun, 'the first run started');

  const personal = refusal(() => start(adaSecond.id, 'ada'));
  assert.equal(personal.status, 429);
  assert.match(personal.message, /You already have a "Save & run all" run going/);
  assert.equal(freshRunOf(adaSecond.id), null, 'a refused run left a state behind');

  const bobRun = start(bob.id, 'bob');
  assert.ok(bobRun, 'someone else may run while Ada does');
  const machine = refusal(() => start(cy.id, 'cy'));
  assert.equal(machine.status, 503);
  assert.match(machine.message, /maximum of 2 "Save & run all" runs/);

  writeFileSync(gate, '');
  await Promise.all([adaRun.finished, bobRun.finished]);
  for (const id of [adaFirst.id, bob.id]) {
    const state = freshRunOf(id)!;
    assert.equal(state.state, 'done', state.error ?? '');
    const executed = await loadVersionNotebook(storage, state.versionId!);
    const printed = (executed.cells[0] as CodeCellJSON).outputs.map((o) => ('text' in o ? String(o.text) : '')).join('');
    assert.equal(printed.trim(), String(1024 * 1024 * 1024), 'the run\'s kernel was not under the memory limit');
  }

  const again = start(adaSecond.id, 'ada');
  assert.ok(again, 'Ada\'s finished run still holds her place');
  await again.finished;
  assert.equal(freshRunOf(adaSecond.id)?.state, 'done');
});
