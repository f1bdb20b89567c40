// A notebook session's kernel over its life: which kernelspec it is, started
// on the first run (never on page open), its status as collaborators see it,
// its death, and its replacement by a fresh process (restart that failed,
// kernel change).
//
// Invariants: at most one kernel is current or starting at a time, and a
// replacement shuts the old one down before the new one starts; a status event
// from a kernel that is no longer current changes nothing; a kernel that
// finishes starting after the session closed is shut down at once; the status
// is 'dead' from a death until a replacement starts, and `deadReason` keeps the
// first reason given.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type * as Y from 'yjs';
import { kernelOrigin, notebookMetadataOf } from '../notebook-model';
import type { KernelStatus } from '../notebook-model/service-protocol';
import { startKernelSession } from '../notebook-model/run-record';
import { safeFolderName } from './folder-name';
import type { KernelIsolation, KernelLocator } from './kernel-provider';
import { KernelRefusal } from './kernel-refusal';
import { notebookKernelSpec } from './kernelspec-choice';
import type { KernelBackend, KernelSpecInfo, SessionKernel } from './session-kernel';

export interface NotebookKernelOptions {
  notebookId: string;
  backend: KernelBackend;
  /** Parent of the per-notebook working folders (`<dir>/<notebookId>`). */
  kernelsDir: string;
  /** The notebook's document (read at each use: it may be replaced). */
  doc: () => Y.Doc;
}

export interface NotebookKernelHooks {
  /** Anything collaborators see changed (status, spec, isolation). */
  changed(): void;
  /** A kernel started or restarted: a fresh kernel state. */
  started(kernel: SessionKernel): void;
  /** The kernel died (the session drops its queue and releases its charge). */
  died(reason: string): void;
  /** The session was closed. */
  closed(): boolean;
}

export class NotebookKernel {
  current?: SessionKernel;
  starting?: Promise<SessionKernel>;
  spec?: KernelSpecInfo;
  status: KernelStatus = 'none';
  deadReason?: string;
  isolation?: KernelIsolation;
  private readonly following: (() => void)[] = [];

  constructor(private readonly options: NotebookKernelOptions, private readonly hooks: NotebookKernelHooks) {}

  /** A kernel runs or is starting. */
  get isStarted(): boolean {
    return this.current !== undefined || this.starting !== undefined;
  }

  /** The current kernel, else the one starting (once started), else none. */
  async settled(): Promise<SessionKernel | undefined> {
    return this.current ?? await this.starting?.catch(() => undefined);
  }

  /** The running kernel, starting one (of the notebook's kernelspec) if none runs. */
  async ensure(): Promise<SessionKernel> {
    if (this.current) return this.current;
    if (!this.starting) this.starting = this.start(this.spec ?? await this.resolveSpec());
    return this.starting;
  }

  /** The kernel for a request that needs one running now (completion, inspection). */
  live(): SessionKernel {
    const kernel = this.current;
    if (!kernel || this.status === 'dead') throw new KernelRefusal('kernel-not-started', 'kernel not started: run a cell first');
    return kernel;
  }

  /** Records a death for everyone; the first reason stays. */
  markDead(reason: string): void {
    if (this.status !== 'dead') this.deadReason = reason;
    this.status = 'dead';
  }

  /** A restart or kernel change was asked for: the last death no longer explains anything. */
  forgetDeath(): void {
    this.deadReason = undefined;
  }

  /**
   * Restarts the kernel in place; a kernel that is dead or cannot restart is
   * replaced by a fresh process (`charge` first: the dead one gave its slot up).
   */
  async restart(charge: () => void): Promise<void> {
    const kernel = await this.starting ?? this.current;
    if (kernel && this.status !== 'dead') {
      try {
        await kernel.restart();
        this.freshState();
        this.hooks.changed();
        return;
      } catch {
        // fall through: replace a kernel that cannot restart with a new process
      }
    }
    charge();
    await this.replace(this.spec ?? await this.resolveSpec());
  }

