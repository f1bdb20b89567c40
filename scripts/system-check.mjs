// The system check that `npm start` and `npm test` make first (scripts/check-system.ts,
// which prints each problem): when system packages are missing, installs them
// as root (scripts/install-system-deps.sh) and checks again; otherwise stops
// with the one command to run. A problem no package fixes (a sandbox the kernel
// refuses) was printed with its own fix; then it just stops.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** check-system.ts's exit status when installing the system packages would help. */
const MISSING_PACKAGES = 3;

/**
 * Runs `node --import tsx scripts/check-system.ts ...args` (with `env`) until it
 * passes or cannot; exits this process if it cannot. `again` names what to run
 * again after installing ("start", "test").
 */
export function ensureSystem(root, { args = [], env = process.env, label, again }) {
  const check = () => spawnSync(process.execPath, ['--experimental-wasm-modules', '--no-warnings', '--import', 'tsx', 'scripts/check-system.ts', ...args], { cwd: root, env, stdio: 'inherit' }).status;
  const install = join(root, 'scripts/install-system-deps.sh');
  let status = check();
  if (status === MISSING_PACKAGES && process.getuid?.() === 0) {
    console.log(`${label}: installing the missing system packages…`);
    if (spawnSync('bash', [install], { cwd: root, env, stdio: 'inherit' }).status === 0) status = check();
  }
  if (status === 0) return;
  if (status === MISSING_PACKAGES && process.getuid?.() !== 0) console.error(`${label}: run this once, then ${again} again:\n  sudo ${install}`);
  process.exit(1);
}
