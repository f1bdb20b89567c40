'use client';
// A notebook's "Save & run all" (whoever started it), for the pages that show
// it: the editor's header notice and the Versions page. The run happens in the
// kernel bridge, outside the document, so its state is asked for: every second
// while a run goes and, where `idlePolling` is on, every few seconds otherwise
// while the tab is visible.
import { useEffect, useRef, useState } from 'react';
import type { FreshRunState } from '../../notebook-model/service-protocol';
import { useLatest } from '../hooks/use-latest';

const IDLE_POLL_MS = 5000;
const RUNNING_POLL_MS = 1000;

export function useFreshRun(
  notebookId: string,
  options: { idlePolling: boolean; onFinished?: () => void },
): [FreshRunState | null, (run: FreshRunState) => void] {
  const [run, setRun] = useState<FreshRunState | null>(null);
  const last = useRef<FreshRunState | null>(null);
  const onFinished = useLatest(options.onFinished);
  const running = run?.state === 'running';
  const { idlePolling } = options;
  useEffect(() => {
    let stopped = false;
    const poll = async () => {
      if (document.visibilityState !== 'visible' && !running) return;
      const response = await fetch(`/api/notebooks/${encodeURIComponent(notebookId)}/versions/run`, { cache: 'no-store' }).catch(() => null);
      if (!response?.ok || stopped) return;
      const next = ((await response.json()) as { run: FreshRunState | null }).run;
      if (stopped) return;
      if (last.current?.state === 'running' && next && next.state !== 'running') onFinished.current?.();
      last.current = next;
      setRun(next);
    };
    void poll();
    const every = running ? RUNNING_POLL_MS : idlePolling ? IDLE_POLL_MS : null;
    const timer = every === null ? undefined : setInterval(() => void poll(), every);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [notebookId, running, idlePolling, onFinished]);
  const started = (next: FreshRunState) => {
    last.current = next;
    setRun(next);
  };
  return [run, started];
}
