// One notebook's shared kernel and its execution queue. Every collaborator's run
// request lands in the same FIFO queue; cells run one at a time on one kernel and
// write their outputs into the shared document through the bridge's peer.
//
// Invariants:
// - A cell id is in `queue` exactly while its document state is 'queued'; the
//   cell in `running` is 'running' (runCell owns that write). Anything that
//   empties the queue (error, interrupt, restart, kernel change, death, document
//   replacement) puts the dequeued cells back to 'idle' in the same step.
// - The kernel is started on the first run request, never on page open.
// - While a kernel process runs or starts, the session holds its quota slot
//   (kernel-quota.ts), charged to whoever's request started it; the slot is
//   released when the process is gone (death, shutdown, idle retirement). A
//   refused start changes nothing: no cell is marked queued.
// - Everything collaborators need to know about the kernel is published in the
//   peer's awareness under `kernel` (see README.md, "Awareness contract") right
//   after each change; nothing about it is persisted.
// - A stdin request is answered only by the user who queued the running cell.
import { mkdirSync } from 'node:fs';
import { safeFolderName } from './folder-name';
import { join } from 'node:path';
import type * as Y from 'yjs';
import {
  cellTypeOf, findCell, kernelOrigin, notebookMetadataOf, setNotebookMetadata, executionStateOf,
} from '../notebook-model';
import { setExecutionState, appendNotRunNote, resetOrphanedRuns } from '../notebook-model/execution';
import { kernelAwarenessKey, type KernelAwarenessState, type KernelStatus } from '../notebook-model/service-protocol';
import { startKernelSession } from '../notebook-model/run-record';
import { IdleRetirement } from './idle-retirement';
import { InputPrompt } from './input-prompt';
import { InterruptReport } from './interrupt-report';
import { KernelRefusal } from './kernel-refusal';
import { waitUntilCaughtUp } from './document-fence';
import type { DocumentPeer } from './document-peer';
import type { KernelIsolation } from './kernel-provider';
import type { KernelBackend, KernelSpecInfo, SessionKernel } from './session-kernel';
import { KernelResources } from './kernel-resources';
import type { KernelQuota, KernelSlot } from './kernel-quota';
import { installedKernelSpec, notebookKernelSpec } from './kernelspec-choice';

/** Who asked for something, as their notebook token names them. */
export interface Requester {
  name: string;
  userId: string;
}

/** The `kernel` field of the bridge's awareness state: the contract with the UI (notebook-model/service-protocol.ts). */
export type { KernelAwarenessState };

export interface KernelSessionOptions {
  notebookId: string;
  peer: DocumentPeer;
  backend: KernelBackend;
  /** Parent of the per-notebook working folders (`<dir>/<notebookId>`). */
  kernelsDir: string;
  /** Stop the kernel after this long without executions; 0 disables. */
  idleTimeoutMs: number;
  /** Called when the idle timeout fires; the owner disposes of the session. */
  onRetire?: (session: KernelSession) => void;
  /** Largest output a single cell may write (passed to the cell runner). */
  maxOutputBytes?: number;
  /** Limits on running kernels; without it any number may start. */
  quota?: KernelQuota;
}

interface QueueEntry {
  cellId: string;
  by: Requester;
}

interface RunningCell extends QueueEntry {
  startedAt: number;
  abort: AbortController;
  /** Someone pressed Interrupt during this run: its error is expected and must not empty the queue again. */
  interrupted?: boolean;
}

export class KernelSession {
  readonly notebookId: string;
  private readonly options: KernelSessionOptions;
  private kernel?: SessionKernel;
  private kernelStarting?: Promise<SessionKernel>;
  /** The quota charge of the kernel process, while one runs or starts. */
  private slot?: KernelSlot;
  private spec?: KernelSpecInfo;
  private status: KernelStatus = 'none';
  private deadReason?: string;
  private isolation?: KernelIsolation;
  private notRun: string[] = [];
  private queue: QueueEntry[] = [];
  private running?: RunningCell;
  private readonly input = new InputPrompt(() => this.publish());
  /** What the last Interrupt came to (interrupt-report.ts). */
  private readonly interrupts = new InterruptReport(() => this.publish());
  private draining = false;
  private readonly idle: IdleRetirement;
  private disposed = false;
  private unsubscribers: (() => void)[] = [];
  /** The kernel's variables and memory, published beside `kernel` (kernel-resources.ts). */
  private readonly resources: KernelResources;

