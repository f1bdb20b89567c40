'use client';
// A code cell's place in the shared kernel's work, for everyone in the notebook:
// its position in the queue and who queued it while it waits; while it runs, the
// time since it started (ticking) and who started it. The `[*]`/`[n]` prompt
// itself comes from the document's execution state (the cell's prompt), which
// survives reloads; this line comes from the bridge's awareness and is gone
// when the cell is idle.
import { useEffect, useState, type JSX } from 'react';
import { formatElapsed, queuePositionOf } from './kernel-state';
import type { KernelUi } from './kernel-ui';
import { useKernelSelector } from './use-kernel-state';

/** How often the elapsed time of a running cell is redrawn. */
const TICK_MS = 100;

export function CellRunState(props: { cellId: string; kernel: KernelUi }): JSX.Element | null {
  const { cellId, kernel } = props;
  const position = useKernelSelector(kernel.state, (s) => queuePositionOf(s, cellId));
  const queuedBy = useKernelSelector(kernel.state, (s) => s.queue.find((e) => e.cellId === cellId)?.queuedBy.name);
  const startedAt = useKernelSelector(kernel.state, (s) => (s.runningCellId === cellId ? s.runStartedAt ?? null : undefined));
  const runBy = useKernelSelector(kernel.state, (s) => (s.runningCellId === cellId ? s.runBy?.name : undefined));

  if (position !== undefined) {
    return (
      <div className="cell-run-state" data-state="queued">
        <span data-testid="queue-position" data-position={position}>Queued · #{position} in line</span>
        {queuedBy && <span className="cell-run-by"> · by {queuedBy}</span>}
      </div>
    );
  }
  if (startedAt !== undefined) {
    return (
      <div className="cell-run-state" data-state="running">
        <span className="cell-running-dot" aria-hidden />
        Running <Elapsed since={startedAt} />
        {runBy && <span className="cell-run-by"> · by {runBy}</span>}
      </div>
    );
  }
  return null;
}

function Elapsed(props: { since: number | null }): JSX.Element {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, []);
  const since = props.since;
  return (
    <span className="cell-elapsed" data-testid="elapsed-time" data-started-at={since ?? undefined}>
      {since === null ? '' : formatElapsed(now - since)}
    </span>
  );
}
