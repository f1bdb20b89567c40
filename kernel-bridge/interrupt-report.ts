// What the last Interrupt came to, for everyone in the notebook: the awareness
// `interrupt` field (who pressed it, when, on which cell, and its outcome).
//
// The outcome is 'pending' until the interrupted run ends; the run's own end is
// the surer word ('stopped' on a KeyboardInterrupt, 'finished' when the code ran
// to its end anyway, 'failed' when the kernel died). The kernel client's answer
// (KernelClient.interrupt) only settles it as 'failed' when the run outlived
// every attempt or there was no live kernel to interrupt. A record stays until
// the next run starts (once settled), or a restart or kernel change forgets it.
import type { InterruptAwareness, InterruptOutcomeState } from '../notebook-model/service-protocol';
import type { InterruptOutcome } from './kernel-interrupt';
import type { RunOutcome } from './session-kernel';

export class InterruptReport {
  private last?: InterruptAwareness;
  private closed = false;

  /** @param changed told when the record changes outside the session's own steps, so the session can publish it. */
  constructor(private readonly changed: () => void) {}

  /** The last interrupt, if any (a copy). */
  get view(): InterruptAwareness | undefined {
    return this.last && { ...this.last, by: { ...this.last.by } };
  }

  /**
   * Someone pressed Interrupt while `cellId` ran (undefined: nothing ran).
   * `attempt` interrupts the kernel (null: no live kernel); `stillRunning`
   * says whether the run pressed about is still going.
   */
  pressed(
    by: { name: string },
    cellId: string | undefined,
    attempt: (() => Promise<InterruptOutcome>) | null,
    stillRunning: () => boolean,
  ): void {
    const record: InterruptAwareness = { by: { name: by.name }, at: Date.now(), cellId, outcome: cellId ? 'pending' : 'not running' };
    this.last = record;
    this.changed();
    if (!attempt) {
      if (cellId) this.settle(record, 'failed');
      return;
    }
    attempt().then(
      // The run's own end (runEnded) is the surer word; this only covers a run that outlives the attempts.
      (outcome) => { if (outcome === 'still running' && stillRunning()) this.settle(record, 'failed'); },
      () => this.settle(record, 'failed'),
    );
  }

  /** An interrupted run of `cellId` ended: its result says what the interrupt came to (published with the run's end). */
  runEnded(cellId: string, result: RunOutcome): void {
    const record = this.last;
    if (!record || record.cellId !== cellId) return;
    if (record.outcome !== 'pending' && record.outcome !== 'failed') return;
    if (result.status === 'error' && result.reason?.startsWith('KeyboardInterrupt')) record.outcome = 'stopped';
    else if (result.status === 'dead') record.outcome = 'failed';
    // Abandoned (the document was replaced, the bridge left the room): it runs no more either way.
    else if (result.status === 'aborted') record.outcome = 'stopped';
    else record.outcome = 'finished';
  }

  /** A new run starts a new story: a settled interrupt is over. */
  runStarting(): void {
    if (this.last && this.last.outcome !== 'pending') this.last = undefined;
  }

  /** The kernel was restarted or changed: the last interrupt is no longer news. */
  forget(): void {
    this.last = undefined;
  }

  /** The session is over: nothing changes any more. */
  close(): void {
    this.closed = true;
  }

  private settle(record: InterruptAwareness, outcome: InterruptOutcomeState): void {
    if (this.last !== record || this.closed) return;
    record.outcome = outcome;
    this.changed();
  }
}