  constructor(options: KernelSessionOptions) {
    this.options = options;
    this.notebookId = options.notebookId;
    // Handed to the registry to be retired after idleTimeoutMs with nothing to run.
    this.idle = new IdleRetirement(options.idleTimeoutMs, () => this.disposed || this.busy, () => this.options.onRetire?.(this));
    this.resources = new KernelResources((key, value) => options.peer.setAwarenessField(key, value));
    this.unsubscribers.push(options.peer.onReplaced((fresh) => this.documentReplaced(fresh)));
    this.unsubscribers.push(options.peer.onClosed((reason) => this.peerLost(reason)));
    // A new session owns no run yet: any cell still marked running or queued was left
    // so by a bridge that stopped without cleaning up (kill -9, crash).
    resetOrphanedRuns(this.doc, kernelOrigin, true);
    this.publish();
  }

  private get doc(): Y.Doc {
    return this.options.peer.doc;
  }

  /** The current awareness view of this session (also what collaborators see). */
  get state(): KernelAwarenessState {
    return {
      status: this.status,
      specName: this.spec?.name,
      displayName: this.spec?.displayName,
      runningCellId: this.running?.cellId,
      runStartedAt: this.running?.startedAt,
      runBy: this.running ? { name: this.running.by.name, userId: this.running.by.userId } : undefined,
      queue: this.queue.map((e) => ({ cellId: e.cellId, queuedBy: { name: e.by.name } })),
      deadReason: this.deadReason,
      isolation: this.isolation,
      notRun: this.notRun.length ? [...this.notRun] : undefined,
      inputRequest: this.input.view,
      interrupt: this.interrupts.view,
    };
  }

  /** True while a cell runs or waits, or the kernel is starting. */
  get busy(): boolean {
    return this.running !== undefined || this.queue.length > 0 || this.kernelStarting !== undefined;
  }

  /** Waits until the shared document holds every edit the requester's copy had when they asked to run. */
  async catchUp(wanted: Map<number, number>, timeoutMs: number): Promise<void> {
    this.assertOpen();
    if (await waitUntilCaughtUp(this.doc, wanted, timeoutMs)) return;
    throw new KernelRefusal('edits-not-arrived', 'Your latest edits have not reached the server yet, so the cells would run without them. Check your connection, then run again.');
  }

  /**
   * Queues cells to run in the given order. Unknown ids reject the whole request;
   * markdown and raw cells are skipped. Returns the ids actually queued.
   */
  async enqueue(cellIds: readonly string[], by: Requester): Promise<string[]> {
    this.assertOpen();
    const unknown = cellIds.filter((id) => !findCell(this.doc, id));
    if (unknown.length) {
      throw new KernelRefusal('unknown-cells', `These cells are not in the notebook (deleted or never existed): ${unknown.join(', ')}`, { unknownCellIds: unknown });
    }
    if (this.status === 'dead') {
      throw new KernelRefusal('kernel-dead', `The kernel died (${this.deadReason ?? 'unknown reason'}). Restart the kernel to run cells again.`);
    }
    if (!this.kernel && !this.kernelStarting) this.spec = await this.resolveSpec();
    this.assertOpen();
    const waiting = new Set(this.queue.map((e) => e.cellId));
    const doc = this.doc;
    const queued: string[] = [];
    for (const cellId of cellIds) {
      const cell = findCell(doc, cellId);
      if (!cell || cellTypeOf(cell) !== 'code' || waiting.has(cellId)) continue;
      waiting.add(cellId);
      queued.push(cellId);
    }
    // No await from here to the queue: the kernel these cells will start is charged first,
    // and a refusal leaves every cell as it was.
    if (queued.length) this.chargeKernel(by);
    doc.transact(() => {
      for (const cellId of queued) {
        this.queue.push({ cellId, by });
        setExecutionState(doc, cellId, 'queued', kernelOrigin);
      }
    }, kernelOrigin);
    this.idle.clear();
    this.publish();
    void this.drain();
    return queued;
  }

