'use client';
// This viewer's side of a workshop, floating at the bottom of the page: whom
// they follow ("Catch up" once they scrolled away, "Stop following"), and their
// hand (raise it on the cell they are on, or take it down).
import { useSyncExternalStore, type JSX } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import { useAwarenessStates } from '../notebook/y-hooks';
import type { FollowController } from './follow';
import type { RaisedHand, WorkshopPresence } from './workshop-presence';

/** `hands`: a workshop is live, so this person can raise a hand. */
export function FollowBar(props: { awareness: Awareness; follow: FollowController; hands: boolean }): JSX.Element | null {
  const { awareness, follow } = props;
  const states = useAwarenessStates(awareness);
  const status = useSyncExternalStore(follow.subscribe, () => follow.status, () => follow.status);
  const mine = (states.get(awareness.clientID) ?? {}) as WorkshopPresence;
  const followedName = status.kind === 'idle' ? null : (states.get(status.clientId) as WorkshopPresence | undefined)?.user?.name ?? 'someone';

  // Someone following asks about the cell they are shown, not the one they last clicked.
  const handCell = follow.target(states)?.cellId ?? mine.cellId;
  const raise = () => {
    if (!handCell) return;
    const hand: RaisedHand = { cellId: handCell, raisedAt: Date.now() };
    awareness.setLocalStateField('hand', hand);
  };

  if (!props.hands && status.kind === 'idle') return null;
  return (
    <div className="follow-bar" data-testid="follow-bar" data-follow-state={status.kind}>
      {status.kind !== 'idle' && (
        <span className="follow-status" data-testid="follow-status">
          {status.kind === 'following' ? `Following ${followedName}` : `You scrolled away from ${followedName}`}
        </span>
      )}
      {status.kind === 'paused' && (
        <button type="button" data-testid="catch-up" onClick={() => follow.catchUp()}>Catch up</button>
      )}
      {status.kind !== 'idle' && (
        <button type="button" data-testid="stop-following" onClick={() => follow.stop()}>Stop following</button>
      )}
      {!props.hands ? null : mine.hand ? (
        <button type="button" data-testid="lower-my-hand" data-cell-id={mine.hand.cellId} onClick={() => awareness.setLocalStateField('hand', null)}>
          Lower my hand
        </button>
      ) : (
        <button
          type="button"
          data-testid="raise-hand"
          disabled={!handCell}
          title={handCell ? 'Ask the presenter about the cell you are on' : 'Select a cell first'}
          onClick={raise}
        >
          Raise hand
        </button>
      )}
    </div>
  );
}

/** "Follow" on a person of the presence list (not on oneself). */
export function FollowButton(props: { follow: FollowController; clientId: number; name: string }): JSX.Element {
  const { follow, clientId } = props;
  const status = useSyncExternalStore(follow.subscribe, () => follow.status, () => follow.status);
  const active = status.kind !== 'idle' && status.clientId === clientId;
  return (
    <button
      type="button"
      className="follow-button"
      data-testid="follow-person"
      aria-pressed={active}
      title={active ? `Stop following ${props.name}` : `Keep your view on ${props.name}'s cell`}
      onClick={() => (active ? follow.stop() : follow.follow(clientId))}
    >
      {active ? 'Following' : 'Follow'}
    </button>
  );
}
