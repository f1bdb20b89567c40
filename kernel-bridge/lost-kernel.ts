// What a bridge does for a notebook whose owning bridge died (kernel-lease.ts).
// A gateway kernel outlives its bridge: when the owner left a handover record
// (kernel-handover.ts), this bridge opens the notebook's session and takes the
// kernel over, with its run in progress and its queue. Otherwise the kernel
// died with its bridge (a local kernel), so the cells it left running or
// queued are put back to idle, each with a note saying the kernel service
// stopped under it, as a restarted single bridge does (sweepOrphanedRuns).
import { kernelOrigin } from '../notebook-model';
import { resetOrphanedRuns } from '../notebook-model/execution';
import { DocumentPeer } from './document-peer';
import type { KernelHandovers } from './kernel-handover';
import type { SessionRegistry } from './session-registry';

/**
 * Takes the notebook of a dead owner over: its gateway kernel when one was
 * recorded and this bridge can reach such kernels ('keep': the session holds
 * the lease now), else resets the runs it left ('release').
 */
export async function takeOverNotebook(
  registry: SessionRegistry, handovers: KernelHandovers, collabUrl: string, notebookId: string, log: (message: string) => void,
  kernelFence?: number,
): Promise<'keep' | 'release'> {
  const record = registry.backend.reconnect ? await handovers.read(notebookId) : null;
  if (record) {
    const reached = await registry.takeOver(notebookId, record);
    log(reached
      ? `kernel bridge: took over notebook ${notebookId} and its kernel ${record.locator.kernelId} on the gateway from a bridge that stopped`
      : `kernel bridge: took over notebook ${notebookId}; its kernel ${record.locator.kernelId} is gone from the gateway, and the notebook says so`);
    return 'keep';
  }
  const cells = await resetRunsOfLostKernel(collabUrl, notebookId, { kernelFence });
  log(`kernel bridge: notebook ${notebookId} lost its kernel with its bridge; ${cells.length} cell(s) it left running or queued were reset`);
  return 'release';
}

/**
 * Joins the notebook's room, resets its orphaned runs with notes, leaves; returns
 * the ids reset. `kernelFence`: the fence of the lease taken to adopt the
 * notebook (document-peer.ts), so a stale adopter's reset is refused.
 */
export async function resetRunsOfLostKernel(
  collabUrl: string, notebookId: string, options: { kernelFence?: number; syncTimeoutMs?: number } = {},
): Promise<string[]> {
  const peer = await DocumentPeer.connect({ collabUrl, notebookId, syncTimeoutMs: options.syncTimeoutMs ?? 30_000, kernelFence: options.kernelFence });
  try {
    return resetOrphanedRuns(peer.doc, kernelOrigin, true);
  } finally {
    peer.close();
  }
}