  /**
   * Interrupts the running cell and drops the rest of the queue. Returns once
   * the request is recorded; the kernel client then makes sure of the outcome
   * (KernelClient.interrupt), which everyone sees in the awareness `interrupt`
   * field, settled for good when the interrupted run ends (interrupt-report.ts).
   */
  interrupt(by: Requester): void {
    this.assertOpen();
    this.clearQueue();
    const running = this.running;
    if (running) running.interrupted = true;
    this.input.cancel('the run was interrupted');
    const kernel = this.status === 'dead' ? undefined : this.kernel;
    this.interrupts.pressed(by, running?.cellId, kernel ? () => kernel.interrupt() : null, () => this.running === running);
  }

  /** Clears the queue and restarts the kernel (a fresh one, charged to `by`, if the old one died). */
  async restart(by: Requester): Promise<void> {
    this.assertOpen();
    if (!this.kernel && !this.kernelStarting) throw new KernelRefusal('kernel-not-started', 'The kernel is not started; run a cell to start it.');
    this.chargeKernel(by);
    this.interrupts.forget();
    this.stopAllWork('the kernel was restarted');
    this.deadReason = undefined;
    this.notRun = [];
    const kernel = await this.kernelStarting ?? this.kernel;
    if (kernel && this.status !== 'dead') {
      try {
        await kernel.restart();
        this.newKernelSession();
        this.publish();
        this.idle.arm();
        return;
      } catch {
        // fall through: replace a kernel that cannot restart with a new process
      }
    }
    await this.replaceKernel(this.spec ?? await this.resolveSpec(), by);
    this.idle.arm();
  }

  /** Shuts down the current kernel, starts `name` (charged to `by` if no kernel ran), and records it in the notebook's metadata. */
  async changeKernel(name: string, by: Requester): Promise<KernelSpecInfo> {
    this.assertOpen();
    const spec = installedKernelSpec(await this.options.backend.listSpecs(), name);
    this.assertOpen();
    this.chargeKernel(by);
    this.interrupts.forget();
    this.stopAllWork('the kernel was changed');
    setNotebookMetadata(this.doc, 'kernelspec', { name: spec.name, display_name: spec.displayName, language: spec.language }, kernelOrigin);
    this.deadReason = undefined;
    this.notRun = [];
    await this.replaceKernel(spec, by);
    this.idle.arm();
    return spec;
  }

  /** Answers the pending `input()` of the running cell; only its requester may. */
  answerInput(userId: string, value: string): void {
    this.assertOpen();
    this.input.answer(userId, value);
  }

  async complete(code: string, cursorPos: number): Promise<unknown> {
    return (await this.liveKernel()).complete(code, cursorPos);
  }

  async inspect(code: string, cursorPos: number, detailLevel: number): Promise<unknown> {
    return (await this.liveKernel()).inspect(code, cursorPos, detailLevel);
  }

