#!/usr/bin/env node
// `nb`, the project's command line. This launcher only starts Node with the flags
// the TypeScript entry needs (tsx, WebAssembly modules for the migration engine).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));
// tsx from this project's node_modules, so `nb` works from any folder.
const tsx = import.meta.resolve('tsx');
const child = spawn(
  process.execPath,
  ['--experimental-wasm-modules', '--no-warnings', '--import', tsx, main, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