  /** Shuts the current (or starting) kernel down and starts `spec`; a failure is a death and a KernelRefusal. */
  async replace(spec: KernelSpecInfo): Promise<void> {
    const old = await this.settled();
    this.current = undefined;
    await old?.shutdown().catch(() => {});
    this.status = 'none';
    this.starting = this.start(spec);
    try {
      await this.starting;
    } catch (err) {
      this.hooks.died(`the kernel could not start: ${(err as Error).message}`);
      throw new KernelRefusal('kernel-start-failed', `The kernel "${spec.name}" could not start: ${(err as Error).message}`);
    }
  }

  /** Stops listening to every kernel's status (the session closes). */
  stopFollowing(): void {
    for (const off of this.following.splice(0)) off();
  }

  /** Takes the kernel away (the session closes): the caller shuts it down. */
  async detach(): Promise<SessionKernel | undefined> {
    const kernel = await this.settled();
    this.current = undefined;
    this.status = 'none';
    return kernel;
  }

  /** The notebook's kernelspec from its metadata, else the first installed Python kernel. */
  async resolveSpec(): Promise<KernelSpecInfo> {
    const wanted = (notebookMetadataOf(this.options.doc()).kernelspec as { name?: unknown } | undefined)?.name;
    return notebookKernelSpec(await this.options.backend.listSpecs(), typeof wanted === 'string' ? wanted : undefined);
  }

  /** A fresh kernel state: outputs of earlier runs describe one that is gone (stale marks). */
  freshState(): void {
    if (this.current) this.hooks.started(this.current);
    const doc = this.options.doc();
    if (!doc.isDestroyed) startKernelSession(doc, kernelOrigin);
  }

  private start(spec: KernelSpecInfo): Promise<SessionKernel> {
    return this.begin(spec, (cwd) => this.options.backend.start(spec, cwd), true);
  }

  /**
   * Reaches the kernel an earlier owner of the notebook left running (its
   * locator), adopting the runs `adopt` names. The kernel's state goes on: no
   * fresh kernel state is marked. Rejects when it cannot be reached.
   */
  reconnect(spec: KernelSpecInfo, locator: KernelLocator, adopt: readonly string[]): Promise<SessionKernel> {
    const { backend } = this.options;
    if (!backend.reconnect) return Promise.reject(new Error('this kernel backend cannot reach a kernel another bridge started'));
    this.starting = this.begin(spec, (cwd) => backend.reconnect!(spec, cwd, locator, adopt), false);
    return this.starting;
  }

  private async begin(spec: KernelSpecInfo, open: (cwd: string) => Promise<SessionKernel>, fresh: boolean): Promise<SessionKernel> {
    this.spec = spec;
    this.status = 'starting';
    this.hooks.changed();
    const cwd = join(this.options.kernelsDir, safeFolderName(this.options.notebookId));
    mkdirSync(cwd, { recursive: true });
    try {
      const kernel = await open(cwd);
      if (this.hooks.closed()) {
        await kernel.shutdown().catch(() => {});
        throw new Error('the session was closed while the kernel started');
      }
      this.adopt(kernel, fresh);
      return kernel;
    } finally {
      this.starting = undefined;
    }
  }

  /** Makes `kernel` (started) the current one and follows its status. */
  private adopt(kernel: SessionKernel, fresh: boolean): void {
    this.current = kernel;
    this.isolation = kernel.isolation ?? undefined;
    if (fresh) this.freshState();
    else this.hooks.started(kernel);
    this.status = kernel.status === 'starting' ? 'idle' : kernel.status;
    this.following.push(kernel.onStatus((status, reason) => {
      if (this.current !== kernel) return;
      if (status === 'dead') this.hooks.died(reason ?? 'the kernel process exited');
      else {
        this.status = status;
        this.hooks.changed();
      }
    }));
    this.hooks.changed();
  }
}
