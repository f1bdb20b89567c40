// One execute_request in flight: collects what the kernel says about it (iopub
// messages whose parent is the request, stdin input requests) and settles once
// both the execute_reply and the iopub `status: idle` have arrived.
//
// Invariants: `done` always settles exactly once, and never rejects (kernel death,
// restart or shutdown resolve it with `status: 'kernel-died'`), so an unobserved
// handle cannot crash the process; no listener is called after `done` settles.
import type { JupyterMessage } from './wire-protocol';

export interface ExecuteReplyContent {
  status: 'ok' | 'error' | 'aborted';
  execution_count: number | null;
  ename?: string;
  evalue?: string;
  traceback?: string[];
  user_expressions?: Record<string, unknown>;
  payload?: unknown[];
  [extra: string]: unknown;
}

export type ExecutionOutcome =
  | { status: 'completed'; reply: ExecuteReplyContent }
  | { status: 'kernel-died'; reason: string };

export interface InputRequest {
  prompt: string;
  password: boolean;
}

/** Most messages an adopted run keeps before its listener comes (the gap of a handover is seconds). */
const MAX_HELD_MESSAGES = 100_000;

function inputRequestOf(msg: JupyterMessage): InputRequest {
  const content = msg.content as { prompt?: string; password?: boolean };
  return { prompt: content.prompt ?? '', password: content.password ?? false };
}

type IopubListener = (msg: JupyterMessage) => void;
type InputListener = (request: InputRequest, msg: JupyterMessage) => void;

export class ExecutionHandle {
  /** The execute_request's msg_id. */
  readonly msgId: string;
  readonly done: Promise<ExecutionOutcome>;
  private settle!: (outcome: ExecutionOutcome) => void;
  private reply: ExecuteReplyContent | null = null;
  private replyDateValue: string | undefined;
  private idle = false;
  private settled = false;
  private readonly iopubListeners: IopubListener[] = [];
  private readonly inputListeners: InputListener[] = [];
  private lastInputRequest: JupyterMessage | null = null;
  private executingNow = false;
  private readonly executingWaiters: (() => void)[] = [];
  private startedAt: number | undefined;
  private outputSeen = false;
  /** Messages kept until the first iopub listener comes (an adopted run: its messages may arrive first). */
  private held: JupyterMessage[] | null = null;
  private adoptedRun = false;
  private messagesSeen = 0;

  constructor(
    msgId: string,
    private readonly answerInput: (value: string, request: JupyterMessage) => void,
    /** A silent request (the bridge's own, e.g. the variables refresh): no cell's, and not what Interrupt is about. */
    readonly silent = false,
  ) {
    this.msgId = msgId;
    this.done = new Promise((resolve) => { this.settle = resolve; });
  }

  /**
   * A request an earlier owner of the kernel sent (kernel-bridge handover):
   * what arrives for it before anyone listens is kept and handed to the first
   * iopub listener, since the kernel's replayed messages may come first.
   */
  static adopted(msgId: string, answerInput: (value: string, request: JupyterMessage) => void): ExecutionHandle {
    const handle = new ExecutionHandle(msgId, answerInput);
    handle.held = [];
    handle.adoptedRun = true;
    // Its code began before this bridge knew of it: an interrupt need not wait for execute_input.
    handle.startedAt = 0;
    handle.executingNow = true;
    return handle;
  }

  /**
   * Resolves once the kernel is inside this request's handler (it announced
   * the code with execute_input), or the request has ended. A silent request
   * announces nothing: wait for it only with a bound.
   */
  whenExecuting(): Promise<void> {
    if (this.executingNow || this.settled) return Promise.resolve();
    return new Promise((resolve) => this.executingWaiters.push(resolve));
  }

  /** Called for each iopub message of this request, in arrival order. */
  onIopub(listener: IopubListener): this {
    this.iopubListeners.push(listener);
    const held = this.held;
    this.held = null;
    for (const msg of held ?? []) listener(msg);
    return this;
  }

  /** Called when the code asks for input (e.g. `input()`); answer with `sendInput`. */
  onInputRequest(listener: InputListener): this {
    this.inputListeners.push(listener);
    // An adopted run may have asked for input before anyone listened (the question is replayed by the gateway).
    const pending = this.adoptedRun && this.inputListeners.length === 1 ? this.lastInputRequest : null;
    if (pending && !this.settled) listener(inputRequestOf(pending), pending);
    return this;
  }

  /** Answers the latest input request. */
  sendInput(value: string): void {
    const request = this.lastInputRequest;
    if (!request) throw new Error('the kernel has not asked for input for this execution');
    this.lastInputRequest = null;
    this.answerInput(value, request);
  }

  /** The execute_reply's header date (the kernel's clock), once it has arrived. */
  get replyDate(): string | undefined {
    return this.replyDateValue;
  }

  get isSettled(): boolean {
    return this.settled;
  }

  /** When (epoch ms) the kernel announced this request's code with execute_input; undefined before. */
  get executingSince(): number | undefined {
    return this.startedAt;
  }

  /** Whether the request produced anything beyond its status and execute_input (output, error, display). */
  get hasOutput(): boolean {
    return this.outputSeen;
  }

  /** The kernel published `idle` for this request but its execute_reply has not come. */
  get idleWithoutReply(): boolean {
    return this.idle && !this.reply && !this.settled;
  }

  /** The execute_reply, once it came (or was supplied by the client). */
  get replyContent(): ExecuteReplyContent | null {
    return this.reply;
  }

  /** @internal routed by the client */
  deliverIopub(msg: JupyterMessage): void {
    if (this.settled) return;
    this.messagesSeen += 1;
    if (this.held && this.held.length < MAX_HELD_MESSAGES) this.held.push(msg);
    for (const l of this.iopubListeners) l(msg);
    const type = msg.header.msg_type;
    if (type === 'execute_input') {
      this.startedAt ??= Date.now();
      this.markExecuting();
    } else if (type !== 'status') this.outputSeen = true;
    if (msg.header.msg_type === 'status' && msg.content.execution_state === 'idle') {
      this.idle = true;
      this.maybeFinish();
    }
  }

  /** @internal */
  deliverInputRequest(msg: JupyterMessage): void {
    if (this.settled) return;
    this.lastInputRequest = msg;
    for (const l of this.inputListeners) l(inputRequestOf(msg), msg);
  }

  /** Messages (iopub and reply) that arrived for this request so far. */
  get activity(): number {
    return this.messagesSeen;
  }

  /**
   * @internal An adopted run whose end will never come here (the earlier owner
   * received it, or the gateway kept nothing): settled as ended with `reply`.
   */
  endUnseen(reply: ExecuteReplyContent): void {
    this.idle = true;
    this.deliverReply(reply);
  }

  /** @internal */
  deliverReply(content: ExecuteReplyContent, date?: string): void {
    if (this.settled) return;
    this.messagesSeen += 1;
    this.reply = content;
    this.replyDateValue = date;
    this.maybeFinish();
  }

  /** @internal */
  fail(reason: string): void {
    if (this.settled) return;
    this.settled = true;
    this.markExecuting();
    this.settle({ status: 'kernel-died', reason });
  }

  private maybeFinish(): void {
    if (this.reply && this.idle && !this.settled) {
      this.settled = true;
      this.markExecuting();
      this.settle({ status: 'completed', reply: this.reply });
    }
  }

  private markExecuting(): void {
    this.executingNow = true;
    for (const resolve of this.executingWaiters.splice(0)) resolve();
  }
}
