// Checks that this machine can run kernels as configured, before anything is
// served or tested: a python3 kernelspec installed, and (unless the operator
// set KERNEL_SANDBOX=none) a kernel sandbox that bubblewrap can actually make.
// With --for-tests, also what the tests need (Jupyter Server for the gateway
// tests). Prints one line per problem and exits 3 when there is any; the
// caller (scripts/start.mjs, scripts/test.mjs) installs or says what to run.
import { spawnSync } from 'node:child_process';
import { kernelConfig } from '../config/kernels';
import { listKernelSpecs } from '../kernel-bridge/kernelspecs';
import { trySandbox } from '../kernel-bridge/sandbox-provider';

const problems: string[] = [];
const { specs } = await listKernelSpecs();
if (!specs.some((s) => s.name === 'python3')) problems.push('no python3 Jupyter kernelspec is installed (Debian: python3-ipykernel)');
if (kernelConfig.sandbox === 'sandbox') {
  const why = await trySandbox({ uid: kernelConfig.sandboxUid, gid: kernelConfig.sandboxGid });
  if (why) problems.push(why);
}
if (process.argv.includes('--for-tests')) {
  const server = spawnSync('/usr/bin/python3', ['-c', 'import jupyter_server'], { encoding: 'utf8' });
  if (server.status !== 0) problems.push('Jupyter Server is not installed (Debian: python3-jupyter-server), which the kernel gateway tests start');
}
for (const p of problems) console.error(`cellmate: ${p}`);
process.exit(problems.length ? 3 : 0);
