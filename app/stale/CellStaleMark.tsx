'use client';
// A code cell's freshness, the same for everyone (computed from the shared
// document by `staleMarks`): a mark beside the run record, "stale" or "out of
// order" with the reasons on hover, and the run record itself ("ran 2 min ago ·
// took 1.2 s · by Ana"), which stays after the run. For kernels other than
// Python the hover says that only edits and restarts are checked.
import { useEffect, useState, useSyncExternalStore, type JSX } from 'react';
import {
  cellMetadataOf, describeReason, EXECUTION_METADATA, runRecordOf, type StaleMarks, type YCell,
} from '../../notebook-model';
import { useYMapKeys } from '../notebook/y-hooks';
import { runRecordText } from './run-record-text';
import { staleMarksStoreOf } from './stale-marks-store';

/** How often "ran 2 min ago" is redrawn. */
const AGE_TICK_MS = 15_000;

const NO_ANALYSIS_NOTE = 'Only edits and kernel restarts are checked for this kernel\'s language (no dependency analysis).';

interface MarkView {
  state: 'fresh' | 'stale' | 'not-run' | 'none';
  outOfOrder: boolean;
  reasons: string[];
  analysis: boolean;
}

/** The cell's mark as a string, so an unchanged mark keeps its identity between changes. */
function markKey(marks: StaleMarks, cellId: string): string {
  const mark = marks.byId.get(cellId);
  const view: MarkView = mark
    ? {
      state: mark.state,
      outOfOrder: mark.reasons.some((r) => r.kind === 'out-of-order'),
      reasons: mark.reasons.map(describeReason),
      analysis: marks.dependencyAnalysis,
    }
    : { state: 'none', outOfOrder: false, reasons: [], analysis: marks.dependencyAnalysis };
  return JSON.stringify(view);
}

export function CellStaleMark(props: { cell: YCell; cellId: string }): JSX.Element | null {
  const { cell, cellId } = props;
  const doc = cell.doc;
  const store = doc ? staleMarksStoreOf(doc) : null;
  const key = useSyncExternalStore(
    (f) => store?.subscribe(f) ?? (() => {}),
    () => (store ? markKey(store.snapshot, cellId) : ''),
    () => '',
  );
  useYMapKeys(cellMetadataOf(cell), [EXECUTION_METADATA]);
  const now = useNow(AGE_TICK_MS);
  if (!key) return null;
  const view = JSON.parse(key) as MarkView;
  const record = runRecordOf(cell);
  const recordLine = record ? runRecordText(record, now) : null;
  if (view.state === 'none' || (view.state === 'not-run' && !recordLine)) return null;

  const stale = view.state === 'stale';
  const hover = [
    ...(stale ? ['Output is stale:', ...view.reasons.map((r) => `• ${r}`)] : view.state === 'fresh' ? ['Output is fresh.'] : []),
    ...(view.analysis ? [] : [NO_ANALYSIS_NOTE]),
  ].join('\n');
  const label = stale ? (view.outOfOrder && view.reasons.length === 1 ? 'out of order' : 'stale') : view.state === 'fresh' ? 'fresh' : null;
  return (
    <div className="cell-stale" data-testid="cell-stale" data-state={view.state} data-out-of-order={view.outOfOrder || undefined}>
      {label && (
        <span className="stale-mark" data-testid="stale-mark" data-state={view.state} title={hover} tabIndex={0}>
          {stale ? '⚠ ' : '✓ '}{label}
          {stale && view.outOfOrder && label !== 'out of order' && <span className="stale-out-of-order"> · out of order</span>}
        </span>
      )}
      {recordLine && <span className="run-record" data-testid="run-record">{recordLine}</span>}
      {!view.analysis && <span className="stale-note" data-testid="stale-no-analysis" title={NO_ANALYSIS_NOTE}>ⓘ</span>}
    </div>
  );
}

function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
