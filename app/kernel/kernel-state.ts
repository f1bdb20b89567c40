// The kernel as the page sees it: the bridge's awareness state (the contract in
// kernel-bridge/README.md, "Awareness contract"), read from the room's awareness
// and checked on the way in. The collab server accepts the field only from the
// bridge's socket and in this shape; the check here keeps the page safe against
// an older server all the same. Shape and type: notebook-model/service-protocol.ts.
import type { z } from 'zod';
import { kernelAwarenessKey, kernelAwarenessSchema, type KernelAwarenessState, type KernelStatus } from '../../notebook-model/service-protocol';

export type { KernelAwarenessState, KernelStatus };

/** What the page shows when no bridge is in the room: no kernel runs for this notebook. */
export const noKernel: KernelAwarenessState = Object.freeze({ status: 'none', queue: [] });

/** One awareness entry: its client id, its state, and when it was last updated (ms). */
export interface AwarenessEntry {
  clientId: number;
  state: Record<string, unknown> | null | undefined;
  lastUpdated: number;
}

/**
 * The newest valid value of `key` among the entries, or undefined. Should two
 * bridge entries be present (a restarted bridge whose old entry has not yet
 * timed out), the most recently updated one wins; a value without the
 * contract's shape is ignored.
 */
export function newestPublished<T>(entries: Iterable<AwarenessEntry>, key: string, schema: z.ZodType<T>): T | undefined {
  let best: { value: T; at: number } | undefined;
  for (const entry of entries) {
    const raw = entry.state?.[key];
    if (raw === undefined || raw === null) continue;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) continue;
    if (!best || entry.lastUpdated > best.at) best = { value: parsed.data, at: entry.lastUpdated };
  }
  return best?.value;
}

/** The kernel state published in the room, or `noKernel`. */
export function kernelStateOf(entries: Iterable<AwarenessEntry>): KernelAwarenessState {
  return newestPublished(entries, kernelAwarenessKey, kernelAwarenessSchema) ?? noKernel;
}

/** 1-based place of a cell in the kernel's waiting queue, or undefined when it is not waiting. */
export function queuePositionOf(state: KernelAwarenessState, cellId: string): number | undefined {
  const index = state.queue.findIndex((entry) => entry.cellId === cellId);
  return index < 0 ? undefined : index + 1;
}

/** Words for a status, as the status bar shows them. */
export function statusLabel(status: KernelStatus): string {
  switch (status) {
    case 'none': return 'No kernel';
    case 'starting': return 'Starting';
    case 'idle': return 'Idle';
    case 'busy': return 'Busy';
    case 'restarting': return 'Restarting';
    case 'dead': return 'Dead';
  }
}

/** What the latest Interrupt came to, in words for everyone (undefined when there is none to tell). */
export function interruptLabel(state: KernelAwarenessState): string | undefined {
  const interrupt = state.interrupt;
  if (!interrupt) return undefined;
  const who = interrupt.by.name;
  switch (interrupt.outcome) {
    case 'pending': return `Interrupt requested by ${who}…`;
    case 'stopped': return `Interrupted by ${who}`;
    case 'finished': return `Interrupt by ${who}: the cell ended without being stopped`;
    case 'not running': return `Interrupt by ${who}: nothing was running`;
    case 'failed': return `Interrupt by ${who} did not stop the cell; restart the kernel to stop it`;
  }
}

/** `12.3 s`, `2 min 05 s`, `1 h 02 min`: an elapsed time for people, never negative. */
export function formatElapsed(ms: number): string {
  const clamped = Math.max(0, ms);
  if (clamped < 60_000) return `${(clamped / 1000).toFixed(1)} s`;
  const seconds = Math.floor(clamped / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(seconds / 3600)} h ${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')} min`;
}
