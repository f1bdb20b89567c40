#!/usr/bin/env node
// `npm start`: the whole product on one machine. Checks that kernels can run
// (a python3 kernelspec, a working kernel sandbox: installing what is missing
// when it runs as root, else stopping with the one command to run), prepares
// the database (the embedded SQLite file by default), builds the web app when its sources changed,
// then runs the collab server, the kernel bridge and the web app together, prints
// the URL, restarts any of them that dies (the others keep serving), and stops
// all of them together on Ctrl+C.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { superviseServices } from './supervise.mjs';
import { ensureSystem } from './system-check.mjs';
import { buildWebAppIfStale } from './web-build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
const port = env.PORT || '3000';
const tsNode = [process.execPath, '--experimental-wasm-modules', '--no-warnings', '--import', 'tsx'];

// The system check and the migration in one tsx process. `npm test` checks the
// system (a superset) before Playwright starts this script, and says so with
// CELLMATE_SYSTEM_CHECKED, so the trial sandbox is not made twice.
if (env.CELLMATE_SYSTEM_CHECKED === '1') {
  const migrated = spawnSync(tsNode[0], [...tsNode.slice(1), 'scripts/migrate.ts'], { cwd: root, env, stdio: 'inherit' });
  if (migrated.status !== 0) {
    console.error(`cellmate: database migration failed (exit ${migrated.status ?? migrated.signal})`);
    process.exit(1);
  }
} else {
  ensureSystem(root, { args: ['--migrate'], env, label: 'cellmate', again: 'start' });
}
buildWebAppIfStale(root, env, process.argv.includes('--rebuild'));

const services = [
  { name: 'collab', argv: [...tsNode, 'collab-server/main.ts'] },
  { name: 'bridge', argv: [...tsNode, 'kernel-bridge/main.ts'] },
  { name: 'web', argv: [process.execPath, join(root, 'node_modules/next/dist/bin/next'), 'start', '-p', port] },
];

// Supervised (scripts/supervise.mjs): one that exits is started again, the others keep serving; Ctrl+C stops all.
const { stopping } = superviseServices(services, { root, baseEnv: env, label: 'cellmate', restart: true });

// Print the URL once the web app answers.
const url = `http://localhost:${port}`;
const deadline = Date.now() + 120_000;
(async function announce() {
  while (!stopping() && Date.now() < deadline) {
    try {
      const res = await fetch(url, { redirect: 'manual' });
      if (res.status < 500) {
        console.log(`\nCellmate is running at ${url}  (Ctrl+C stops it)\n`);
        return;
      }
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  if (!stopping()) console.error(`cellmate: the web app did not answer at ${url} within 2 minutes`);
})();
