'use client';
// In the editor's header: a "Save & run all" of this notebook that is going on
// (whoever started it), with its progress, linking to the Versions page. The
// run happens in the kernel bridge, outside the document, so the notice asks for it:
// every few seconds while the tab is visible, every second while a run goes.
import { useEffect, useState, type JSX } from 'react';
import type { FreshRunState } from '../../notebook-model/service-protocol';

type RunState = Pick<FreshRunState, 'state' | 'startedBy' | 'progress'>;

const IDLE_POLL_MS = 5000;
const RUNNING_POLL_MS = 1000;

export function FreshRunNotice(props: { notebookId: string }): JSX.Element | null {
  const { notebookId } = props;
  const [run, setRun] = useState<RunState | null>(null);
  const running = run?.state === 'running';
  useEffect(() => {
    let stopped = false;
    const poll = async () => {
      if (document.visibilityState !== 'visible') return;
      const response = await fetch(`/api/notebooks/${encodeURIComponent(notebookId)}/versions/run`, { cache: 'no-store' }).catch(() => null);
      if (!response?.ok || stopped) return;
      setRun(((await response.json()) as { run: RunState | null }).run);
    };
    void poll();
    const timer = setInterval(() => void poll(), running ? RUNNING_POLL_MS : IDLE_POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [notebookId, running]);
  if (!running) return null;
  return (
    <a className="fresh-run-notice" href={`/notebooks/${encodeURIComponent(notebookId)}/versions`} data-testid="fresh-run-notice">
      Save &amp; run all by {run.startedBy}{run.progress ? `: cell ${run.progress.codeCellNumber}/${run.progress.codeCellCount}` : '…'}
    </a>
  );
}
