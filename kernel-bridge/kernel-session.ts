// One notebook's shared kernel and its execution queue. Every collaborator's run
// request lands in the same FIFO queue; cells run one at a time on one kernel and
// write their outputs into the shared document through the bridge's peer. This
// class is the session's policy: what each request does to the queue, the
// kernel and the charge; the parts are in their own modules, in the order a
// Shift+Enter meets them: run-queue.ts (the FIFO and the cells' states),
// kernel-charge.ts (the quota slot), notebook-kernel.ts (start on first run,
// death, replacement), kernel-awareness.ts (what collaborators see),
// document-replacement.ts (the document swapped underneath).
//
// Invariants:
// - A cell id is in the queue exactly while its document state is 'queued'; the
//   running cell is 'running' (runCell owns that write). Anything that empties
//   the queue (error, interrupt, restart, kernel change, death, document
//   replacement) puts the dequeued cells back to 'idle' in the same step.
// - The kernel is started on the first run request, never on page open.
// - While a kernel process runs or starts, the session holds its quota slot
//   (kernel-quota.ts), charged to whoever's request started it; the slot is
//   released when the process is gone (death, shutdown, idle retirement). A
//   refused start changes nothing: no cell is marked queued.
// - Everything collaborators need to know about the kernel is published in the
//   peer's awareness under `kernel` right after each change; nothing about it
//   is persisted.
// - A stdin request is answered only by the user who queued the running cell.
import type * as Y from 'yjs';
import { findCell, kernelOrigin, setNotebookMetadata } from '../notebook-model';
import { resetOrphanedRuns } from '../notebook-model/execution';
import { abandonReplacedDocument } from './document-replacement';
import { waitUntilCaughtUp } from './document-fence';
import type { DocumentPeer } from './document-peer';
import { IdleRetirement } from './idle-retirement';
import { InputPrompt } from './input-prompt';
import { InterruptReport } from './interrupt-report';
import { kernelAwarenessState, publishKernelAwareness, type KernelAwarenessState } from './kernel-awareness';
import { KernelCharge } from './kernel-charge';
import { KernelRefusal } from './kernel-refusal';
import { KernelResources } from './kernel-resources';
import type { KernelQuota } from './kernel-quota';
import { installedKernelSpec } from './kernelspec-choice';
import { NotebookKernel } from './notebook-kernel';
import { HandoverWriter, handoverRecordOf, type HandoverRecord } from './kernel-handover';
import { takeOverRuns } from './run-adoption';
import { runQueuedCell } from './queued-run';
import { RunQueue, type Requester } from './run-queue';
import type { KernelBackend, KernelSpecInfo, SessionKernel } from './session-kernel';

export type { Requester };

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
  /** With several bridges: where the next owner can find this session's gateway kernel (kernel-handover.ts). */
  onHandover?: (record: HandoverRecord | null) => void;
  /** The session takes over an earlier owner's kernel (`takeOver`): the document's runs are that owner's, not orphans. */
  takingOver?: boolean;
}

export class KernelSession {
  readonly notebookId: string;
  private readonly options: KernelSessionOptions;
  private readonly kernel: NotebookKernel;
  /** The quota charge of the kernel process, while one runs or starts. */
  private readonly charge: KernelCharge;
  private readonly queue: RunQueue;
  private readonly input = new InputPrompt(() => this.publish());
  /** What the last Interrupt came to (interrupt-report.ts). */
  private readonly interrupts = new InterruptReport(() => this.publish());
  private draining = false;
  private readonly idle: IdleRetirement;
  private disposed = false;
  private unsubscribers: (() => void)[] = [];
  /** The kernel's variables and memory, published beside `kernel` (kernel-resources.ts). */
  private readonly resources: KernelResources;
  private readonly handover?: HandoverWriter;

