// runNotebook with real kernels: what it runs and leaves alone, how it stops,
// and its outputs side by side with Debian's nbclient on the same notebooks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseNotebook, serializeNotebook } from '../notebook-model/nbformat';
import type { CellJSON, NotebookJSON, OutputJSON } from '../notebook-model/nbformat/types';
import { notebooksDir } from '../notebook-model/nbformat/test-corpus';
import { NotebookRunError, runNotebook } from './notebook-runner';
import { processTree } from './process-tree';

const LONG = { timeout: 180_000 };

function notebook(cells: (Partial<CellJSON> & { cell_type: CellJSON['cell_type'] })[], kernel = 'python3'): NotebookJSON {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: kernel, display_name: 'Python 3 (ipykernel)', language: 'python' } },
    cells: cells.map((c, i) => ({
      id: `c${i}`, metadata: {}, source: '',
      ...(c.cell_type === 'code' ? { outputs: [], execution_count: null } : {}),
      ...c,
    }) as CellJSON),
  };
}

const code = (source: string, extra: Partial<CellJSON> = {}) => ({ cell_type: 'code' as const, source, ...extra });
const outputsOf = (nb: NotebookJSON, i: number): OutputJSON[] => (nb.cells[i].cell_type === 'code' ? nb.cells[i].outputs : []);
const textOf = (nb: NotebookJSON, i: number) => outputsOf(nb, i).map((o) => (o.output_type === 'stream' ? o.text : o.output_type)).join('');

/** Kernel processes (and their sandboxes) started by this test process that are still alive. */
function liveKernels(): number[] {
  return processTree(process.pid).slice(1).filter((pid) => {
    try {
      return /^(python3|bwrap|prlimit)$/.test(readFileSync(`/proc/${pid}/comm`, 'utf8').trim());
    } catch {
      return false; // gone meanwhile
    }
  });
}

async function rejection(promise: Promise<unknown>): Promise<NotebookRunError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof NotebookRunError, `a NotebookRunError, got ${err}`);
    return err;
  }
  assert.fail('the run should have failed');
}

test('runs code cells in order and leaves markdown, blank and skip-execution cells as they were', LONG, async () => {
  const stale: OutputJSON[] = [{ output_type: 'stream', name: 'stdout', text: 'stale\n' }];
  const input = notebook([
    { cell_type: 'markdown', source: '# Title' },
    code('x = 20'),
    code('   \n', { outputs: stale }),
    code('print("skipped")', { metadata: { tags: ['skip-execution'] }, outputs: stale }),
    code('print(x * 2)\nx + 1'),
  ]);
  const copy = structuredClone(input);
  const out = await runNotebook(input);
  assert.deepEqual(input, copy, 'the input is not modified');
  assert.deepEqual(out.cells[0], input.cells[0]);
  assert.deepEqual(out.cells[2], input.cells[2]);
  assert.deepEqual(out.cells[3], input.cells[3]);
  assert.deepEqual(outputsOf(out, 4), [
    { output_type: 'stream', name: 'stdout', text: '40\n' },
    { output_type: 'execute_result', execution_count: 2, data: { 'text/plain': '21' }, metadata: {} },
  ]);
  assert.equal(out.cells[1].cell_type === 'code' && out.cells[1].execution_count, 1);
  assert.equal((out.metadata.language_info as { name?: string })?.name, 'python');
  assert.deepEqual(liveKernels(), [], 'the kernel was shut down');
});

