// The durable side of a room: every document update a client sends is appended
// to the database before the room applies and broadcasts it, so nothing another
// client has seen can be lost in a crash. Updates that arrive while an append is
// in flight wait and go into the next append together, which makes the write
// rate independent of the message rate: one transaction per flush, not per
// keystroke.
import type { DocumentStore } from '../storage';

export interface LoggedUpdate<Origin> {
  update: Uint8Array;
  origin: Origin;
}

export interface UpdateLogOptions<Origin> {
  store: DocumentStore;
  notebookId: string;
  epoch: string;
  /** The id of the newest update already stored when the room was loaded. */
  lastUpdateId: number;
  /** Called in order, once per flush, after the batch is durable. */
  onStored: (batch: LoggedUpdate<Origin>[]) => void;
  /** Called when a flush failed; the batch is not stored. */
  onFailed: (batch: LoggedUpdate<Origin>[], error: unknown) => void;
}

export class UpdateLog<Origin> {
  private queue: LoggedUpdate<Origin>[] = [];
  private inFlight: LoggedUpdate<Origin>[] = [];
  private flushing: Promise<void> | null = null;
  private scheduled = false;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];
  /** Id of the newest stored update (what a snapshot taken now would cover). */
  lastUpdateId: number;
  /** Updates stored since the last compaction. */
  appendedSinceCompaction = 0;
  /** Bytes of the updates stored since the last compaction. */
  bytesSinceCompaction = 0;

  constructor(private readonly options: UpdateLogOptions<Origin>) {
    this.lastUpdateId = options.lastUpdateId;
  }

  append(update: Uint8Array, origin: Origin): void {
    if (this.stopped) return;
    this.queue.push({ update, origin });
    this.schedule();
  }

  /** The updates appended but not yet stored (being written, then waiting), in order. */
  pending(): Uint8Array[] {
    return [...this.inFlight, ...this.queue].map((entry) => entry.update);
  }

  /** Bytes of the updates appended but not yet stored (counted on every client update: no copy made). */
  get pendingBytes(): number {
    let bytes = 0;
    for (const entry of this.inFlight) bytes += entry.update.length;
    for (const entry of this.queue) bytes += entry.update.length;
    return bytes;
  }

  /** True while updates are waiting or being written. */
  get busy(): boolean {
    return this.queue.length > 0 || this.flushing !== null || this.scheduled;
  }

  /** Resolves once every update appended so far was stored or failed. */
  whenIdle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops whatever is still queued; later appends are ignored. An in-flight write still completes. */
  stop(): void {
    this.stopped = true;
    this.queue = [];
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    // Start writing as soon as the current message is handled: an idle room
    // then adds no delay to a keystroke. Whatever arrives while that write is
    // in flight waits and goes into the next one, so under load many messages
    // (from one socket read or many sockets) still share one transaction.
    queueMicrotask(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.flushing) return;
    const batch = this.queue.splice(0);
    this.inFlight = batch;
    if (!batch.length) {
      this.notifyIdle();
      return;
    }
    const { store, notebookId, epoch } = this.options;
    this.flushing = store.append(notebookId, epoch, batch.map((entry) => entry.update)).then(
      (lastId) => {
        this.lastUpdateId = lastId;
        this.appendedSinceCompaction += batch.length;
        for (const entry of batch) this.bytesSinceCompaction += entry.update.length;
        this.flushing = null;
        this.inFlight = [];
        this.options.onStored(batch);
      },
      (error) => {
        this.flushing = null;
        this.inFlight = [];
        this.options.onFailed(batch, error);
      },
    ).finally(() => {
      if (this.queue.length) this.flush();
      else this.notifyIdle();
    });
  }

  private notifyIdle(): void {
    if (this.busy) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
