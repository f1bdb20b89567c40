// The kernel bridge process: the HTTP API on BRIDGE_PORT, one shared kernel per
// notebook that someone runs (and one per "Save & run all" going), each joined to its notebook's room on the collab
// server. SIGINT/SIGTERM stop every kernel and leave every room before exiting.
import { currentRole } from '../auth/current-role';
import { bridgeInternalUrl, databaseUrl, ports } from '../config/env';
import { clusterSettings, kernelLeaseMs } from '../config/cluster';
import { kernelGatewaySettings } from '../config/gateway';
import { openStorage } from '../storage';
import { kernelConfig } from '../config/kernels';
import { bridgeConfig } from '../config/bridge';
import { findExecutable } from './find-executable';
import { missingBubblewrap } from './sandbox-provider';
import { kernelBackend } from './kernel-backend';
import { FreshRuns } from './fresh-runs';
import { KernelLeases } from './kernel-lease';
import { takeOverNotebook } from './lost-kernel';
import { createBridgeServer, listenBridge } from './http-api';
import { SessionRegistry } from './session-registry';

// With REDIS_URL, one of several bridges: each notebook's kernel is owned by one
// of them at a time (kernel-lease.ts), and requests are forwarded to its owner.
const cluster = clusterSettings();
let leases: KernelLeases | undefined;

const registry = new SessionRegistry({
  collabUrl: bridgeConfig.collabUrl,
  backend: kernelBackend({ memoryLimitMb: bridgeConfig.kernelMemoryLimitMb }),
  kernelsDir: bridgeConfig.kernelsDir,
  idleTimeoutMs: bridgeConfig.idleTimeoutSeconds * 1000,
  maxOutputBytes: bridgeConfig.maxOutputBytes,
  limits: { maxTotal: bridgeConfig.maxKernels, maxPerPerson: bridgeConfig.maxKernelsPerPerson },
  onClosed: (notebookId) => void leases?.release(notebookId).catch((err: Error) => console.error(`kernel bridge: lease release failed: ${err.message}`)),
  onHandover: (notebookId, record) => void leases?.handovers.record(notebookId, record),
  // A session opens right after its run request claimed the lease (lease-forwarding.ts); it writes under that lease's fence.
  kernelFence: cluster ? (notebookId) => heldFence(notebookId) : undefined,
});

/** The fence of this bridge's lease on the notebook (the collab server refuses writes under an older one); throws if another bridge holds it. */
async function heldFence(notebookId: string): Promise<number> {
  const holder = await leases?.holder(notebookId);
  if (!holder || holder.nodeId !== leases?.nodeId) throw new Error(`this bridge no longer holds the kernel of notebook ${notebookId}; try again`);
  return holder.fence;
}
if (cluster) {
  leases = await KernelLeases.connect({
    settings: cluster,
    url: bridgeInternalUrl(ports.bridge),
    ttlMs: kernelLeaseMs(),
    // The new owner may have taken the kernel over (a gateway kernel): let go of it, do not end it.
    onLost: (notebookId) => void registry.close(notebookId, true),
    // Under the adopted lease's fence: should this bridge stall and another take the notebook meanwhile, its reset is refused.
    onOrphaned: async (notebookId) => takeOverNotebook(registry, leases!.handovers, bridgeConfig.collabUrl, notebookId,
      (message) => console.log(message), await heldFence(notebookId)),
    log: (message) => console.error(message),
  });
}
// The database: who may run code on which notebook, per request; "Save & run all"
// reads the notebook and saves its run as a version.
const storage = await openStorage({ databaseUrl: databaseUrl(), migrate: false });
const server = createBridgeServer(registry, {
  resolveRole: (grant) => currentRole(storage, grant),
  notebookTitle: async (id) => (await storage.notebooks.get(id))?.title ?? null,
  freshRuns: new FreshRuns({ storage, quota: registry.quota, memoryLimitMb: bridgeConfig.kernelMemoryLimitMb, workDir: bridgeConfig.freshRunsDir }),
  leases,
});
const port = await listenBridge(server, ports.bridge);
console.log(`kernel bridge listening on http://localhost:${port}${cluster ? ` (node ${cluster.nodeId})` : ''}`);
// Cells a killed or crashed earlier bridge left running or queued: reset them, with a note.
// With several bridges, a notebook the leases look after is left to them: its
// kernel may live on on the gateway, taken over by another bridge.
void registry.sweepOrphanedRuns(undefined, async (notebookId) => (await leases?.tracked(notebookId)) ?? false).then((cells) => {
  if (cells.length) console.log(`kernel bridge: ${cells.length} cell(s) left running or queued by an earlier bridge process were reset`);
});
const limit = (n: number) => (n ? String(n) : 'no limit');
console.log(`kernel bridge: kernels at most ${limit(bridgeConfig.maxKernels)} on this machine, ${limit(bridgeConfig.maxKernelsPerPerson)} per person; `
  + `memory ${bridgeConfig.kernelMemoryLimitMb ? `${bridgeConfig.kernelMemoryLimitMb} MB` : 'unlimited'} per kernel`);
const gateway = kernelGatewaySettings();
if (gateway) console.log(`kernel bridge: kernels run on the kernel gateway at ${gateway.url} (its own isolation and memory limits apply)`);

if (kernelConfig.sandbox === 'none') {
  const line = '!'.repeat(78);
  console.warn(`${line}\nkernel bridge: KERNEL_SANDBOX=none: kernels are NOT sandboxed. They run as this process's user with\n`
    + 'its rights: every editor of any notebook can read the database, secret.key and other notebooks\' files,\n'
    + `and reach every service on this machine. Kernel statuses say "not sandboxed".\n${line}`);
} else if (!findExecutable('bwrap')) {
  console.error(`kernel bridge: ${missingBubblewrap}`);
} else {
  console.log(`kernel bridge: kernels are sandboxed (bubblewrap; network ${kernelConfig.outboundNetwork ? 'outbound only' : 'none'}; `
    + `${kernelConfig.cpuLimit || 'no'} CPU limit, ${kernelConfig.maxProcesses || 'no'} process limit)`);
}

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`kernel bridge: ${signal} received, shutting down kernels`);
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  server.close();
  server.closeAllConnections();
  await registry.closeAll().catch((err) => console.error('kernel bridge: shutdown error', err));
  await leases?.close();
  await storage.close().catch(() => undefined);
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
