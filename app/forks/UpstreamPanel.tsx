'use client';
// In a fork's header: how many of its source's later changes it has not taken
// ("Updates from <source>"), and a panel to take them one cell at a time (or
// every clean one at once). The source is asked for every few seconds while the
// tab is visible and at once when the tab comes back; which changes are offered
// is worked out here against the fork's live document (notebook-model/upstream.ts),
// so a collaborator's pull in the same fork disappears from everyone's list.
import { useCallback, useEffect, useMemo, useState, type JSX } from 'react';
import type * as Y from 'yjs';
import { pullUpstreamCell, upstreamChanges, type UpstreamChange, type UpstreamChangeKind } from '../../notebook-model';
import type { UpstreamResponse } from './upstream-response';

const POLL_MS = 5000;
/** Recompute the offered changes at most this often while the fork is being edited. */
const RECOMPUTE_MS = 250;

const kindText: Record<UpstreamChangeKind, string> = {
  added: 'New cell',
  changed: 'Changed',
  conflict: 'Changed there and here: pulling replaces your edits',
  'deleted-here': 'Changed there; you deleted it here: pulling brings it back',
};

/** The fork document's version: bumps on every change, at most every RECOMPUTE_MS. */
function useDocVersion(doc: Y.Doc): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onUpdate = () => { timer ??= setTimeout(() => { timer = undefined; setVersion((v) => v + 1); }, RECOMPUTE_MS); };
    doc.on('update', onUpdate);
    return () => { doc.off('update', onUpdate); clearTimeout(timer); };
  }, [doc]);
  return version;
}

function useUpstream(notebookId: string): { upstream: UpstreamResponse | null; refresh: () => void } {
  const [upstream, setUpstream] = useState<UpstreamResponse | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let stopped = false;
    const poll = async () => {
      if (document.visibilityState !== 'visible') return;
      const response = await fetch(`/api/notebooks/${encodeURIComponent(notebookId)}/upstream`, { cache: 'no-store' }).catch(() => null);
      if (stopped || !response) return; // offline: keep what we had
      if (response.ok) {
        setUpstream((await response.json()) as UpstreamResponse);
      } else {
        setUpstream(null);
      }
    };
    void poll();
    const timer = setInterval(() => void poll(), POLL_MS);
    const onVisible = () => void poll();
    document.addEventListener('visibilitychange', onVisible);
    return () => { stopped = true; clearInterval(timer); document.removeEventListener('visibilitychange', onVisible); };
  }, [notebookId, tick]);
  return { upstream, refresh: useCallback(() => setTick((t) => t + 1), []) };
}

export function UpstreamPanel(props: { notebookId: string; doc: Y.Doc; origin: unknown; readOnly: boolean }): JSX.Element | null {
  const { doc, origin, readOnly } = props;
  const { upstream, refresh } = useUpstream(props.notebookId);
  const version = useDocVersion(doc);
  const [open, setOpen] = useState(false);
  const [pullError, setPullError] = useState<string | null>(null);
  const changes = useMemo(
    () => (upstream ? upstreamChanges(doc, upstream.cells) : []),
    // `version` stands for the fork document's content.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [doc, upstream, version],
  );

  // A fork whose source is gone, or closed to this person (a workshop that ended), shows nothing.
  if (!upstream) return null;

  const pull = (list: UpstreamChange[]) => {
    setPullError(null);
    try {
      doc.transact(() => { for (const change of list) pullUpstreamCell(doc, upstream.cells, change.cell.id, origin); }, origin);
    } catch (err) {
      setPullError((err as Error).message);
      refresh();
    }
  };
  const clean = changes.filter((c) => c.kind === 'added' || c.kind === 'changed');

  return (
    <div className="upstream" data-testid="upstream">
      <button
        type="button" className="upstream-toggle" data-testid="upstream-toggle" data-pending={changes.length > 0}
        aria-expanded={open} onClick={() => setOpen((o) => !o)}
        title={`Changes made in "${upstream.source.title}" since this fork took them`}
      >
        Updates from source{changes.length > 0 ? ` (${changes.length})` : ''}
      </button>
      {open && (
        <section className="upstream-panel" data-testid="upstream-panel" aria-label="Updates from the source notebook">
          <header>
            <span>From <a href={`/notebooks/${encodeURIComponent(upstream.source.id)}`} target="_blank" rel="noopener">{upstream.source.title}</a></span>
            {!readOnly && clean.length > 1 && (
              <button type="button" data-testid="upstream-pull-all" onClick={() => pull(clean)}>Pull {clean.length} clean changes</button>
            )}
          </header>
          {pullError && <p className="upstream-note" role="alert">{pullError}</p>}
          {changes.length === 0
            ? <p className="upstream-note" data-testid="upstream-none">Up to date: this fork has every change made there.</p>
            : (
              <ul className="upstream-changes">
                {changes.map((change) => (
                  <li key={change.cell.id} className="upstream-change" data-kind={change.kind} data-testid="upstream-change" data-cell-id={change.cell.id}>
                    <div className="upstream-kind">
                      <span>{kindText[change.kind]} · cell {change.sourceIndex + 1} ({change.cell.cell_type})</span>
                      {!readOnly && <button type="button" data-testid="upstream-pull" onClick={() => pull([change])}>Pull</button>}
                    </div>
                    <pre>{change.cell.source || '(empty)'}</pre>
                  </li>
                ))}
              </ul>
            )}
          {readOnly && <p className="upstream-note">You can view this fork but not change it.</p>}
        </section>
      )}
    </div>
  );
}
