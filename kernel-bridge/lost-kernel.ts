// What a bridge does for a notebook whose owning bridge died (kernel-lease.ts):
// the kernel died with it (a local kernel), so the cells it left running or
// queued are put back to idle, each with a note saying the kernel service
// stopped under it, as a restarted single bridge does (sweepOrphanedRuns).
import { kernelOrigin } from '../notebook-model';
import { resetOrphanedRuns } from '../notebook-model/execution';
import { DocumentPeer } from './document-peer';

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
