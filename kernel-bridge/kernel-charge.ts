// A notebook session's charge against the kernel quota (kernel-quota.ts): held
// while its kernel process runs or starts, charged to whoever's request started
// it, released when the process is gone (death, shutdown, idle retirement).
//
// Invariants: at most one slot per session; `charge` is synchronous, so a check
// and its charge cannot be split by another request (callers must not await
// between deciding to start a kernel and charging it); a refused charge holds
// nothing and changes nothing else.
import type { KernelQuota, KernelSlot } from './kernel-quota';
import type { Requester } from './run-queue';

export class KernelCharge {
  private slot?: KernelSlot;

  constructor(
    private readonly notebookId: string,
    private readonly quota: KernelQuota | undefined,
    /** Called when a charge is refused, before the refusal (KernelLimitError) is thrown. */
    private readonly onRefused: () => void,
  ) {}

  /** Charges a kernel about to start to `by`, unless a slot is held already; throws the quota's refusal. */
  charge(by: Requester): void {
    if (this.slot || !this.quota) return;
    try {
      this.slot = this.quota.reserve(this.notebookId, by);
    } catch (err) {
      this.onRefused();
      throw err;
    }
  }

  /** The process is gone: it no longer counts against anyone's limit. */
  release(): void {
    this.slot?.release();
    this.slot = undefined;
  }
}
