// Idle retirement of a notebook's kernel: after `timeoutMs` with nothing
// running or queued, the session is handed to its owner to be retired (its
// kernel stopped, its room left). Re-armed after each run; never fires while
// the session is busy or once it is disposed.
export class IdleRetirement {
  private timer?: NodeJS.Timeout;

  constructor(
    /** 0 disables retirement. */
    private readonly timeoutMs: number,
    /** True while a cell runs or waits, or the session is gone: no retirement then. */
    private readonly mustStay: () => boolean,
    /** Called when the timeout fires on an idle session. */
    private readonly retire: () => void,
  ) {}

  /** Starts the countdown again (or stops it when the session must stay). */
  arm(): void {
    this.clear();
    if (!this.timeoutMs || this.mustStay()) return;
    this.timer = setTimeout(() => {
      if (!this.mustStay()) this.retire();
    }, this.timeoutMs);
    this.timer.unref();
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