  /** Stops the kernel and leaves the notebook's room. Safe to call twice. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.interrupts.close();
    this.idle.clear();
    this.resources.stop();
    for (const off of this.unsubscribers.splice(0)) off();
    try { this.stopAllWork('the kernel was shut down'); } catch { /* the doc may be gone already */ }
    const kernel = this.kernel ?? await this.kernelStarting?.catch(() => undefined);
    this.kernel = undefined;
    this.status = 'none';
    try { this.publish(); } catch { /* ignore */ }
    await kernel?.shutdown().catch(() => {});
    this.releaseKernel();
    this.options.peer.close();
  }

  // --- the queue ---------------------------------------------------------

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length && !this.disposed) {
        let kernel: SessionKernel;
        try {
          kernel = await this.ensureKernel();
        } catch (err) {
          this.kernelDied(`the kernel could not start: ${(err as Error).message}`);
          break;
        }
        const entry = this.queue.shift();
        if (!entry) break;
        const doc = this.doc;
        const running: RunningCell = { ...entry, startedAt: Date.now(), abort: new AbortController() };
        this.running = running;
        this.interrupts.runStarting();
        this.publish();
        let result;
        try {
          result = await kernel.run(doc, entry.cellId, {
            signal: running.abort.signal,
            maxOutputBytes: this.options.maxOutputBytes,
            onInputRequest: (request) => this.input.ask({ cellId: entry.cellId, ...request, forUserId: entry.by.userId }),
            runBy: { name: entry.by.name, id: entry.by.userId },
          });
        } catch (err) {
          result = { status: 'error' as const, reason: (err as Error).message };
        }
        this.running = undefined;
        if (running.interrupted) this.interrupts.runEnded(running.cellId, result);
        this.input.cancel('the cell finished');
        if (!doc.isDestroyed && findCell(doc, entry.cellId) && executionStateOf(findCell(doc, entry.cellId)!) !== 'idle') {
          setExecutionState(doc, entry.cellId, 'idle', kernelOrigin);
        }
        // A cell abandoned on purpose (restart, kernel change, replaced doc) reports how its
        // kernel went away; that is not a death anyone needs to hear about.
        if (!running.abort.signal.aborted) {
          if (result.status === 'dead') this.kernelDied(result.reason ?? this.deadReason ?? 'the kernel process exited');
          // The queue was already emptied when Interrupt was pressed; cells queued since are wanted.
          else if ((result.status === 'error' && !running.interrupted) || result.status === 'timeout') this.clearQueue();
        }
        this.publish();
      }
    } finally {
      this.draining = false;
      if (!this.busy) this.idle.arm();
      if (this.kernel && this.status !== 'dead' && !this.disposed && !this.queue.length) void this.resources.refresh(this.kernel, this.spec?.language);
    }
  }

  /** Drops every waiting cell, putting it back to idle (unrun, no note). */
  private clearQueue(): string[] {
    const dropped = this.queue.splice(0).map((e) => e.cellId);
    const doc = this.doc;
    if (dropped.length && !doc.isDestroyed) {
      doc.transact(() => {
        for (const cellId of dropped) if (findCell(doc, cellId)) setExecutionState(doc, cellId, 'idle', kernelOrigin);
      }, kernelOrigin);
    }
    return dropped;
  }

  /** Clears the queue and abandons the running cell (its kernel is about to go away). */
  private stopAllWork(reason: string): void {
    this.clearQueue();
    this.input.cancel(reason);
    this.running?.abort.abort(new Error(reason));
    this.publish();
  }

  // --- the kernel --------------------------------------------------------

  private async ensureKernel(): Promise<SessionKernel> {
    if (this.kernel) return this.kernel;
    if (!this.kernelStarting) this.kernelStarting = this.startKernel(this.spec ?? await this.resolveSpec());
    return this.kernelStarting;
  }

  private async startKernel(spec: KernelSpecInfo): Promise<SessionKernel> {
    this.spec = spec;
    this.status = 'starting';
    this.publish();
    const cwd = join(this.options.kernelsDir, safeFolderName(this.notebookId));
    mkdirSync(cwd, { recursive: true });
    try {
      const kernel = await this.options.backend.start(spec, cwd);
      if (this.disposed) {
        await kernel.shutdown().catch(() => {});
        throw new Error('the session was closed while the kernel started');
      }
      this.kernel = kernel;
      this.isolation = kernel.isolation ?? undefined;
      this.newKernelSession();
      this.status = kernel.status === 'starting' ? 'idle' : kernel.status;
      this.unsubscribers.push(kernel.onStatus((status, reason) => {
        if (this.kernel !== kernel) return;
        if (status === 'dead') this.kernelDied(reason ?? 'the kernel process exited');
        else {
          this.status = status;
          this.publish();
        }
      }));
      this.publish();
      return kernel;
    } finally {
      this.kernelStarting = undefined;
    }
  }

  private async replaceKernel(spec: KernelSpecInfo, by: Requester): Promise<void> {
    // Usually charged already; not when a failed restart has just released the slot.
    this.chargeKernel(by);
    const old = this.kernel ?? await this.kernelStarting?.catch(() => undefined);
    this.kernel = undefined;
    await old?.shutdown().catch(() => {});
    this.status = 'none';
    this.kernelStarting = this.startKernel(spec);
    try {
      await this.kernelStarting;
    } catch (err) {
      this.kernelDied(`the kernel could not start: ${(err as Error).message}`);
      throw new KernelRefusal('kernel-start-failed', `The kernel "${spec.name}" could not start: ${(err as Error).message}`);
    }
  }

  /** A fresh kernel state: outputs of earlier runs describe one that is gone (stale marks). */
  private newKernelSession(): void {
    if (this.kernel) this.resources.kernelStarted(this.kernel, this.spec?.language);
    if (!this.doc.isDestroyed) startKernelSession(this.doc, kernelOrigin);
  }

  /** Marks the kernel dead for everyone; waiting cells are put back and labelled not run. */
  private kernelDied(reason: string): void {
    if (this.status !== 'dead') this.deadReason = reason;
    this.status = 'dead';
    this.resources.kernelDied(this.deadReason ?? reason);
    // The process is gone (or being killed): it no longer counts against anyone's limit.
    this.releaseKernel();
    this.input.cancel('the kernel died');
    const dropped = this.queue.splice(0).map((e) => e.cellId);
    const doc = this.doc;
    if (dropped.length && !doc.isDestroyed) {
      doc.transact(() => {
        for (const cellId of dropped) {
          if (!findCell(doc, cellId)) continue;
          setExecutionState(doc, cellId, 'idle', kernelOrigin);
          appendNotRunNote(doc, cellId, kernelOrigin);
        }
      }, kernelOrigin);
      this.notRun.push(...dropped);
    }
    this.publish();
  }

  /**
   * Charges a kernel about to start to `by`, unless this session holds a slot
   * already. Synchronous, so a check and its charge cannot be split by another
   * request. A refusal (KernelLimitError) lets an unused session idle out.
   */
  private chargeKernel(by: Requester): void {
    if (this.slot || !this.options.quota) return;
    try {
      this.slot = this.options.quota.reserve(this.notebookId, by);
    } catch (err) {
      this.idle.arm();
      throw err;
    }
  }

  private releaseKernel(): void {
    this.slot?.release();
    this.slot = undefined;
  }

  /** The notebook's kernelspec from its metadata, else the first installed Python kernel. */
  private async resolveSpec(): Promise<KernelSpecInfo> {
    const wanted = (notebookMetadataOf(this.doc).kernelspec as { name?: unknown } | undefined)?.name;
    return notebookKernelSpec(await this.options.backend.listSpecs(), typeof wanted === 'string' ? wanted : undefined);
  }

  private async liveKernel(): Promise<SessionKernel> {
    this.assertOpen();
    const kernel = this.kernel;
    if (!kernel || this.status === 'dead') throw new KernelRefusal('kernel-not-started', 'kernel not started: run a cell first');
    return kernel;
  }

  // --- the document ------------------------------------------------------

  /** After a replacement the old doc's cells are gone: stop their runs, start clean. */
  private documentReplaced(fresh: Y.Doc): void {
    this.queue.splice(0);
    this.input.cancel('the notebook was replaced');
    if (this.running) {
      this.running.abort.abort(new Error('the notebook was replaced'));
      if (this.kernel && this.status !== 'dead') void this.kernel.interrupt().catch(() => {});
    }
    // The new document's states were never this session's runs (no note: nothing was cut off here).
    resetOrphanedRuns(fresh, kernelOrigin, false);
    this.publish();
  }

  private peerLost(reason: string): void {
    this.stopAllWork(reason);
    if (this.options.onRetire) this.options.onRetire(this);
  }

  private publish(): void {
    if (this.disposed && this.status !== 'none') return;
    const state = this.state;
    this.options.peer.setAwarenessField(kernelAwarenessKey, JSON.parse(JSON.stringify(state)));
  }

  private assertOpen(): void {
    if (this.disposed) throw new KernelRefusal('session-closed', 'This kernel session was shut down; send the request again.');
  }
}
