'use client';
// "Try it myself", in an attendee's workshop dock: makes a private copy of the
// notebook as it stands (POST /api/notebooks/<id>/workshop/fork), then offers
// to open it beside the live notebook (a new tab) or instead of it. Both are
// plain links, so the browser never blocks the new tab as a pop-up.
import { useState, type JSX } from 'react';

type State =
  | { kind: 'idle' }
  | { kind: 'making' }
  | { kind: 'made'; url: string; owner: 'account' | 'guest' }
  | { kind: 'failed'; error: string };

export function TryItMyself(props: { notebookId: string; keptDays: number }): JSX.Element {
  const [state, setState] = useState<State>({ kind: 'idle' });

  const makeCopy = async () => {
    setState({ kind: 'making' });
    try {
      const res = await fetch(`/api/notebooks/${encodeURIComponent(props.notebookId)}/workshop/fork`, { method: 'POST' });
      const body = (await res.json().catch(() => ({}))) as { url?: string; owner?: 'account' | 'guest'; error?: string };
      if (res.ok && body.url) setState({ kind: 'made', url: body.url, owner: body.owner === 'guest' ? 'guest' : 'account' });
      else setState({ kind: 'failed', error: body.error ?? `Could not make your copy (HTTP ${res.status}). Try again.` });
    } catch {
      setState({ kind: 'failed', error: 'Could not reach Cellmate to make your copy. Check your connection and try again.' });
    }
  };

  return (
    <div className="try-it" data-testid="try-it-panel" data-state={state.kind}>
      <button
        type="button"
        data-testid="try-it-myself"
        disabled={state.kind === 'making'}
        title="Make your own copy of this notebook as it is now, to edit and run on your own kernel"
        onClick={() => void makeCopy()}
      >
        {state.kind === 'making' ? 'Making your copy…' : state.kind === 'made' ? 'Another copy' : 'Try it myself'}
      </button>
      {state.kind === 'made' && (
        <span className="try-it-made">
          Your copy is ready:{' '}
          <a href={state.url} target="_blank" rel="noopener" data-testid="open-fork-beside">open beside</a>
          {' · '}
          <a href={state.url} data-testid="open-fork-here">open here</a>
          {state.owner === 'guest' && (
            <span className="try-it-hint" data-testid="try-it-guest-hint">
              {' '}It is yours in this browser, kept {props.keptDays} {props.keptDays === 1 ? 'day' : 'days'} after the workshop ends; download it to keep it longer.
            </span>
          )}
        </span>
      )}
      {state.kind === 'failed' && <span role="alert" className="form-error" data-testid="try-it-error">{state.error}</span>}
    </div>
  );
}
