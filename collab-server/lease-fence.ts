// Fencing of the kernel bridge's writes. With several bridges, the one that owns
// a notebook's kernel holds a Redis lease with a fence (kernel-bridge/kernel-lease.ts).
// A bridge that stalled past its lease (paused, swapped out, cut off from Redis)
// can wake up still connected to the room and write outputs and run states for
// a kernel that is no longer the notebook's, over those of the new owner. Its
// socket presented its lease's fence when it joined (handshake.ts); every
// message of that socket that carries its state (document writes, awareness)
// is held here until the fence is compared with the highest fence issued for
// the notebook (in Redis), and one under a superseded fence closes the socket
// (closeCodes.staleKernelLease) before it reaches storage or anyone else.
//
// Invariants:
// - A fenced socket's messages reach the room in the order they were sent: each
//   waits behind every earlier one still being checked. With nothing waiting,
//   a message that carries no state (sync step 1, awareness query) goes straight in.
// - A message passes only when the fence issued last is the socket's own. The
//   check and the store are not one step: a write checked an instant before a
//   new holder took the lease is stored, and the new holder, in the room by then
//   or syncing after, receives it like any earlier edit; nothing after the check
//   that saw the new fence passes.
// - A message that cannot be checked (Redis unreachable) closes the socket with
//   storageFailure: the bridge reconnects and resends what it holds.
// - At most `maxWaitingMessages` wait; past that the socket is closed (tryAgainLater).
// - A socket that closes normally leaves the room only after its waiting messages
//   were handled (afterWaiting), as an unfenced socket's are on arrival.
import { closeCodes } from '../notebook-model/service-protocol';
import type { Connection } from './connection';
import { carriesSenderState } from './protocol';
import type { Room } from './room';

/** Messages of one bridge socket that may wait for their check at once (an output flood sends one update per event-loop turn). */
const maxWaitingMessages = 1000;

export class FencedInbox {
  private tail: Promise<void> = Promise.resolve();
  private waiting = 0;
  private stopped = false;

  constructor(
    private readonly connection: Connection,
    /** The fence the socket presented. */
    private readonly fence: number,
    private readonly room: Room,
    /** The highest fence issued for the notebook's kernel lease, or null when none ever was. */
    private readonly issuedFence: () => Promise<number | null>,
  ) {}

  receive(data: Uint8Array): void {
    if (this.stopped) return;
    const checked = carriesSenderState(data);
    if (!checked && this.waiting === 0) return this.room.receive(this.connection, data);
    if (this.waiting >= maxWaitingMessages) {
      return this.stop(closeCodes.tryAgainLater, `more than ${maxWaitingMessages} messages waiting for their kernel lease check`);
    }
    this.waiting++;
    // The Redis read starts now (reads of consecutive messages overlap); the verdicts are applied in order.
    const verdict = checked ? this.check() : Promise.resolve(true);
    this.tail = this.tail.then(async () => {
      try {
        if ((await verdict) && !this.stopped) this.room.receive(this.connection, data);
      } catch (err) {
        // The chain must go on (and never reject): the socket goes, as an unfenced one's would.
        this.stop(closeCodes.storageFailure, `could not handle a message (${(err as Error).message})`);
      } finally {
        this.waiting--;
      }
    });
  }

  /**
   * Runs `then` once every message received so far has been checked and handed
   * to the room: a bridge that writes and leaves at once (a reset of a lost
   * kernel's runs) closes its socket while its last writes still wait here.
   */
  afterWaiting(then: () => void): void {
    void this.tail.then(then);
  }

  /** True when the socket's fence is still the last one issued; otherwise closes the socket. */
  private async check(): Promise<boolean> {
    let issued: number | null;
    try {
      issued = await this.issuedFence();
    } catch (err) {
      this.stop(closeCodes.storageFailure, `could not check the kernel lease (${(err as Error).message}); retrying`);
      return false;
    }
    if (issued === this.fence) return true;
    this.stop(closeCodes.staleKernelLease, issued === null
      ? `kernel lease fence ${this.fence} was never issued for this notebook`
      : `kernel lease fence ${this.fence} was superseded by fence ${issued}: another bridge owns this notebook's kernel`);
    return false;
  }

  private stop(code: number, reason: string): void {
    if (this.stopped) return;
    this.stopped = true;
    this.room.refuse(this.connection, code, reason);
  }
}
