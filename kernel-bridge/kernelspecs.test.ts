import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { findKernelSpec, jupyterDataDirs, listKernelSpecs, parseKernelSpec, type KernelSpec } from './kernelspecs';

let root: string;
let systemPython: KernelSpec;

async function writeSpec(dataDir: string, name: string, body: unknown): Promise<void> {
  await mkdir(join(dataDir, 'kernels', name), { recursive: true });
  await writeFile(join(dataDir, 'kernels', name, 'kernel.json'), typeof body === 'string' ? body : JSON.stringify(body));
}

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'kernelspecs-test-'));
  // The machine's own python3 spec, found the normal way (no hard-coded path).
  systemPython = await findKernelSpec('python3');
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

test('search order: JUPYTER_PATH entries, user data dir, env prefix, then system dirs', () => {
  const dirs = jupyterDataDirs({ JUPYTER_PATH: ['/a', '/b'].join(delimiter), JUPYTER_DATA_DIR: '/user', HOME: '/home/x', VIRTUAL_ENV: '/venv' });
  assert.deepEqual(dirs, ['/a', '/b', '/user', '/venv/share/jupyter', '/usr/local/share/jupyter', '/usr/share/jupyter']);
  assert.equal(jupyterDataDirs({ HOME: '/home/x' })[0], '/home/x/.local/share/jupyter');
});

test('the discovered python3 spec is a runnable ipykernel spec', () => {
  assert.equal(systemPython.language, 'python');
  assert.ok(systemPython.argv.includes('{connection_file}'));
  assert.equal(systemPython.interruptMode, 'signal');
});

test('a spec earlier on JUPYTER_PATH shadows the system one; a broken spec is reported while others still list', async () => {
  const first = join(root, 'first');
  const second = join(root, 'second');
  await writeSpec(first, 'python3', {
    argv: systemPython.argv,
    display_name: 'Shadowing Python',
    language: 'python',
    interrupt_mode: 'message',
    env: { CELLMATE_MARK: '1' },
  });
  await writeSpec(second, 'python3', { argv: ['never-used'], display_name: 'Lower', language: 'python' });
  await writeSpec(second, 'broken', '{ "argv": [');
  await writeSpec(second, 'noargv', { argv: [], display_name: 'No argv', language: 'python' });
  await mkdir(join(second, 'kernels', 'not-a-spec'), { recursive: true });

  const dirs = jupyterDataDirs({ JUPYTER_PATH: [first, second].join(delimiter), HOME: join(root, 'home') });
  const { specs, problems } = await listKernelSpecs(dirs);
  const py = specs.find((s) => s.name === 'python3')!;
  assert.equal(py.displayName, 'Shadowing Python');
  assert.equal(py.resourceDir, join(first, 'kernels', 'python3'));
  assert.equal(py.interruptMode, 'message');
  assert.deepEqual(py.env, { CELLMATE_MARK: '1' });
  assert.equal(specs.filter((s) => s.name === 'python3').length, 1);
  assert.ok(!specs.some((s) => s.name === 'not-a-spec'));

  const broken = problems.find((p) => p.name === 'broken')!;
  assert.match(broken.error, /kernelspec "broken" at .*broken\/kernel\.json is unusable: not valid JSON/);
  assert.match(problems.find((p) => p.name === 'noargv')!.error, /"argv" must be a non-empty array of strings/);

  await assert.rejects(findKernelSpec('broken', dirs), /not valid JSON/);
  await assert.rejects(findKernelSpec('nope', dirs), /no kernelspec named "nope".*available: .*python3/);
  assert.equal((await findKernelSpec('python3', dirs)).displayName, 'Shadowing Python');
});

test('kernel.json validation names the bad field', () => {
  const ok = { argv: ['x'], display_name: 'X', language: 'x' };
  assert.equal(parseKernelSpec(ok, 'x', '/d').interruptMode, 'signal');
  assert.throws(() => parseKernelSpec([], 'x', '/d'), /JSON object/);
  assert.throws(() => parseKernelSpec({ ...ok, argv: ['a', 1] }, 'x', '/d'), /"argv"/);
  assert.throws(() => parseKernelSpec({ ...ok, display_name: 3 }, 'x', '/d'), /"display_name"/);
  assert.throws(() => parseKernelSpec({ ...ok, language: undefined }, 'x', '/d'), /"language"/);
  assert.throws(() => parseKernelSpec({ ...ok, interrupt_mode: 'poke' }, 'x', '/d'), /"interrupt_mode" must be "signal" or "message", got "poke"/);
  assert.throws(() => parseKernelSpec({ ...ok, env: { A: 1 } }, 'x', '/d'), /"env"/);
  assert.throws(() => parseKernelSpec({ ...ok, metadata: [] }, 'x', '/d'), /"metadata"/);
});
