'use client';
// The versions list of one notebook with its actions: quick save, publish /
// unpublish (owners), restore (editors), copy & edit. Each action calls its API
// route and then reloads the server-rendered list.
import { useRouter } from 'next/navigation';
import { useState, type JSX } from 'react';
import type { OutputFreshness } from '../../library/output-freshness';
import type { FreshRunState } from '../../notebook-model/service-protocol';
import { FreshnessBadge } from './FreshnessBadge';
import { useFreshRun } from './use-fresh-run';
import { formatTimestamp } from '../../library/timestamps';

export interface VersionRow {
  id: string;
  name: string;
  authorName: string;
  kind: 'quick' | 'fresh-run';
  createdAt: string;
  publishedUrl: string | null;
  /** Signed-in readers of the public page may comment (owner's setting). */
  readerComments?: boolean;
  /** For fresh runs: "all cells ran" or the failure, and the cells whose output changed. */
  runSummary: string | null;
  /** Whether its outputs match its code (null: no run records, or not checked). */
  freshness: OutputFreshness | null;
}

async function call(url: string, method: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) throw new Error(typeof json.error === 'string' ? json.error : `HTTP ${response.status}`);
  return json;
}

export function VersionsPanel(props: { notebookId: string; versions: VersionRow[]; canEdit: boolean; canRun: boolean; isOwner: boolean; canFork: boolean }): JSX.Element {
  const { notebookId, versions, canEdit, canRun, isOwner, canFork } = props;
  const router = useRouter();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [forkWithComments, setForkWithComments] = useState(false);
  const [refresh] = useState(() => () => router.refresh());
  const [run, setRun] = useFreshRun(notebookId, { idlePolling: false, onFinished: refresh });

  async function act(run: () => Promise<void>): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      await run();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const quickSave = () => act(async () => {
    await call(`/api/notebooks/${encodeURIComponent(notebookId)}/versions`, 'POST', { name });
    setName('');
    router.refresh();
  });
  const saveAndRunAll = () => act(async () => {
    const { run: started } = await call(`/api/notebooks/${encodeURIComponent(notebookId)}/versions/run`, 'POST', { name });
    setName('');
    setRun(started as FreshRunState);
  });
  const allowReaderComments = (id: string, allowed: boolean) => act(async () => {
    await call(`/api/versions/${encodeURIComponent(id)}/reader-comments`, 'PUT', { allowed });
    router.refresh();
  });
  const publish = (id: string, on: boolean) => act(async () => {
    await call(`/api/versions/${encodeURIComponent(id)}/publish`, on ? 'POST' : 'DELETE');
    router.refresh();
  });
  const restore = (id: string, versionName: string) => act(async () => {
    if (!window.confirm(`Restore "${versionName}"? Everyone connected sees the notebook change.`)) return;
    const { url } = await call(`/api/versions/${encodeURIComponent(id)}/restore`, 'POST');
    router.push(String(url));
  });
  const fork = (versionId?: string) => act(async () => {
    const { url } = await call(`/api/notebooks/${encodeURIComponent(notebookId)}/fork`, 'POST', { versionId, withComments: forkWithComments });
    router.push(String(url));
  });

  return (
    <div>
      {canEdit && (
        <form className="versions-save" onSubmit={(e) => { e.preventDefault(); void quickSave(); }}>
          <input aria-label="Version name" placeholder="Version name" value={name} onChange={(e) => setName(e.target.value)} data-testid="version-name" maxLength={200} />
          <button type="submit" disabled={busy} data-testid="quick-save">Quick save</button>
          {canRun && (
            <button type="button" disabled={busy || run?.state === 'running'} onClick={() => void saveAndRunAll()} data-testid="save-and-run-all"
              title="Runs every cell top to bottom in a fresh kernel of its own; the live kernel and your collaborators are not disturbed">
              Save &amp; run all
            </button>
          )}
        </form>
      )}
      {run && (
        <p data-testid="fresh-run-state" data-state={run.state}>
          {run.state === 'running' && <>Running “{run.name}” (started by {run.startedBy}) in a fresh kernel{run.progress ? `: cell ${run.progress.codeCellNumber} of ${run.progress.codeCellCount}` : '…'}</>}
          {run.state === 'done' && <>“{run.name}” finished: saved as a version below.</>}
          {run.state === 'failed' && <span className="versions-error">“{run.name}” could not run: {run.error}</span>}
        </p>
      )}
      {canFork && (
        <p>
          <button type="button" disabled={busy} onClick={() => void fork()} data-testid="fork-notebook">Copy &amp; edit the notebook as it is now</button>{' '}
          <label title="Copies carry no comment threads unless asked">
            <input type="checkbox" checked={forkWithComments} onChange={(e) => setForkWithComments(e.target.checked)} data-testid="fork-with-comments" /> with comments
          </label>
        </p>
      )}
      {error && <p className="versions-error" role="alert">{error}</p>}
      {versions.length > 0 && (
        <form className="versions-compare" method="get" action={`/notebooks/${encodeURIComponent(notebookId)}/versions/compare`} data-testid="compare-form">
          Compare
          <select name="from" aria-label="From version" defaultValue={versions[Math.min(1, versions.length - 1)].id} data-testid="compare-from">
            {versions.map((v) => <option key={v.id} value={v.id}>{v.name}</option>)}
          </select>
          with
          <select name="to" aria-label="To version" defaultValue={versions.length > 1 ? versions[0].id : 'live'} data-testid="compare-to">
            <option value="live">the notebook now</option>
            {versions.map((v) => <option key={v.id} value={v.id}>{v.name}</option>)}
          </select>
          <button type="submit" data-testid="compare">Compare</button>
        </form>
      )}
      {versions.length === 0 ? (
        <p data-testid="no-versions">No versions saved yet.</p>
      ) : (
        <table className="versions-table" data-testid="versions-table">
          <thead><tr><th>Name</th><th>Author</th><th>Saved</th><th>Kind</th><th>Actions</th></tr></thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.id} data-testid="version-row" data-version-id={v.id}>
                <td>{v.name}</td>
                <td>{v.authorName}</td>
                <td><time dateTime={v.createdAt}>{formatTimestamp(v.createdAt)}</time></td>
                <td>{v.kind === 'fresh-run' ? 'Save & run all' : 'Quick save'}{v.runSummary && <div className="cell-differs">{v.runSummary}</div>}<FreshnessBadge freshness={v.freshness} /></td>
                <td>
                  {v.publishedUrl && <a href={v.publishedUrl} data-testid="published-link">Public page</a>}{' '}
                  {isOwner && (v.publishedUrl
                    ? <button type="button" disabled={busy} onClick={() => void publish(v.id, false)} data-testid="unpublish">Unpublish</button>
                    : <button type="button" disabled={busy} onClick={() => void publish(v.id, true)} data-testid="publish">Publish</button>)}{' '}
                  {isOwner && v.publishedUrl && (
                    <label className="reader-comments-setting">
                      <input type="checkbox" checked={!!v.readerComments} disabled={busy} onChange={(e) => void allowReaderComments(v.id, e.target.checked)} data-testid="reader-comments-setting" />
                      {' '}readers may comment
                    </label>
                  )}{' '}
                  {canEdit && <button type="button" disabled={busy} onClick={() => void restore(v.id, v.name)} data-testid="restore">Restore</button>}{' '}
                  {canFork && <button type="button" disabled={busy} onClick={() => void fork(v.id)} data-testid="fork-version">Copy &amp; edit</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