  constructor(options: KernelSessionOptions) {
    this.options = options;
    this.notebookId = options.notebookId;
    // Handed to the registry to be retired after idleTimeoutMs with nothing to run.
    this.idle = new IdleRetirement(options.idleTimeoutMs, () => this.disposed || this.busy, () => this.options.onRetire?.(this));
    this.resources = new KernelResources((key, value) => options.peer.setAwarenessField(key, value));
    // A refusal lets an unused session idle out.
    this.charge = new KernelCharge(options.notebookId, options.quota, () => this.idle.arm());
    this.queue = new RunQueue(() => this.doc);
    this.kernel = new NotebookKernel(
      { notebookId: options.notebookId, backend: options.backend, kernelsDir: options.kernelsDir, doc: () => this.doc },
      {
        changed: () => this.publish(),
        started: (kernel) => this.resources.kernelStarted(kernel, this.kernel.spec?.language),
        died: (reason) => this.kernelDied(reason),
        closed: () => this.disposed,
      },
    );
    if (options.onHandover) this.handover = new HandoverWriter(options.onHandover);
    this.unsubscribers.push(options.peer.onReplaced((fresh) => this.documentReplaced(fresh)));
    this.unsubscribers.push(options.peer.onClosed((reason) => this.peerLost(reason)));
    // A new session owns no run yet: any cell still marked running or queued was left
    // so by a bridge that stopped without cleaning up (kill -9, crash), unless it takes them over.
    if (!options.takingOver) resetOrphanedRuns(this.doc, kernelOrigin, true);
    this.publish();
  }

  private get doc(): Y.Doc {
    return this.options.peer.doc;
  }

  /** The current awareness view of this session (also what collaborators see). */
  get state(): KernelAwarenessState {
    return kernelAwarenessState(this.kernel, this.queue, this.input, this.interrupts);
  }

  /** True while a cell runs or waits, or the kernel is starting. */
  get busy(): boolean {
    return this.queue.running !== undefined || this.queue.length > 0 || this.kernel.starting !== undefined;
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
    if (this.kernel.status === 'dead') {
      throw new KernelRefusal('kernel-dead', `The kernel died (${this.kernel.deadReason ?? 'unknown reason'}). Restart the kernel to run cells again.`);
    }
    if (!this.kernel.isStarted) this.kernel.spec = await this.kernel.resolveSpec();
    this.assertOpen();
    const queued = this.queue.runnable(cellIds);
    // No await from here to the queue: the kernel these cells will start is charged first,
    // and a refusal leaves every cell as it was.
    if (queued.length) this.charge.charge(by);
    this.queue.add(queued, by);
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
    this.queue.clear();
    const running = this.queue.running;
    if (running) running.interrupted = true;
    this.input.cancel('the run was interrupted');
    const kernel = this.kernel.status === 'dead' ? undefined : this.kernel.current;
    this.interrupts.pressed(by, running?.cellId, kernel ? () => kernel.interrupt() : null, () => this.queue.running === running);
  }

  /** Clears the queue and restarts the kernel (a fresh one, charged to `by`, if the old one died). */
  async restart(by: Requester): Promise<void> {
    this.assertOpen();
    if (!this.kernel.isStarted) throw new KernelRefusal('kernel-not-started', 'The kernel is not started; run a cell to start it.');
    this.charge.charge(by);
    this.interrupts.forget();
    this.stopAllWork('the kernel was restarted');
    this.kernel.forgetDeath();
    this.queue.forgetNotRun();
    // A failed restart releases the slot with the dead kernel: the fresh one is charged again.
    await this.kernel.restart(() => this.charge.charge(by));
    this.idle.arm();
  }

  /** Shuts down the current kernel, starts `name` (charged to `by` if no kernel ran), and records it in the notebook's metadata. */
  async changeKernel(name: string, by: Requester): Promise<KernelSpecInfo> {
    this.assertOpen();
    const spec = installedKernelSpec(await this.options.backend.listSpecs(), name);
    this.assertOpen();
    this.charge.charge(by);
    this.interrupts.forget();
    this.stopAllWork('the kernel was changed');
    setNotebookMetadata(this.doc, 'kernelspec', { name: spec.name, display_name: spec.displayName, language: spec.language }, kernelOrigin);
    this.kernel.forgetDeath();
    this.queue.forgetNotRun();
    await this.kernel.replace(spec);
    this.idle.arm();
    return spec;
  }

  /**
   * Takes over the gateway kernel an earlier owner of the notebook left (its
   * bridge died): reconnects to it, follows the run in progress into its cell
   * and runs the queued cells after it (run-adoption.ts). Resolves false when
   * the kernel is gone: the running cell then says so, the queued ones are not run.
   */
  async takeOver(record: HandoverRecord): Promise<boolean> {
    this.assertOpen();
    const reached = await takeOverRuns({
      doc: this.doc, queue: this.queue, charge: this.charge, kernel: this.kernel, backend: this.options.backend,
      publish: () => this.publish(), died: (reason) => this.kernelDied(reason),
    }, record);
    if (reached) void this.drain();
    return reached;
  }

  /** Answers the pending `input()` of the running cell; only its requester may. */
  answerInput(userId: string, value: string): void {
    this.assertOpen();
    this.input.answer(userId, value);
  }

