'use client';
// "Try it myself", in an attendee's workshop dock: makes a private copy of the
// notebook as it stands (POST /api/notebooks/<id>/workshop/fork), then offers
// to open it beside the live notebook (a new tab) or instead of it. Both are
// plain links, so the browser never blocks the new tab as a pop-up. The copies
// this person already made in the workshop are listed from the start (GET on
// the same address), so a reload, or a guest without a notebook list, never
// loses the way back to them.
import { useEffect, useState, type JSX } from 'react';
import { formatClockTime } from '../../library/timestamps';

interface Copy {
  id: string;
  url: string;
  createdAt: string;
}

type Making =
  | { kind: 'idle' }
  | { kind: 'making' }
  | { kind: 'made'; owner: 'account' | 'guest' }
  | { kind: 'failed'; error: string };

const madeAt = (copy: Copy) => formatClockTime(copy.createdAt);

export function TryItMyself(props: { notebookId: string; keptDays: number }): JSX.Element {
  const [making, setMaking] = useState<Making>({ kind: 'idle' });
  const [copies, setCopies] = useState<Copy[]>([]);
  const address = `/api/notebooks/${encodeURIComponent(props.notebookId)}/workshop/fork`;

  useEffect(() => {
    let live = true;
    fetch(address, { cache: 'no-store' })
      .then((res) => (res.ok ? res.json() : { copies: [] }))
      .then((body: { copies?: Copy[] }) => {
        if (!live || !body.copies?.length) return;
        // A copy made while this was loading is already in the list.
        setCopies((made) => [...made, ...body.copies!.filter((c) => !made.some((m) => m.id === c.id))]);
      })
      .catch(() => { /* the list is a convenience; making a copy still works */ });
    return () => { live = false; };
  }, [address]);

  const makeCopy = async () => {
    setMaking({ kind: 'making' });
    try {
      const res = await fetch(address, { method: 'POST' });
      const body = (await res.json().catch(() => ({}))) as { id?: string; url?: string; owner?: 'account' | 'guest'; error?: string };
      if (res.ok && body.id && body.url) {
        const copy = { id: body.id, url: body.url, createdAt: new Date().toISOString() };
        setCopies((made) => [copy, ...made.filter((c) => c.id !== copy.id)]);
        setMaking({ kind: 'made', owner: body.owner === 'guest' ? 'guest' : 'account' });
      } else {
        setMaking({ kind: 'failed', error: body.error ?? `Could not make your copy (HTTP ${res.status}). Try again.` });
      }
    } catch {
      setMaking({ kind: 'failed', error: 'Could not reach Cellmate to make your copy. Check your connection and try again.' });
    }
  };

  const [newest, ...earlier] = copies;
  return (
    <div className="try-it" data-testid="try-it-panel" data-state={making.kind} data-copies={copies.length}>
      <button
        type="button"
        data-testid="try-it-myself"
        disabled={making.kind === 'making'}
        title="Make your own copy of this notebook as it is now, to edit and run on your own kernel"
        onClick={() => void makeCopy()}
      >
        {making.kind === 'making' ? 'Making your copy…' : newest ? 'Another copy' : 'Try it myself'}
      </button>
      {newest && (
        <span className="try-it-made">
          {making.kind === 'made' ? 'Your copy is ready:' : `Your copy (${madeAt(newest)}):`}{' '}
          <a href={newest.url} target="_blank" rel="noopener" data-testid="open-fork-beside">open beside</a>
          {' · '}
          <a href={newest.url} data-testid="open-fork-here">open here</a>
          {making.kind === 'made' && making.owner === 'guest' && (
            <span className="try-it-hint" data-testid="try-it-guest-hint">
              {' '}It is yours in this browser, kept {props.keptDays} {props.keptDays === 1 ? 'day' : 'days'} after the workshop ends; download it to keep it longer.
            </span>
          )}
        </span>
      )}
      {earlier.length > 0 && (
        <details className="try-it-earlier" data-testid="earlier-copies">
          <summary>{earlier.length} earlier {earlier.length === 1 ? 'copy' : 'copies'}</summary>
          <ul>
            {earlier.map((copy) => (
              <li key={copy.id}>
                <a href={copy.url} target="_blank" rel="noopener" data-testid="earlier-copy">made {madeAt(copy)}</a>
              </li>
            ))}
          </ul>
        </details>
      )}
      {making.kind === 'failed' && <span role="alert" className="form-error" data-testid="try-it-error">{making.error}</span>}
    </div>
  );
}
