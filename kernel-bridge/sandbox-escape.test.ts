// A hostile editor's cells on sandboxed kernels, through the real bridge (real
// collab server, real SQLite, real kernels in bubblewrap, real PostgreSQL and
// Redis listening on loopback): every way out that the issue lists is tried
// and must fail, while the data stack works and the working folder persists
// across a restart. Then the same for Save & run all (the bridge's fresh-run
// route) and a headless run (`nb run`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kernelConfig } from '../config/kernels';
import { loadVersionNotebook } from '../library/versions';
import { outputsOf, outputToJSON } from '../notebook-model';
import type { NotebookJSON } from '../notebook-model/nbformat/types';
import { cellById, outputText, startRig, waitFor, KERNEL_DEADLINE_MS, type Browser, type Rig } from './bridge-test-harness';
import { kernelPids, runCell as runCellOn, tryAll } from './escape-attempts';
import { runNotebook } from './notebook-runner';

const LONG = { timeout: 300_000 };
let rig: Rig;
const runCell = (nb: { id: string }, cellId: string, view: Browser, token: string) => runCellOn(rig, nb.id, cellId, view, token);

before(async () => {
  assert.equal(kernelConfig.sandbox, 'sandbox', 'these tests are about the sandbox: run them without KERNEL_SANDBOX=none');
  rig = await startRig({ memoryLimitMb: 2048 });
  // The installation's signing key, as a real one keeps it.
  writeFileSync(join(rig.dataDir, 'secret.key'), 'the-installation-signing-key', { mode: 0o600 });
});
after(async () => { await rig?.close(); });

