// Whether the web app's build is older than its sources, and building it: shared
// by `npm start` (scripts/start.mjs) and the local cluster (scripts/cluster.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// Not part of the build: dependencies, tests, and the folders' READMEs (editing one must not cost a rebuild).
const skipped = (name) => name === 'node_modules' || name.endsWith('.test.ts') || name.endsWith('.md');

/** Newest modification time under the web app's sources. */
function newestSource(root) {
  let newest = 0;
  const walk = (path) => {
    if (!existsSync(path)) return;
    const st = statSync(path);
    if (st.isDirectory()) {
      for (const name of readdirSync(path)) if (!skipped(name)) walk(join(path, name));
    } else newest = Math.max(newest, st.mtimeMs);
  };
  // Everything the web app's build takes in, kernel-bridge modules included (Save & run all uses them).
  for (const p of ['app', 'notebook-model', 'auth', 'config', 'library', 'storage', 'kernel-bridge', 'generated', 'next.config.ts', 'package-lock.json']) walk(join(root, p));
  return newest;
}

/** Builds the web app when it was never built, its sources changed, or `force`; exits the process if the build fails. */
export function buildWebAppIfStale(root, env, force = false) {
  // The build folder next.config.ts uses (CELLMATE_NEXT_DIR, else .next).
  const buildId = join(root, env.CELLMATE_NEXT_DIR || '.next', 'BUILD_ID');
  if (existsSync(buildId) && statSync(buildId).mtimeMs >= newestSource(root) && !force) return;
  console.log('cellmate: building the web app (about 30-60 s, once per change)…');
  const r = spawnSync(process.execPath, [join(root, 'node_modules/next/dist/bin/next'), 'build'], { cwd: root, env, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`cellmate: web app build failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}