  async complete(code: string, cursorPos: number): Promise<unknown> {
    return this.liveKernel().complete(code, cursorPos);
  }

  async inspect(code: string, cursorPos: number, detailLevel: number): Promise<unknown> {
    return this.liveKernel().inspect(code, cursorPos, detailLevel);
  }

  /**
   * Stops the kernel and leaves the notebook's room. Safe to call twice. With
   * `leaveKernel` (another bridge holds the lease now) a kernel that can
   * outlive this bridge is left running for it.
   */
  async dispose(leaveKernel = false): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.interrupts.close();
    this.idle.clear();
    this.resources.stop();
    for (const off of this.unsubscribers.splice(0)) off();
    this.kernel.stopFollowing();
    try { this.stopAllWork('the kernel was shut down'); } catch { /* the doc may be gone already */ }
    const kernel = await this.kernel.detach();
    try { this.publish(); } catch { /* ignore */ }
    await (leaveKernel && kernel?.leave ? kernel.leave() : kernel?.shutdown())?.catch(() => {});
    this.charge.release();
    this.options.peer.close();
  }

  // --- the queue ---------------------------------------------------------

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while ((this.queue.length || this.queue.running?.adopted) && !this.disposed) {
        let kernel: SessionKernel;
        try {
          kernel = await this.kernel.ensure();
        } catch (err) {
          this.kernelDied(`the kernel could not start: ${(err as Error).message}`);
          break;
        }
        const doc = this.doc;
        const running = this.queue.startNext();
        if (!running) break;
        this.interrupts.runStarting();
        this.publish();
        const result = await runQueuedCell(kernel, doc, running, {
          maxOutputBytes: this.options.maxOutputBytes,
          input: this.input,
          sent: () => this.recordHandover(),
        });
        this.queue.finish(running);
        if (running.interrupted) this.interrupts.runEnded(running.cellId, result);
        this.input.cancel('the cell finished');
        this.queue.settle(running, doc);
        // A cell abandoned on purpose (restart, kernel change, replaced doc) reports how its
        // kernel went away; that is not a death anyone needs to hear about.
        if (!running.abort.signal.aborted) {
          if (result.status === 'dead') this.kernelDied(result.reason ?? this.kernel.deadReason ?? 'the kernel process exited');
          // The queue was already emptied when Interrupt was pressed; cells queued since are wanted.
          else if ((result.status === 'error' && !running.interrupted) || result.status === 'timeout') this.queue.clear();
        }
        this.publish();
      }
    } finally {
      this.draining = false;
      if (!this.busy) this.idle.arm();
      const kernel = this.kernel.current;
      if (kernel && this.kernel.status !== 'dead' && !this.disposed && !this.queue.length) void this.resources.refresh(kernel, this.kernel.spec?.language);
    }
  }

  /** Clears the queue and abandons the running cell (its kernel is about to go away). */
  private stopAllWork(reason: string): void {
    this.queue.clear();
    this.input.cancel(reason);
    this.queue.running?.abort.abort(new Error(reason));
    this.publish();
  }

  // --- the kernel --------------------------------------------------------

  /** Marks the kernel dead for everyone; waiting cells are put back and labelled not run. */
  private kernelDied(reason: string): void {
    this.kernel.markDead(reason);
    this.resources.kernelDied(this.kernel.deadReason ?? reason);
    // The process is gone (or being killed): it no longer counts against anyone's limit.
    this.charge.release();
    this.input.cancel('the kernel died');
    this.queue.dropAsNotRun();
    this.publish();
  }

  private liveKernel(): SessionKernel {
    this.assertOpen();
    return this.kernel.live();
  }

  // --- the document ------------------------------------------------------

  /** After a replacement the old doc's cells are gone: stop their runs, start clean. */
  private documentReplaced(fresh: Y.Doc): void {
    abandonReplacedDocument(fresh, this.queue, this.input, this.kernel);
    this.publish();
  }

  private peerLost(reason: string): void {
    this.stopAllWork(reason);
    if (this.options.onRetire) this.options.onRetire(this);
  }

  private publish(): void {
    if (this.disposed && this.kernel.status !== 'none') return;
    publishKernelAwareness(this.options.peer, this.state);
    this.recordHandover();
  }

  /** What a next owner would need to take the kernel over, as it is now (written only when it changed). */
  private recordHandover(): void {
    this.handover?.update(handoverRecordOf(this.kernel, this.queue));
  }

  private assertOpen(): void {
    if (this.disposed) throw new KernelRefusal('session-closed', 'This kernel session was shut down; send the request again.');
  }
}
