// The live kernel sessions of the bridge, one per notebook. A session (and its
// connection to the notebook's room) exists only while someone has run code on
// that notebook and the kernel has not idled out; with no session the bridge is
// not a peer of the notebook at all.
//
// Invariant: at most one session per notebook, even when two requests for a
// notebook without one arrive at once (the second awaits the first's opening).
// All sessions share one KernelQuota: the limits on running kernels. Joined
// notebooks are kept on disk (joined-notebooks.ts) until their session closes,
// so a bridge started after a crash finds the runs the old one cut off.
import { kernelOrigin } from '../notebook-model';
import { resetOrphanedRuns } from '../notebook-model/execution';
import { DocumentPeer } from './document-peer';
import { JoinedNotebooks } from './joined-notebooks';
import { KernelSession, type Requester } from './kernel-session';
import type { KernelBackend } from './session-kernel';
import type { HandoverRecord } from './kernel-handover';
import { KernelQuota, unlimitedKernels, type KernelLimits } from './kernel-quota';

export interface SessionRegistryOptions {
  collabUrl: string;
  backend: KernelBackend;
  kernelsDir: string;
  idleTimeoutMs: number;
  maxOutputBytes?: number;
  /** How long joining a notebook's room may take before a run request fails. */
  syncTimeoutMs?: number;
  /** Limits on running kernels (default: none). */
  limits?: KernelLimits;
  /** Called when a notebook's session closed (with several bridges: its kernel lease is given up). */
  onClosed?: (notebookId: string) => void;
  /** With several bridges: where the next owner can find a notebook's gateway kernel (kernel-handover.ts). */
  onHandover?: (notebookId: string, record: HandoverRecord | null) => void;
  /**
   * With several bridges: the fence of this bridge's lease on the notebook, which
   * the session's peer presents so a stale owner cannot write (document-peer.ts);
   * throws when this bridge does not hold the lease.
   */
  kernelFence?: (notebookId: string) => Promise<number>;
}

export class SessionRegistry {
  private readonly sessions = new Map<string, KernelSession>();
  private readonly opening = new Map<string, Promise<KernelSession>>();
  private closedForGood = false;
  private readonly joined: JoinedNotebooks;
  readonly quota: KernelQuota;

  constructor(private readonly options: SessionRegistryOptions) {
    this.quota = new KernelQuota(options.limits ?? unlimitedKernels);
    this.joined = new JoinedNotebooks(options.kernelsDir);
  }

  /**
   * Joins, one at a time, the notebooks an earlier bridge process joined and
   * never left cleanly (it was killed or crashed), puts back to idle the cells
   * it left running or queued, with a note on each, and leaves again. Run at
   * start; a notebook this process opens meanwhile is left to its session,
   * which does the same on opening. A notebook whose room cannot be joined
   * stays listed for the next start. Resolves with the ids of the cells reset.
   * A notebook `leftToOthers` says another bridge looks after (with several
   * bridges: its lease is held, or a bridge is to take its kernel over) is
   * only forgotten here.
   */
  async sweepOrphanedRuns(syncTimeoutMs = 60_000, leftToOthers: (notebookId: string) => Promise<boolean> = async () => false): Promise<string[]> {
    const reset: string[] = [];
    for (const notebookId of this.joined.list()) {
      if (this.closedForGood) break;
      if (this.sessions.has(notebookId) || this.opening.has(notebookId)) continue;
      if (await leftToOthers(notebookId).catch(() => false)) {
        this.joined.remove(notebookId);
        continue;
      }
      let peer: DocumentPeer;
      try {
        peer = await DocumentPeer.connect({ collabUrl: this.options.collabUrl, notebookId, syncTimeoutMs });
      } catch (err) {
        console.error(`kernel bridge: could not check notebook ${notebookId} for runs cut off by an earlier bridge: ${(err as Error).message}`);
        continue;
      }
      try {
        if (!this.sessions.has(notebookId) && !this.opening.has(notebookId)) reset.push(...resetOrphanedRuns(peer.doc, kernelOrigin, true));
      } finally {
        peer.close();
      }
      if (!this.sessions.has(notebookId) && !this.opening.has(notebookId)) this.joined.remove(notebookId);
    }
    return reset;
  }

