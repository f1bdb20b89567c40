// The notebook list's "last change": a notebook's updatedAt moves when an edit
// (or a run's output) is stored. Rooms store edits many times a second while
// people type; the list shows minutes, so the time is written at the first
// stored edit and then at most once per `intervalMs` per notebook (the last
// edit of a burst is written when its interval ends). A failed write is only
// logged: it never holds up or fails an edit.

export class LastChangeClock {
  private readonly written = new Map<string, number>();
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly touch: (notebookId: string) => Promise<void>,
    private readonly intervalMs: number,
    private readonly log: (message: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** An edit of this notebook was stored. */
  stored(notebookId: string): void {
    if (this.pending.has(notebookId)) return;
    const wait = (this.written.get(notebookId) ?? -Infinity) + this.intervalMs - this.now();
    if (wait <= 0) return this.write(notebookId);
    const timer = setTimeout(() => {
      this.pending.delete(notebookId);
      this.write(notebookId);
    }, wait);
    timer.unref();
    this.pending.set(notebookId, timer);
  }

  /** Writes what is still pending now (a room unloading, the server stopping). */
  flush(notebookId: string): void {
    const timer = this.pending.get(notebookId);
    if (!timer) return;
    clearTimeout(timer);
    this.pending.delete(notebookId);
    this.write(notebookId);
  }

  private write(notebookId: string): void {
    this.written.set(notebookId, this.now());
    this.touch(notebookId).catch((err: Error) => this.log(`notebook ${notebookId}: could not record the last change: ${err.message}`));
  }
}
