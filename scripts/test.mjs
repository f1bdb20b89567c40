#!/usr/bin/env node
// Runs every test of the project: the type check and lint, the Node test files (`*.test.ts`, beside the
// behaviour they prove) with Node's own runner, then the Playwright e2e suite.
//   node scripts/test.mjs              all tests
//   node scripts/test.mjs --node-only  unit and integration tests only
//   node scripts/test.mjs --e2e-only   browser tests only
//   node scripts/test.mjs path/a.test.ts ...   just these files
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSystem } from './system-check.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const nodeOnly = args.includes('--node-only');
const e2eOnly = args.includes('--e2e-only');
const explicit = args.filter((a) => !a.startsWith('--'));

// The PostgreSQL path is tested against a real server; this machine and CI run one.
process.env.TEST_POSTGRES_URL ??= 'postgresql://postgres@127.0.0.1:5432/test';
process.env.NEXT_TELEMETRY_DISABLED = '1';

const skipDirs = new Set(['node_modules', '.next', '.git', 'data', 'e2e', 'generated', 'test-results']);
function findTests(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (skipDirs.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findTests(path, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

function run(cmd, cmdArgs) {
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env: process.env });
  return r.status ?? 1;
}

// What the tests need from the system (a kernel, a working sandbox, Jupyter Server):
// installed here when running as root, else the one command to run. The product
// Playwright starts (scripts/start.mjs) is told the check was made.
ensureSystem(root, { args: ['--for-tests'], label: 'test', again: 'test' });
process.env.CELLMATE_SYSTEM_CHECKED = '1';

let status = 0;
if (!e2eOnly && !explicit.length) {
  // Types first: a type error anywhere fails the run before the slow tests.
  status = run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.json']);
  if (status !== 0) process.exit(status);
  // Then lint (eslint.config.mjs): the React rules catch render-time mistakes no type check sees.
  status = run(process.execPath, [join(root, 'node_modules/eslint/bin/eslint.js'), '.', '--max-warnings', '0']);
  if (status !== 0) process.exit(status);
}
if (!e2eOnly) {
  const files = explicit.length ? explicit : findTests(root).sort();
  status = run(process.execPath, [
    '--experimental-wasm-modules', '--no-warnings',
    '--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=300000', ...files,
  ]);
}
if (!nodeOnly && !explicit.length && (status === 0 || e2eOnly)) {
  status = run(process.execPath, [join(root, 'node_modules/@playwright/test/cli.js'), 'test']) || status;
}
process.exit(status);
