// The live kernel sessions of the bridge, one per notebook. A session (and its
// connection to the notebook's room) exists only while someone has run code on
// that notebook and the kernel has not idled out; with no session the bridge is
// not a peer of the notebook at all.
//
// Invariant: at most one session per notebook, even when two requests for a
// notebook without one arrive at once (the second awaits the first's opening).
// All sessions share one KernelQuota: the limits on running kernels.
import { DocumentPeer } from './document-peer';
import { KernelSession, type Requester } from './kernel-session';
import type { KernelBackend } from './kernel-backend';
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
}

export class SessionRegistry {
  private readonly sessions = new Map<string, KernelSession>();
  private readonly opening = new Map<string, Promise<KernelSession>>();
  private closedForGood = false;
  readonly quota: KernelQuota;

  constructor(private readonly options: SessionRegistryOptions) {
    this.quota = new KernelQuota(options.limits ?? unlimitedKernels);
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

  /** The "shut down" action: waits for a session still opening, then closes it. */
  async shutDown(notebookId: string): Promise<void> {
    await this.opening.get(notebookId)?.catch(() => undefined);
    await this.close(notebookId);
  }

  /** Stops a notebook's kernel and leaves its room. */
  async close(notebookId: string): Promise<void> {
    const session = this.sessions.get(notebookId);
    if (!session) return;
    this.sessions.delete(notebookId);
    await session.dispose();
  }

  /** Stops every kernel and leaves every room (process shutdown). */
  async closeAll(): Promise<void> {
    this.closedForGood = true;
    await Promise.allSettled([...this.opening.values()]);
    await Promise.all([...this.sessions.keys()].map((id) => this.close(id)));
  }

  private async create(notebookId: string): Promise<KernelSession> {
    const peer = await DocumentPeer.connect({ collabUrl: this.options.collabUrl, notebookId, syncTimeoutMs: this.options.syncTimeoutMs });
    if (this.closedForGood) {
      peer.close();
      throw new Error('the kernel bridge is shutting down');
    }
    const session = new KernelSession({
      notebookId,
      peer,
      backend: this.options.backend,
      kernelsDir: this.options.kernelsDir,
      idleTimeoutMs: this.options.idleTimeoutMs,
      maxOutputBytes: this.options.maxOutputBytes,
      quota: this.quota,
      onRetire: (retired) => {
        if (this.sessions.get(notebookId) === retired) void this.close(notebookId);
      },
    });
    this.sessions.set(notebookId, session);
    return session;
  }
}
