'use client';
// One notebook in the list: open it, rename it in place, or delete it after a
// confirmation. Errors from the server show on the row they concern.
import { useState, useTransition, type JSX } from 'react';
import { canEdit, type Role } from '../../auth/roles';
import { deleteNotebookAction, renameNotebookAction } from './actions';
import { formatTimestamp } from '../../library/timestamps';

export interface NotebookRowProps {
  id: string;
  title: string;
  /** ISO time of the last change. */
  updatedAt: string;
  /** The viewer's role: controls they cannot use are not shown (the server refuses them anyway). */
  role: Role;
  /** Comments mentioning this person there that they have not seen yet (opening the notebook sees them). */
  mentions?: number;
}

export function NotebookRow(props: NotebookRowProps): JSX.Element {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(props.title);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const rename = () => startTransition(async () => {
    const result = await renameNotebookAction(props.id, draft);
    if (result.ok) {
      setEditing(false);
      setError(null);
    } else setError(result.error);
  });

  const remove = () => {
    if (!window.confirm(`Delete "${props.title}"? This cannot be undone.`)) return;
    startTransition(async () => {
      const result = await deleteNotebookAction(props.id);
      if (!result.ok) setError(result.error);
    });
  };

  return (
    <li className="notebook-row" data-testid="notebook-row" data-notebook-id={props.id} data-busy={pending}>
      {editing ? (
        <form className="notebook-rename" onSubmit={(e) => { e.preventDefault(); rename(); }}>
          <input
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            aria-label="New title"
            data-testid="rename-notebook-title"
            autoFocus
            maxLength={200}
            onKeyDown={(e) => { if (e.key === 'Escape') { setEditing(false); setDraft(props.title); } }}
          />
          <button type="submit" data-testid="rename-notebook-save" disabled={pending}>Save</button>
          <button type="button" onClick={() => { setEditing(false); setDraft(props.title); setError(null); }}>Cancel</button>
        </form>
      ) : (
        <>
          <a className="notebook-title" href={`/notebooks/${encodeURIComponent(props.id)}`} data-testid="open-notebook">{props.title}</a>
          {!!props.mentions && <span className="notebook-mentions" data-testid="notebook-mentions" data-count={props.mentions} title="Comments that mention you">@ {props.mentions}</span>}
          <time className="notebook-updated" dateTime={props.updatedAt} title={props.updatedAt}>
            {formatTimestamp(props.updatedAt)}
          </time>
          <span className="notebook-actions">
            <span className="notebook-role" data-testid="notebook-role">{props.role}</span>
            {props.role === 'owner' && <a href={`/share/${encodeURIComponent(props.id)}`} data-testid="share-notebook">Share</a>}
            {canEdit(props.role) && <button type="button" data-testid="rename-notebook" onClick={() => { setDraft(props.title); setEditing(true); }} disabled={pending}>Rename</button>}
            {props.role === 'owner' && <button type="button" data-testid="delete-notebook" className="danger" onClick={remove} disabled={pending}>Delete</button>}
          </span>
        </>
      )}
      {error && <p role="alert" className="form-error">{error}</p>}
    </li>
  );
}
