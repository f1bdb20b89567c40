// Outbound network for sandboxed kernels (KERNEL_SANDBOX_NETWORK=outbound)
// through pasta, on this machine as it is: where the kernel's user cannot open
// /dev/net/tun (here it is 0600 root), pasta cannot make the kernel a network,
// and a kernel start is refused with a message in the kernel status that says
// what to change; where it can, the kernel starts with outbound network only
// and still cannot reach the host's loopback services. Real bridge, real
// collab server, real pasta and bubblewrap.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { kernelConfig } from '../config/kernels';
import { outputText, startRig, waitFor, KERNEL_DEADLINE_MS, type Rig } from './bridge-test-harness';
import { openWaysOut, runCell, tryAll } from './escape-attempts';
import { findExecutable } from './find-executable';
import { tryOutboundNetwork } from './outbound-network';
import { sandboxedProvider } from './sandbox-provider';

const LONG = { timeout: 300_000 };
const uid = kernelConfig.sandboxUid;
const dropTo = process.getuid?.() === 0 ? { uid, gid: kernelConfig.sandboxGid } : undefined;
const kernelUid = dropTo?.uid ?? process.getuid!();
let rig: Rig;

/** Whether the kernel's user may open the tun device pasta needs, judged from its owner and mode. */
function tunOpenToKernelUser(): boolean {
  const st = statSync('/dev/net/tun');
  return kernelUid === 0 || (st.uid === kernelUid ? (st.mode & 0o600) === 0o600 : (st.mode & 0o006) === 0o006);
}

before(async () => {
  rig = await startRig({
    memoryLimitMb: 2048,
    provider: sandboxedProvider({
      settings: { uid, gid: kernelConfig.sandboxGid, outbound: true, cpus: kernelConfig.cpuLimit, maxProcesses: kernelConfig.maxProcesses },
      log: () => {},
    }),
  });
});
after(async () => { await rig?.close(); });

test('with outbound network on, a kernel pasta cannot give a network is refused with what to change, shown in the kernel status; otherwise it runs without the host\'s loopback', LONG, async () => {
  const pasta = findExecutable('pasta');
  assert.ok(pasta, 'pasta (Debian: passt) is installed, as scripts/install-system-deps.sh does');
  const nb = await rig.notebook([
    tryAll({
      'connect to the bridge': `socket.create_connection(('127.0.0.1', ${Number(new URL(rig.bridgeUrl).port)}), timeout=3)`,
      'connect to PostgreSQL': "socket.create_connection(('127.0.0.1', 5432), timeout=3)",
      'connect to Redis': "socket.create_connection(('127.0.0.1', 6379), timeout=3)",
    }),
  ], 'Outbound');
  const view = await rig.browser(nb.id);
  const token = await rig.token(nb.id);

  if (!tunOpenToKernelUser()) {
    const why = await tryOutboundNetwork(pasta, dropTo);
    assert.ok(why, 'pasta cannot work for a user the tun device is closed to');
    assert.match(why, new RegExp(`pasta cannot give the kernel's user \\(uid ${kernelUid}\\) a network on this server \\(pasta: .*tun`));
    assert.match(why, /chmod 0666 \/dev\/net\/tun/);
    assert.match(why, /KERNEL_SANDBOX_NETWORK=none/);

    assert.equal((await rig.post(`/notebooks/${nb.id}/execute`, token, { cellIds: ['cell0'] })).status, 202);
    const kernel = await waitFor(() => (view.kernel()?.status === 'dead' ? view.kernel() : undefined), KERNEL_DEADLINE_MS, 'the kernel start to be refused');
    assert.equal(kernel!.deadReason, `the kernel could not start: ${why}`);
    assert.deepEqual(kernel!.notRun, ['cell0'], 'the cell is kept, labelled not run');
  } else {
    await runCell(rig, nb.id, 'cell0', view, token);
    assert.match(view.kernel()?.isolation?.description ?? '', /outbound network only/);
    const { reached, tried } = openWaysOut(outputText(view.doc, 'cell0'));
    assert.equal(tried, 3);
    assert.deepEqual(reached, [], `the host's loopback was reachable: ${reached.join(', ')}`);
  }
});
