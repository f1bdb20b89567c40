// Checks that this machine can run kernels as configured, before anything is
// served or tested: a python3 kernelspec installed, and (unless the operator
// set KERNEL_SANDBOX=none) a kernel sandbox that bubblewrap can actually make,
// and with KERNEL_SANDBOX_NETWORK=outbound a network that pasta can give it;
// neither when kernels run on a kernel gateway.
// With --for-tests, also what the tests need (Jupyter Server for the gateway
// tests). With --migrate, once all is well, also brings the database up to date
// (scripts/migrate.ts), in this same process: `npm start` starts tsx once for both.
// Prints one line per problem; exits 3 when installing the system packages would
// help (scripts/system-check.mjs then installs them or says what to run), 4 when
// only the printed fix would.
import { spawnSync } from 'node:child_process';
import { kernelGatewaySettings } from '../config/gateway';
import { kernelConfig } from '../config/kernels';
import { findExecutable } from '../kernel-bridge/find-executable';
import { listKernelSpecs } from '../kernel-bridge/kernelspecs';
import { tryOutboundNetwork } from '../kernel-bridge/outbound-network';
import { missingBubblewrap, trySandbox } from '../kernel-bridge/sandbox-provider';

const forTests = process.argv.includes('--for-tests');
const missingPackages: string[] = [];
const otherProblems: string[] = [];
// On a kernel gateway (KERNEL_GATEWAY_URL) kernels run there, with its kernelspecs and
// its isolation; the tests still start kernels here.
if (forTests || !kernelGatewaySettings()) {
  const { specs } = await listKernelSpecs();
  if (!specs.some((s) => s.name === 'python3')) missingPackages.push('no python3 Jupyter kernelspec is installed (Debian: python3-ipykernel)');
  if (kernelConfig.sandbox === 'sandbox') {
    const why = await trySandbox({ uid: kernelConfig.sandboxUid, gid: kernelConfig.sandboxGid });
    if (why === missingBubblewrap) missingPackages.push('bubblewrap, which sandboxes every kernel, is not installed (Debian: bubblewrap)');
    else if (why) otherProblems.push(why);
    if (kernelConfig.outboundNetwork) {
      const pasta = findExecutable('pasta');
      const dropTo = process.getuid?.() === 0 ? { uid: kernelConfig.sandboxUid, gid: kernelConfig.sandboxGid } : undefined;
      if (!pasta) missingPackages.push('pasta, which gives kernels the outbound network KERNEL_SANDBOX_NETWORK=outbound asks for, is not installed (Debian: passt)');
      else {
        const noNetwork = await tryOutboundNetwork(pasta, dropTo);
        if (noNetwork) otherProblems.push(noNetwork);
      }
    }
  }
}
if (forTests) {
  const server = spawnSync('/usr/bin/python3', ['-c', 'import jupyter_server'], { encoding: 'utf8' });
  if (server.status !== 0) missingPackages.push('Jupyter Server is not installed (Debian: python3-jupyter-server), which the kernel gateway tests start');
}
for (const p of [...missingPackages, ...otherProblems]) console.error(`cellmate: ${p}`);
if (missingPackages.length) process.exit(3);
if (otherProblems.length) process.exit(4);
if (process.argv.includes('--migrate')) {
  await import('./migrate').catch((err: unknown) => {
    console.error(`cellmate: the database migration failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
