// The requests on a kernel's shell and control channels that wait for their
// reply, matched by the reply's parent msg_id: the one table both carriers of
// KernelChannels (kernel-connection.ts over ZeroMQ, gateway-channels.ts over a
// gateway's websocket) keep. A reply nobody waits for is the caller's to handle
// (another client's, or one given up on); closing rejects every waiting request.
import type { JupyterMessage } from './wire-protocol';

/** Raised for requests that cannot complete because the kernel's channels closed. */
export class ChannelsClosedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ChannelsClosedError';
  }
}

interface Waiter {
  resolve: (msg: JupyterMessage) => void;
  reject: (err: Error) => void;
}

export class PendingReplies {
  private readonly waiting = new Map<string, Waiter>();

  /** Resolves with the reply to request `msgId`; rejects if it fails or the table closes first. */
  wait(msgId: string): Promise<JupyterMessage> {
    return new Promise((resolve, reject) => this.waiting.set(msgId, { resolve, reject }));
  }

  /** Hands `msg` to the request it answers; false when none waits for it. */
  settle(msg: JupyterMessage): boolean {
    const parentId = msg.parent_header.msg_id;
    const waiter = parentId === undefined ? undefined : this.waiting.get(parentId);
    if (!waiter) return false;
    this.waiting.delete(parentId!);
    waiter.resolve(msg);
    return true;
  }

  /** Rejects the request `msgId` (its message could not be sent), if it still waits. */
  fail(msgId: string, err: Error): void {
    const waiter = this.waiting.get(msgId);
    this.waiting.delete(msgId);
    waiter?.reject(err);
  }

  /** Rejects every waiting request with `err`. */
  rejectAll(err: Error): void {
    for (const waiter of this.waiting.values()) waiter.reject(err);
    this.waiting.clear();
  }
}
