'use client';
// The owner's workshop controls, on the share page: start a workshop (the
// attendees' role: viewer, commenter or editor), then copy its attendee and presenter
// links for as long as it is live, and end it, which revokes both links at
// once. Every step is checked again on the server (owners only).
import { useRouter } from 'next/navigation';
import { useState, useSyncExternalStore, useTransition, type JSX } from 'react';
import type { WorkshopView } from '../server/workshops';
import { formatTimestamp } from '../../library/timestamps';

const noSubscription = () => () => {};

function LinkField(props: { label: string; hint: string; path: string; testId: string }): JSX.Element {
  const [copied, setCopied] = useState(false);
  // The origin people use is the one this page was opened on (known after hydration).
  const origin = useSyncExternalStore(noSubscription, () => window.location.origin, () => '');
  const url = `${origin}${props.path}`;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      setCopied(false); // no clipboard permission: the field is selectable
    }
  };
  return (
    <label className="workshop-link">
      <span><strong>{props.label}</strong> <span className="share-hint">{props.hint}</span></span>
      <span className="share-row">
        <input readOnly value={url} size={60} data-testid={props.testId} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" onClick={() => void copy()}>{copied ? 'Copied' : 'Copy'}</button>
      </span>
    </label>
  );
}

export function WorkshopControls(props: { notebookId: string; workshop: WorkshopView | null; keptDays: number }): JSX.Element {
  const router = useRouter();
  const [workshop, setWorkshop] = useState<WorkshopView | null>(props.workshop);
  const [error, setError] = useState<string | null>(null);
  const [ended, setEnded] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const endpoint = `/api/notebooks/${encodeURIComponent(props.notebookId)}/workshop`;

  const call = (init: RequestInit, then: (body: Record<string, unknown>) => void) => start(async () => {
    try {
      const res = await fetch(endpoint, { ...init, headers: { 'content-type': 'application/json' } });
      const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      if (!res.ok) {
        setError(typeof body.error === 'string' ? body.error : `The server answered ${res.status}.`);
        return;
      }
      setError(null);
      then(body);
      router.refresh(); // the share links below list the workshop's links
    } catch {
      setError('Could not reach Cellmate. Check your connection and try again.');
    }
  });

  return (
    <section className="workshop-controls" data-testid="workshop-controls" data-live={workshop !== null}>
      <h2>Workshop</h2>
      {error && <p role="alert" className="form-error" data-testid="workshop-error">{error}</p>}
      {workshop ? (
        <>
          <p className="share-hint">
            Live since {formatTimestamp(workshop.startedAt)}.
            Attendees join as <strong data-testid="workshop-attendee-role">{workshop.attendeeRole}s</strong> and can make their own copy with “Try it myself”.
          </p>
          <LinkField label="Attendee link" hint="for everyone taking part" path={workshop.attendeePath} testId="workshop-attendee-link" />
          <LinkField label="Presenter link" hint="for co-hosts: they edit, run and see the presenter panel" path={workshop.presenterPath} testId="workshop-presenter-link" />
          <p className="share-row">
            <button
              type="button"
              className="danger"
              disabled={pending}
              data-testid="end-workshop"
              onClick={() => call({ method: 'DELETE' }, () => {
                setWorkshop(null);
                setEnded(`Workshop ended: both links are revoked and their guests disconnected. Guests' copies are kept ${props.keptDays} days.`);
              })}
            >
              End workshop
            </button>
          </p>
        </>
      ) : (
        <form
          className="share-row"
          onSubmit={(e) => {
            e.preventDefault();
            const attendeeRole = String(new FormData(e.currentTarget).get('attendeeRole'));
            call({ method: 'POST', body: JSON.stringify({ attendeeRole }) }, (body) => {
              setEnded(null);
              setWorkshop(body.workshop as WorkshopView);
            });
          }}
        >
          <span className="share-hint">Run a live session: attendees follow you, raise hands, and try the code in copies of their own.</span>
          <label>attendees are{' '}
            <select name="attendeeRole" defaultValue="viewer" aria-label="Attendee role" data-testid="workshop-attendee-role-select">
              <option value="viewer">viewers</option>
              <option value="commenter">commenters</option>
              <option value="editor">editors</option>
            </select>
          </label>
          <button type="submit" disabled={pending} data-testid="start-workshop">Start workshop</button>
        </form>
      )}
      {ended && <p className="share-hint" data-testid="workshop-ended-note">{ended}</p>}
    </section>
  );
}