test('an editor\'s cell cannot reach the data, the services, the bridge or another notebook; the data stack works; files persist across a restart', LONG, async () => {
  // Another notebook, with a kernel of its own and a file in its folder.
  const other = await rig.notebook(['open("mine.txt", "w").write("private"); print("planted own")', 'print("still alive")'], 'Other');
  const otherView = await rig.browser(other.id);
  const otherToken = await rig.token(other.id, 'editor', { name: 'Grace', userId: 'user-grace' });
  await runCell(other, 'cell0', otherView, otherToken);
  assert.equal(outputText(otherView.doc, 'cell0'), 'planted own\n');
  const otherDir = join(rig.dataDir, 'kernels', other.id);
  assert.ok(existsSync(join(otherDir, 'mine.txt')));
  const [otherKernelPid] = kernelPids();
  assert.ok(otherKernelPid, 'the other notebook\'s kernel process');

  const port = (url: string) => Number(new URL(url).port);
  const escape = tryAll({
    'list the data folder': `os.listdir(${JSON.stringify(rig.dataDir)})`,
    'read the database': `open(${JSON.stringify(join(rig.dataDir, 'db.sqlite'))}, 'rb').read(16)`,
    'read secret.key': `open(${JSON.stringify(join(rig.dataDir, 'secret.key'))}).read()`,
    'read the bridge\'s environment': `open('/proc/${process.pid}/environ', 'rb').read()`,
    'read the bridge\'s command line': `open('/proc/${process.pid}/cmdline', 'rb').read()`,
    'see a service in /proc': "assert any(b'node' in open(f'/proc/{p}/cmdline', 'rb').read() or b'postgres' in open(f'/proc/{p}/cmdline', 'rb').read() for p in os.listdir('/proc') if p.isdigit())",
    'list another notebook\'s folder': `os.listdir(${JSON.stringify(otherDir)})`,
    'plant a file in another notebook\'s folder': `open(${JSON.stringify(join(otherDir, 'planted.txt'))}, 'w').write('gotcha')`,
    'read the checkout': `open(${JSON.stringify(join(process.cwd(), 'package.json'))}).read()`,
    'connect to the collab server': `socket.create_connection(('127.0.0.1', ${port(rig.collabUrl)}), timeout=3)`,
    'connect to the bridge': `socket.create_connection(('127.0.0.1', ${port(rig.bridgeUrl)}), timeout=3)`,
    'connect to PostgreSQL': "socket.create_connection(('127.0.0.1', 5432), timeout=3)",
    'connect to Redis': "socket.create_connection(('127.0.0.1', 6379), timeout=3)",
    'connect to the internet': "socket.create_connection(('1.1.1.1', 53), timeout=3)",
    'signal another kernel': `os.kill(${otherKernelPid}, signal.SIGKILL)`,
    'write outside the working folder': "open('/usr/cellmate-was-here', 'w').write('x')",
  });
  const nb = await rig.notebook([
    escape,
    "print(sorted(k for k in os.environ if k.startswith('CELLMATE') or k in ('DATABASE_URL', 'REDIS_URL', 'TEST_POSTGRES_URL')), os.getuid() != 0)",
    [
      'import numpy as np, pandas as pd, matplotlib.pyplot as plt',
      'frame = pd.DataFrame({"x": np.arange(10)})',
      'plt.plot(frame.x, frame.x ** 2); plt.show()',
      'open("kept.txt", "w").write("across restarts"); print(int(frame.x.sum()))',
    ].join('\n'),
    'print(open("kept.txt").read())',
  ], 'Hostile');
  const view = await rig.browser(nb.id);
  const token = await rig.token(nb.id);
  for (const id of ['cell0', 'cell1', 'cell2']) await runCell(nb, id, view, token);

  const outcome = JSON.parse(outputText(view.doc, 'cell0')) as Record<string, string>;
  const reached = Object.entries(outcome).filter(([, v]) => !v.startsWith('blocked')).map(([k]) => k);
  assert.deepEqual(reached, [], `ways out that were open: ${reached.join(', ')}`);
  assert.equal(Object.keys(outcome).length, 16);
  assert.equal(outputText(view.doc, 'cell1'), '[] True\n', 'no secrets in its environment, and not root');
  assert.match(outputText(view.doc, 'cell2'), /45\n$/);
  assert.ok(outputsOf(cellById(view.doc, 'cell2')).toArray().some((o) => 'image/png' in ((outputToJSON(o) as { data?: object }).data ?? {})), 'matplotlib drew');
  assert.equal(existsSync(join(otherDir, 'planted.txt')), false);
  assert.equal(readFileSync(join(otherDir, 'mine.txt'), 'utf8'), 'private');

  // The other notebook's kernel was not killed.
  await runCell(other, 'cell1', otherView, otherToken);
  assert.equal(outputText(otherView.doc, 'cell1'), 'still alive\n');

  // The working folder survives a restart (the kernel process does not).
  assert.equal((await rig.post(`/notebooks/${nb.id}/restart`, token)).status, 200);
  await runCell(nb, 'cell3', view, token);
  assert.equal(outputText(view.doc, 'cell3'), 'across restarts\n');
  assert.equal(view.kernel()?.isolation?.sandboxed, true);
  assert.match(view.kernel()?.isolation?.description ?? '', /^sandboxed \(bubblewrap; uid \d+; no network; /);
});

test('a hostile cell in Save & run all (through the bridge\'s fresh-run route) cannot reach the data folder or the services', LONG, async () => {
  const source = tryAll({
    'list the data folder': `os.listdir(${JSON.stringify(rig.dataDir)})`,
    'read the database': `open(${JSON.stringify(join(rig.dataDir, 'db.sqlite'))}, 'rb').read(16)`,
    'read secret.key': `open(${JSON.stringify(join(rig.dataDir, 'secret.key'))}).read()`,
    'read the bridge\'s environment': `open('/proc/${process.pid}/environ', 'rb').read()`,
    'connect to the bridge': `socket.create_connection(('127.0.0.1', ${Number(new URL(rig.bridgeUrl).port)}), timeout=3)`,
  });
  const nb = await rig.notebook([source], 'Hostile fresh run');
  const token = await rig.token(nb.id, 'editor', { name: 'Mallory', userId: 'user-mallory' });
  const started = await rig.post(`/notebooks/${nb.id}/fresh-run`, token, { name: 'escape' });
  assert.equal(started.status, 202, JSON.stringify(started.body));
  const run = await waitFor(async () => {
    const { body } = await rig.get(`/notebooks/${nb.id}/fresh-run`, token);
    return body.run?.state === 'running' ? null : body.run;
  }, KERNEL_DEADLINE_MS, 'the fresh run to end');
  assert.equal(run.state, 'done', run.error ?? '');
  const executed = await loadVersionNotebook(rig.storage, run.versionId);
  const cell = executed.cells[0];
  assert.ok(cell.cell_type === 'code');
  const outcome = JSON.parse(cell.outputs.map((o) => (o.output_type === 'stream' ? o.text : '')).join('')) as Record<string, string>;
  assert.equal(Object.keys(outcome).length, 5);
  for (const [what, how] of Object.entries(outcome)) assert.match(how, /^blocked: /, what);
});

test('a headless run (nb run) is sandboxed too', LONG, async () => {
  const nb: NotebookJSON = {
    nbformat: 4, nbformat_minor: 5, metadata: {},
    cells: [{
      id: 'c0', cell_type: 'code', metadata: {}, outputs: [], execution_count: null,
      source: tryAll({
        'read secret.key': `open(${JSON.stringify(join(rig.dataDir, 'secret.key'))}).read()`,
        'connect to PostgreSQL': "socket.create_connection(('127.0.0.1', 5432), timeout=3)",
      }),
    }],
  };
  const executed = await runNotebook(nb, { memoryLimitMb: 2048 });
  const cell = executed.cells[0];
  assert.ok(cell.cell_type === 'code');
  const text = cell.outputs.map((o) => (o.output_type === 'stream' ? o.text : '')).join('');
  const outcome = JSON.parse(text) as Record<string, string>;
  assert.deepEqual(Object.keys(outcome), ['read secret.key', 'connect to PostgreSQL']);
  for (const [what, how] of Object.entries(outcome)) assert.match(how, /^blocked: /, what);
});