test('the first error stops the run with a message naming the cell; later cells keep their old state', LONG, async () => {
  const err = await rejection(runNotebook(notebook([
    code('print("one")'),
    code('values = {}\nvalues["missing"]'),
    code('print("never")', { execution_count: 5 }),
  ])));
  assert.equal(err.failure, 'cell-error', err.message);
  assert.deepEqual(err.cell, { index: 1, id: 'c1' });
  assert.match(err.message, /^An error occurred while executing cell 2 \(id "c1"\):/);
  assert.match(err.message, /values\["missing"\]/, 'the source is quoted');
  assert.match(err.message, /KeyError: 'missing'/);
  assert.equal(err.summary, "KeyError: 'missing' in cell 2");
  assert.doesNotMatch(err.message, /\x1b\[/, 'no terminal colour codes');
  assert.ok(err.notebook);
  assert.equal(textOf(err.notebook, 0), 'one\n');
  assert.equal(textOf(err.notebook, 1), 'error');
  assert.equal(err.notebook.cells[2].cell_type === 'code' && err.notebook.cells[2].execution_count, 5);
  assert.deepEqual(liveKernels(), []);
});

test('allowErrors keeps going; a raises-exception tag allows one cell to fail', LONG, async () => {
  const cells = [code('1/0', { metadata: { tags: ['raises-exception'] } }), code('int("x")'), code('print("reached")')];
  const tagged = await rejection(runNotebook(notebook(cells)));
  assert.equal(tagged.cell?.index, 1, 'the tagged cell did not stop the run; the next error did');
  const out = await runNotebook(notebook(cells), { allowErrors: true });
  assert.deepEqual(outputsOf(out, 0).map((o) => o.output_type === 'error' && o.ename), ['ZeroDivisionError']);
  assert.deepEqual(outputsOf(out, 1).map((o) => o.output_type === 'error' && o.ename), ['ValueError']);
  assert.equal(textOf(out, 2), 'reached\n');
});

test('input() fails instead of waiting, as with nbclient', LONG, async () => {
  const out = await runNotebook(notebook([code('input("?")')]), { allowErrors: true });
  assert.deepEqual(outputsOf(out, 0).map((o) => o.output_type === 'error' && o.ename), ['StdinNotImplementedError']);
});

test('a cell over the timeout stops the run, naming the cell', LONG, async () => {
  const err = await rejection(runNotebook(notebook([code('print("fast")'), code('import time\ntime.sleep(60)')]), { cellTimeoutMs: 500 }));
  assert.equal(err.failure, 'timeout', err.message);
  assert.match(err.message, /^Cell 2 \(id "c1"\) did not finish within 0\.5 s/);
  assert.equal(textOf(err.notebook!, 0), 'fast\n');
  assert.deepEqual(liveKernels(), []);
});

test('a kernel that dies stops the run with the reason', LONG, async () => {
  const err = await rejection(runNotebook(notebook([code('import os; os._exit(7)'), code('print(1)')])));
  assert.equal(err.failure, 'kernel-died', err.message);
  assert.match(err.message, /^The kernel died while running cell 1 \(id "c0"\): .*exited with code 7/);
  assert.deepEqual(liveKernels(), []);
});

test('an unknown kernelspec is refused with the installed ones listed', LONG, async () => {
  const err = await rejection(runNotebook(notebook([code('1')], 'no-such-kernel')));
  assert.equal(err.failure, 'kernel-unavailable');
  assert.match(err.message, /no kernelspec named "no-such-kernel".*available: .*python3/);
  assert.match(err.message, /--kernel/);
  const out = await runNotebook(notebook([code('1')], 'no-such-kernel'), { kernelName: 'python3' });
  assert.equal(outputsOf(out, 0).length, 1, 'an explicit kernel overrides the metadata');
});

// --- side by side with nbclient -------------------------------------------

/** Corpus notebooks that need nothing beyond numpy, pandas and matplotlib (no network, no data files). */
const corpus = [
  'pdsh-02.02-The-Basics-Of-NumPy-Arrays.ipynb',
  'pdsh-03.02-Data-Indexing-and-Selection.ipynb',
  'pdsh-04.01-Simple-Line-Plots.ipynb',
  'pdsh-04.08-Multiple-Subplots.ipynb',
];
const corpusDir = join(notebooksDir, 'corpus');

/** Every kind of output the writer handles, in one notebook of our own. */
const outputKinds = notebook([
  code('import sys\nprint("out"); print("err", file=sys.stderr); print("out again")\n6 * 7'),
  code('from IPython.display import display, update_display, clear_output, HTML, Markdown\nfirst = display(HTML("<b>one</b>"), display_id="d1")\ndisplay(Markdown("*md*"))'),
  code('update_display("updated", display_id="d1")\nprint("update sent")'),
  code('for i in range(3):\n    clear_output(wait=True)\n    print("frame", i)'),
  code('def inner():\n    return 1 / 0\ninner()'),
  code('print("after the error")'),
]);

const nbclientScript = `
import json, os, sys, nbformat, nbclient
out = {}
for path in sys.argv[1:]:
    nb = nbformat.read(path, 4)
    nbclient.NotebookClient(nb, kernel_name='python3', allow_errors=True,
                            resources={'metadata': {'path': os.path.dirname(path)}}).execute()
    out[os.path.basename(path)] = nb
print(json.dumps(out))
`;

function runNbclient(paths: string[]): Promise<Record<string, NotebookJSON>> {
  return new Promise((resolve, reject) => {
    execFile('/usr/bin/python3', ['-c', nbclientScript, ...paths], {
      maxBuffer: 1 << 28, env: { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: '1' },
    }, (err, stdout, stderr) => (err ? reject(new Error(`nbclient failed: ${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout))));
  });
}

const joined = (v: unknown) => (Array.isArray(v) ? v.join('') : String(v ?? ''));
/** Memory addresses and the kernel's per-process temp folder differ between any two runs. */
const stable = (text: string) => text.replace(/0x[0-9a-fA-F]+/g, '0x…').replace(/ipykernel_\d+/g, 'ipykernel_…');

/** What must agree: per code cell, its count and outputs (streams joined, rich data by MIME type, text/plain, PNG bytes). */
function comparable(nb: NotebookJSON) {
  return nb.cells.map((cell) => {
    if (cell.cell_type !== 'code') return { type: cell.cell_type };
    const outputs: unknown[] = [];
    for (const o of cell.outputs as unknown as Record<string, any>[]) {
      const last = outputs.at(-1) as { stream?: string; text: string } | undefined;
      if (o.output_type === 'stream') {
        if (last && last.stream === o.name) last.text += stable(joined(o.text));
        else outputs.push({ stream: o.name, text: stable(joined(o.text)) });
      } else if (o.output_type === 'error') {
        outputs.push({ error: o.ename, evalue: stable(o.evalue), traceback: (o.traceback as string[]).map(stable) });
      } else {
        outputs.push({
          type: o.output_type,
          mimeTypes: Object.keys(o.data).sort(),
          plain: stable(joined(o.data['text/plain'])),
          png: o.data['image/png'] === undefined ? undefined : joined(o.data['image/png']).replace(/\s/g, ''),
        });
      }
    }
    return { type: 'code', count: cell.execution_count, outputs };
  });
}

test('outputs match Debian nbclient: corpus notebooks (numpy, pandas, matplotlib) and every output kind', { timeout: 600_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cellmate-nbclient-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const ownPath = join(dir, 'output-kinds.ipynb');
  writeFileSync(ownPath, serializeNotebook(outputKinds));
  const cases = [...corpus.map((name) => ({ name, path: join(corpusDir, name) })), { name: 'output-kinds.ipynb', path: ownPath }];
  const reference = await runNbclient(cases.map((c) => c.path));
  for (const { name, path } of cases) {
    await t.test(name, async () => {
      const ours = await runNotebook(parseNotebook(readFileSync(path, 'utf8')), { cwd: dirname(path), allowErrors: true });
      const theirs = reference[name];
      assert.ok(theirs, `nbclient ran ${name}`);
      const [a, b] = [comparable(ours), comparable(theirs)];
      assert.equal(a.length, b.length);
      for (let i = 0; i < a.length; i++) assert.deepEqual(a[i], b[i], `${name}, cell ${i + 1}`);
      assert.ok(a.some((c) => c.type === 'code' && (c.outputs?.length ?? 0) > 0), 'the notebook produced outputs');
      assert.deepEqual(ours.metadata.language_info, theirs.metadata.language_info);
    });
  }
  assert.deepEqual(liveKernels(), []);
});
