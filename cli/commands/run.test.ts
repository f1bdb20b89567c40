// `nb run` as a user runs it: the real launcher, a real kernel, and the written
// file checked by Jupyter's own nbformat validator.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../config/env';
import { parseNotebook, serializeNotebook } from '../../notebook-model/nbformat';
import type { NotebookJSON, OutputJSON } from '../../notebook-model/nbformat/types';

const dir = mkdtempSync(join(tmpdir(), 'cellmate-cli-run-'));
// The notebook's folder is the sandboxed kernel's working folder: its user must be able to reach it.
chmodSync(dir, 0o711);
after(() => rmSync(dir, { recursive: true, force: true }));
const LONG = { timeout: 120_000 };

type Result = { code: number; stdout: string; stderr: string };

function run(cmd: string, args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: projectRoot, maxBuffer: 1 << 26 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

const nb = (...args: string[]) => run(process.execPath, [join(projectRoot, 'cli/nb.mjs'), ...args]);

/** Jupyter's verdict on a file: '' when nbformat reads and validates it. */
async function nbformatProblems(path: string): Promise<string> {
  const r = await run('/usr/bin/python3', ['-c', 'import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], 4))', path]);
  return r.code === 0 ? '' : r.stderr || `exit ${r.code}`;
}

function writeNotebook(name: string, sources: string[]): string {
  const notebook: NotebookJSON = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' } },
    cells: [
      { id: 'intro', cell_type: 'markdown', metadata: {}, source: '# A notebook' },
      ...sources.map((source, i) => ({ id: `cell${i}`, cell_type: 'code' as const, metadata: {}, source, outputs: [], execution_count: null })),
    ],
  };
  const path = join(dir, name);
  writeFileSync(path, serializeNotebook(notebook));
  return path;
}

const outputsOf = (path: string): OutputJSON[][] =>
  parseNotebook(readFileSync(path, 'utf8')).cells.map((c) => (c.cell_type === 'code' ? c.outputs : []));

test('nb run writes <name>.nbconvert.ipynb beside the input, valid for nbformat, and leaves the input alone', LONG, async () => {
  const input = writeNotebook('plot.ipynb', [
    'import matplotlib\nmatplotlib.use("agg")\nimport matplotlib.pyplot as plt\n%matplotlib inline\nplt.plot([1, 3, 2]);',
    'import os\nprint(os.path.basename(os.getcwd()) == os.path.basename(' + JSON.stringify(dir) + '))',
    'from IPython.display import display\nd = display("v1", display_id=True)\nd.update("v2")',
  ]);
  const before = readFileSync(input, 'utf8');
  const r = await nb('run', input);
  assert.equal(r.code, 0, r.stderr);
  const output = join(dir, 'plot.nbconvert.ipynb');
  assert.match(r.stderr, /wrote .*plot\.nbconvert\.ipynb/);
  assert.equal(await nbformatProblems(output), '');
  assert.equal(readFileSync(input, 'utf8'), before, 'the input file is unchanged');
  const [, plot, cwd, display] = outputsOf(output);
  assert.ok(plot.some((o) => o.output_type === 'display_data' && typeof o.data['image/png'] === 'string'), 'the plot is a PNG');
  assert.deepEqual(cwd, [{ output_type: 'stream', name: 'stdout', text: 'True\n' }], 'the kernel runs in the notebook\'s folder');
  assert.deepEqual(display.map((o) => o.output_type === 'display_data' && o.data['text/plain']), ["'v2'"]);
  assert.doesNotMatch(readFileSync(output, 'utf8'), /"transient"/, 'no session-only keys in the file');
});

test('a failing cell: exit 1, a message naming the cell, and the notebook as far as it ran', LONG, async () => {
  const input = writeNotebook('fails.ipynb', ['print("first")', 'import json\njson.loads("{oops")', 'print("never")']);
  const output = join(dir, 'fails-out.ipynb');
  const r = await nb('run', input, '-o', output);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /An error occurred while executing cell 3 \(id "cell1"\)/);
  assert.match(r.stderr, /json\.loads\("\{oops"\)/);
  assert.match(r.stderr, /JSONDecodeError/);
  assert.match(r.stderr, /as far as it ran was written to .*fails-out\.ipynb/);
  assert.equal(await nbformatProblems(output), '');
  const [, first, failed, never] = outputsOf(output);
  assert.deepEqual(first, [{ output_type: 'stream', name: 'stdout', text: 'first\n' }]);
  assert.equal(failed.at(-1)?.output_type, 'error');
  assert.deepEqual(never, []);
});

test('--allow-errors runs every cell and exits 0 with the error in the outputs', LONG, async () => {
  const input = writeNotebook('allowed.ipynb', ['1/0', 'print("still ran")']);
  const output = join(dir, 'allowed-out.ipynb');
  const r = await nb('run', input, '-o', output, '--allow-errors');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await nbformatProblems(output), '');
  const [, failed, next] = outputsOf(output);
  assert.deepEqual(failed.map((o) => o.output_type === 'error' && o.ename), ['ZeroDivisionError']);
  assert.deepEqual(next, [{ output_type: 'stream', name: 'stdout', text: 'still ran\n' }]);
});

test('--timeout stops a cell that runs too long, with exit 1 naming it', LONG, async () => {
  const input = writeNotebook('slow.ipynb', ['import time\ntime.sleep(60)']);
  const r = await nb('run', input, '-o', join(dir, 'slow-out.ipynb'), '--timeout', '0.5');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /Cell 2 \(id "cell0"\) did not finish within 0\.5 s/);
});

test('-o - writes the notebook to standard output', LONG, async () => {
  const input = writeNotebook('stdout.ipynb', ['40 + 2']);
  const r = await nb('run', input, '-o', '-');
  assert.equal(r.code, 0, r.stderr);
  const cell = parseNotebook(r.stdout).cells[1];
  assert.ok(cell.cell_type === 'code');
  assert.deepEqual(cell.outputs.map((o) => o.output_type === 'execute_result' && o.data['text/plain']), ['42']);
  assert.ok(!existsSync(join(dir, 'stdout.nbconvert.ipynb')));
});

test('clear errors for a missing file, an unknown kernel and bad options', LONG, async () => {
  const missing = await nb('run', join(dir, 'nope.ipynb'));
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /cannot read .*nope\.ipynb: no such file/);

  const input = writeNotebook('kernel.ipynb', ['1']);
  const unknown = await nb('run', input, '--kernel', 'fortran77');
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /no kernelspec named "fortran77".*available: .*python3/);

  const badTimeout = await nb('run', input, '--timeout', 'soon');
  assert.equal(badTimeout.code, 2);
  assert.match(badTimeout.stderr, /--timeout must be a positive number of seconds/);

  const notJson = join(dir, 'broken.ipynb');
  writeFileSync(notJson, '{"cells": [');
  const broken = await nb('run', notJson);
  assert.equal(broken.code, 1);
  assert.match(broken.stderr, /not JSON/);

  const help = await nb('run', '--help');
  assert.equal(help.code, 0);
  assert.match(help.stdout, /<name>\.nbconvert\.ipynb beside the input/);
});
