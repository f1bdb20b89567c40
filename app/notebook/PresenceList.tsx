'use client';
// Who is on this notebook right now, with their role, and which cell each
// person is on, from awareness (`user` and `cellId`, published by every tab;
// `role`, written by the collab server).
import type { JSX, ReactNode } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type { PresenceState } from './notebook-session';
import { useAwarenessStates } from './y-hooks';

export function PresenceList(props: {
  awareness: Awareness;
  /** Controls shown beside each other person (e.g. "Follow"). */
  actions?: (person: { clientId: number; name: string }) => ReactNode;
}): JSX.Element {
  const states = useAwarenessStates(props.awareness);
  const people = [...states.entries()]
    .map(([clientId, state]) => ({ clientId, ...(state as PresenceState) }))
    // The kernel bridge is a peer of the room too; the status bar shows it, not the people list.
    .filter((p) => p.user?.name && !('kernel' in p))
    .sort((a, b) => (a.clientId === props.awareness.clientID ? -1 : b.clientId === props.awareness.clientID ? 1 : a.user!.name.localeCompare(b.user!.name)));
  return (
    <ul className="presence-list" data-testid="presence-list" aria-label="People here">
      {people.map((p) => {
        const me = p.clientId === props.awareness.clientID;
        return (
          <li
            key={p.clientId}
            className="presence-user"
            data-testid="presence-user"
            data-user-name={p.user!.name}
            data-cell-id={p.cellId ?? ''}
            data-me={me || undefined}
            data-role={p.role}
            title={`${p.user!.name}${me ? ' (you)' : ''}${p.role && !me ? `, ${p.role}` : ''}${p.cellId ? ` — on cell ${p.cellId}` : ''}`}
          >
            <span className="avatar" style={{ background: p.user!.color }}>{initialOf(p.user!.name)}</span>
            <span className="presence-name">{p.user!.name}{me ? ' (you)' : ''}</span>
            {p.role && !me && <span className="presence-role" data-testid="presence-role">{p.role}</span>}
            {!me && props.actions?.({ clientId: p.clientId, name: p.user!.name })}
          </li>
        );
      })}
    </ul>
  );
}

function initialOf(name: string): string {
  return [...name.trim()][0]?.toUpperCase() ?? '?';
}
