// How a kernel's life is reported: its status as the kernel client shows it,
// why it died, and the error every request gets once it has.
//
// Invariant: a death message is its reason followed by at most TAIL_LINES of
// the kernel's last output, so a crash explains itself without flooding the
// kernel status.
import type { KernelEnd } from './kernel-provider';

export type KernelStatus = 'starting' | 'idle' | 'busy' | 'restarting' | 'dead';

/** Why the kernel is dead. `message` is `reason` plus the kernel's last output. */
export interface KernelDeath {
  reason: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  outputTail: string;
  message: string;
}

/** A request to a kernel that is dead, stopping, shut down or not started yet. */
export class KernelDeadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KernelDeadError';
  }
}

const TAIL_LINES = 20;

/** The death `reason` stands for, with the exit and the last output lines (the end's, else `tail`). */
export function deathFrom(reason: string, exit: KernelEnd | null, tail: string): KernelDeath {
  const outputTail = (exit?.outputTail ?? tail).split('\n').slice(-TAIL_LINES).join('\n');
  return {
    reason,
    exitCode: exit?.code ?? null,
    signal: exit?.signal ?? null,
    outputTail,
    message: outputTail ? `${reason}\nLast kernel output:\n${outputTail}` : reason,
  };
}
