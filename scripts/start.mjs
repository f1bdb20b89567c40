#!/usr/bin/env node
// `npm start`: the whole product on one machine. Checks that kernels can run
// (a python3 kernelspec, a working kernel sandbox: installing what is missing
// when it runs as root, else stopping with the one command to run), prepares
// the database (the embedded SQLite file by default), builds the web app when its sources changed,
// then runs the collab server, the kernel bridge and the web app together, prints
// the URL, restarts any of them that dies (the others keep serving), and stops
// all of them together on Ctrl+C.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWebAppIfStale } from './web-build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
const port = env.PORT || '3000';
const tsNode = [process.execPath, '--experimental-wasm-modules', '--no-warnings', '--import', 'tsx'];

function step(label, argv) {
  const r = spawnSync(argv[0], argv.slice(1), { cwd: root, env, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`cellmate: ${label} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

/** Runs scripts/check-system.ts; installs the system packages once if something is missing and we may. */
function checkSystem(extra = []) {
  const check = () => spawnSync(tsNode[0], [...tsNode.slice(1), 'scripts/check-system.ts', ...extra], { cwd: root, env, stdio: 'inherit' }).status;
  let status = check();
  if (status === 0) return;
  const install = join(root, 'scripts/install-system-deps.sh');
  if (process.getuid?.() === 0) {
    console.log('cellmate: installing the missing system packages…');
    step('system packages', ['bash', install]);
    status = check();
    if (status === 0) return;
  } else {
    console.error(`cellmate: run this once, then start again:\n  sudo ${install}`);
  }
  process.exit(1);
}

checkSystem();
step('database migration', [...tsNode, 'scripts/migrate.ts']);
buildWebAppIfStale(root, env, process.argv.includes('--rebuild'));

// A service whose entry file is not written yet is left out (the web app's last argument is its port).
const services = [
  ['collab', [...tsNode, 'collab-server/main.ts']],
  ['bridge', [...tsNode, 'kernel-bridge/main.ts']],
  ['web', [process.execPath, join(root, 'node_modules/next/dist/bin/next'), 'start', '-p', port]],
].filter(([, argv]) => !argv[argv.length - 1].endsWith('.ts') || existsSync(join(root, argv[argv.length - 1])));

// Supervision: a service that exits is started again after a pause that doubles
// with each exit in a row (RESTART_FIRST_MS up to RESTART_MAX_MS; a service that
// ran for RESTART_STABLE_MS starts over at the first pause), and the others keep
// serving meanwhile; their clients reconnect by themselves. Ctrl+C (SIGINT, which
// the terminal also sends to every child) or SIGTERM stops them all.
const RESTART_FIRST_MS = 500;
const RESTART_MAX_MS = 30_000;
const RESTART_STABLE_MS = 60_000;

const supervised = services.map(([name, argv]) => ({ name, argv, child: null, startedAt: 0, exitsInARow: 0, timer: null }));
let stopping = false;
function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const service of supervised) clearTimeout(service.timer);
  const live = supervised.map((s) => s.child).filter((c) => c && c.exitCode === null && c.signalCode === null);
  for (const child of live) child.kill('SIGTERM');
  const force = setTimeout(() => live.forEach((c) => c.exitCode === null && c.kill('SIGKILL')), 8000);
  force.unref();
  Promise.all(live.map((c) => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', r))))).then(() => process.exit(code));
}

function launch(service) {
  const { name, argv } = service;
  const child = spawn(argv[0], argv.slice(1), { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  service.child = child;
  service.startedAt = Date.now();
  const prefix = (stream, out) => {
    let pending = '';
    stream.on('data', (chunk) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop();
      for (const line of lines) out.write(`[${name}] ${line}\n`);
    });
  };
  prefix(child.stdout, process.stdout);
  prefix(child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    service.child = null;
    if (stopping) return;
    if (signal === 'SIGINT') return stopAll(0); // Ctrl+C reached the child first
    if (Date.now() - service.startedAt >= RESTART_STABLE_MS) service.exitsInARow = 0;
    const delay = Math.min(RESTART_MAX_MS, RESTART_FIRST_MS * 2 ** service.exitsInARow);
    service.exitsInARow += 1;
    console.error(`cellmate: ${name} stopped (${signal ?? `exit ${code}`}); restarting it in ${(delay / 1000).toFixed(1)} s (exit ${service.exitsInARow} in a row); the other services keep running`);
    service.timer = setTimeout(() => {
      service.timer = null;
      if (stopping) return;
      console.error(`cellmate: starting ${name} again`);
      launch(service);
    }, delay);
  });
}

for (const service of supervised) launch(service);
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

// Print the URL once the web app answers.
const url = `http://localhost:${port}`;
const deadline = Date.now() + 120_000;
(async function announce() {
  while (!stopping && Date.now() < deadline) {
    try {
      const res = await fetch(url, { redirect: 'manual' });
      if (res.status < 500) {
        console.log(`\nCellmate is running at ${url}  (Ctrl+C stops it)\n`);
        return;
      }
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  if (!stopping) console.error(`cellmate: the web app did not answer at ${url} within 2 minutes`);
})();