  get backend(): KernelBackend {
    return this.options.backend;
  }

  /** The notebook's session if one is running. */
  get(notebookId: string): KernelSession | undefined {
    return this.sessions.get(notebookId);
  }

  /** The notebook's session, joining the notebook's room first if needed. */
  async open(notebookId: string): Promise<KernelSession> {
    if (this.closedForGood) throw new Error('the kernel bridge is shutting down');
    const existing = this.sessions.get(notebookId);
    if (existing) return existing;
    let pending = this.opening.get(notebookId);
    if (!pending) {
      pending = this.create(notebookId).finally(() => this.opening.delete(notebookId));
      this.opening.set(notebookId, pending);
    }
    return pending;
  }

  /**
   * Refuses at once (KernelLimitError) a request that would start a kernel for a
   * notebook the bridge has not joined, when `requester` has no room for one, so
   * a refused run does not join the notebook's room. Only a quick check: the
   * session charges the kernel when it decides to start one.
   */
  assertRoomForKernel(notebookId: string, requester: Requester): void {
    if (this.sessions.has(notebookId) || this.opening.has(notebookId)) return;
    this.quota.check(requester);
  }

  /**
   * Opens the session of a notebook whose earlier owner died and takes over
   * the kernel it left (KernelSession.takeOver). Resolves with whether the
   * kernel was reached; either way the session now speaks for the notebook.
   */
  async takeOver(notebookId: string, record: HandoverRecord): Promise<boolean> {
    if (this.closedForGood) throw new Error('the kernel bridge is shutting down');
    if (this.sessions.has(notebookId) || this.opening.has(notebookId)) return false;
    const pending = this.create(notebookId, true).finally(() => this.opening.delete(notebookId));
    this.opening.set(notebookId, pending);
    return (await pending).takeOver(record);
  }

  /** The "shut down" action: waits for a session still opening, then closes it. */
  async shutDown(notebookId: string): Promise<void> {
    await this.opening.get(notebookId)?.catch(() => undefined);
    await this.close(notebookId);
  }

  /**
   * Stops a notebook's kernel and leaves its room; with `leaveKernel` (its
   * lease was lost to another bridge) a gateway kernel is left running for it.
   */
  async close(notebookId: string, leaveKernel = false): Promise<void> {
    const session = this.sessions.get(notebookId);
    if (!session) return;
    this.sessions.delete(notebookId);
    await session.dispose(leaveKernel);
    if (!this.sessions.has(notebookId) && !this.opening.has(notebookId)) {
      this.joined.remove(notebookId);
      this.options.onClosed?.(notebookId);
    }
  }

  /** Stops every kernel and leaves every room (process shutdown). */
  async closeAll(): Promise<void> {
    this.closedForGood = true;
    await Promise.allSettled([...this.opening.values()]);
    await Promise.all([...this.sessions.keys()].map((id) => this.close(id)));
  }

  private async create(notebookId: string, takingOver = false): Promise<KernelSession> {
    const kernelFence = await this.options.kernelFence?.(notebookId);
    const peer = await DocumentPeer.connect({ collabUrl: this.options.collabUrl, notebookId, syncTimeoutMs: this.options.syncTimeoutMs, kernelFence });
    if (this.closedForGood) {
      peer.close();
      throw new Error('the kernel bridge is shutting down');
    }
    this.joined.add(notebookId);
    const session = new KernelSession({
      notebookId,
      peer,
      backend: this.options.backend,
      kernelsDir: this.options.kernelsDir,
      idleTimeoutMs: this.options.idleTimeoutMs,
      maxOutputBytes: this.options.maxOutputBytes,
      quota: this.quota,
      takingOver,
      onHandover: this.options.onHandover && ((record) => this.options.onHandover!(notebookId, record)),
      onRetire: (retired) => {
        if (this.sessions.get(notebookId) === retired) void this.close(notebookId);
      },
    });
    this.sessions.set(notebookId, session);
    return session;
  }
}
