'use client';
// The notebook's title in the editor's header, renamed in place by those who
// may edit (click it, or its pencil): the rename is stored with the notebook
// first (the list's rename action, which checks the role), then announced
// through the shared document so every open page shows it at once
// (live-title.ts). A refused rename says why and changes nothing.
import { useEffect, useMemo, useState, useTransition, type JSX } from 'react';
import type { NotebookSession } from '../notebook/notebook-session';
import { ObservableValue, useObservableValue } from '../hooks/observable-value';
import { renameNotebookAction } from '../notebook-list/actions';
import { LiveTitle } from './live-title';

export function NotebookTitle(props: { notebookId: string; title: string; session: NotebookSession | null; canRename: boolean }): JSX.Element {
  const { session, notebookId } = props;
  const live = useMemo(() => (session ? new LiveTitle(session.doc, props.title) : null), [session, props.title]);
  useEffect(() => {
    if (!live || !session) return;
    const provider = session.provider;
    const stop = live.watch();
    const onSync = (synced: boolean) => { if (synced) live.synced(); };
    if (provider.synced) live.synced();
    provider.on('sync', onSync);
    return () => { provider.off('sync', onSync); stop(); };
  }, [live, session]);
  const fixed = useMemo(() => new ObservableValue(props.title), [props.title]);
  const shown = useObservableValue<string>(live ?? fixed, props.title);
  // The tab shows it too (the page's <title> is the stored title at load).
  useEffect(() => {
    if (shown !== props.title) document.title = `${shown} · Cellmate`;
  }, [shown, props.title]);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(shown);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();

  const rename = () => start(async () => {
    const result = await renameNotebookAction(notebookId, draft);
    if (!result.ok) return setError(result.error);
    live?.announce(draft.trim(), session?.localOrigin);
    setError(null);
    setEditing(false);
  });

  if (editing) {
    return (
      <form className="notebook-title-form" onSubmit={(e) => { e.preventDefault(); rename(); }}>
        <input
          className="notebook-title-input"
          aria-label="Notebook title"
          data-testid="notebook-title-input"
          value={draft}
          maxLength={200}
          autoFocus
          disabled={pending}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            e.stopPropagation(); // notebook keys must not act while typing a title
            if (e.key === 'Escape') { setEditing(false); setError(null); }
          }}
        />
        <button type="submit" disabled={pending} data-testid="notebook-title-save">Rename</button>
        {error && <span role="alert" className="form-error" data-testid="notebook-title-error">{error}</span>}
      </form>
    );
  }
  return (
    <h1
      className={`notebook-title${props.canRename ? ' notebook-title-renamable' : ''}`}
      data-testid="notebook-title"
      title={props.canRename ? `${shown} (click to rename)` : shown}
      onClick={props.canRename ? () => { setDraft(shown); setEditing(true); } : undefined}
    >
      {shown}
    </h1>
  );
}
