'use client';
// The presenter's view of the room, from awareness: how many people are here,
// who follows whom, and the queue of raised hands (who, on which cell), each of
// which the presenter can lower; next to them, attendees' questions (comment
// threads), which the presenter can answer.
import { useState, type JSX } from 'react';
import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { indexOfCell } from '../../notebook-model';
import type { CommentsUi } from '../comments/comment-threads';
import { QuestionList } from '../comments/QuestionList';
import { useAwarenessStates } from '../notebook/y-hooks';
import { audienceOf } from './follow';
import { handQueue, lowerHand, type QueuedHand } from './hands';
import type { WorkshopPresence } from './workshop-presence';

export function PresenterPanel(props: { awareness: Awareness; doc: Y.Doc; onGoToCell?: (cellId: string) => void; comments?: CommentsUi | null }): JSX.Element {
  const { awareness, doc } = props;
  const states = useAwarenessStates(awareness);
  const [open, setOpen] = useState(true);
  const audience = audienceOf(states);
  const hands = handQueue(states);

  const lower = (queued: QueuedHand) => {
    const mine = (awareness.getLocalState() ?? {}) as WorkshopPresence;
    awareness.setLocalStateField('loweredHands', lowerHand(awareness.getStates(), mine.loweredHands, queued.person.clientId, queued.hand));
  };

  return (
    <section className="presenter-panel" data-testid="presenter-panel" aria-label="Workshop">
      <header>
        <button type="button" className="presenter-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
          <span data-testid="present-count" data-count={audience.present}>{audience.present} here</span>
          {hands.length > 0 && <span className="hand-count" data-testid="hand-count"> · {hands.length} ✋</span>}
        </button>
      </header>
      {open && (
        <>
          <ul className="following-summary" data-testid="following-summary">
            {audience.followed.map((f) => (
              <li key={f.person.clientId} data-testid="followed-person" data-user-name={f.person.user.name} data-followers={f.followers}>
                {f.followers} following {f.person.clientId === awareness.clientID ? 'you' : f.person.user.name}
                {f.paused > 0 && ` (${f.paused} scrolled away)`}
              </li>
            ))}
          </ul>
          {hands.length > 0 && (
            <ol className="hand-queue" data-testid="hand-queue">
              {hands.map((h) => {
                const index = indexOfCell(doc, h.hand.cellId);
                return (
                  <li key={`${h.person.clientId}:${h.hand.raisedAt}`} data-testid="raised-hand" data-user-name={h.person.user.name} data-cell-id={h.hand.cellId}>
                    <button type="button" className="link-button" onClick={() => props.onGoToCell?.(h.hand.cellId)}>
                      {h.person.user.name} — {index >= 0 ? `cell ${index + 1}` : 'a deleted cell'}
                    </button>
                    <button type="button" data-testid="lower-hand" onClick={() => lower(h)}>Lower</button>
                  </li>
                );
              })}
            </ol>
          )}
          {props.comments && <QuestionList ui={props.comments} onGoToCell={props.onGoToCell} />}
        </>
      )}
    </section>
  );
}
