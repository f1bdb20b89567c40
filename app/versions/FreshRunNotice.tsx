'use client';
// In the editor's header: a "Save & run all" of this notebook that is going on
// (whoever started it), with its progress, linking to the Versions page. The
// run is followed by use-fresh-run.ts.
import type { JSX } from 'react';
import { useFreshRun } from './use-fresh-run';

export function FreshRunNotice(props: { notebookId: string }): JSX.Element | null {
  const { notebookId } = props;
  const [run] = useFreshRun(notebookId, { idlePolling: true });
  if (run?.state !== 'running') return null;
  return (
    <a className="fresh-run-notice" href={`/notebooks/${encodeURIComponent(notebookId)}/versions`} data-testid="fresh-run-notice">
      Save &amp; run all by {run.startedBy}{run.progress ? `: cell ${run.progress.codeCellNumber}/${run.progress.codeCellCount}` : '…'}
    </a>
  );
}
