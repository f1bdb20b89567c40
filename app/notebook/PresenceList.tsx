'use client';
// Who is on this notebook right now, built for a workshop of fifty: in the
// header a compact stack of a few avatars and "+N" (one line, whatever the
// crowd), and the full list in a popover, grouped (presenters, people following
// you, everyone else), each group in natural order ("Attendee 2" before
// "Attendee 10"). Read from awareness: `user` and `cellId` (published by every
// tab), `following` (workshop-presence.ts), `role` (written by the collab server).
import { useMemo, useRef, useState, type JSX, type ReactNode } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import { useDismiss } from '../hooks/use-dismiss';
import { peopleIn, type Person } from '../workshop/workshop-presence';
import { useAwarenessSelector } from './y-hooks';

/** Faces shown in the header before the rest is counted as "+N". */
const STACK_SIZE = 5;

const byName = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export type PresenceGroup = 'presenters' | 'following' | 'others';
const GROUP_TITLES: Record<PresenceGroup, string> = { presenters: 'Presenters', following: 'Following you', others: 'Others' };

/**
 * The people of a room in the popover's groups, each sorted naturally by name.
 * This tab's own state carries no `role` (the server adds it to what it relays), so `myRole` is passed.
 */
export function groupPeople(people: Person[], me: number, myRole?: string): Record<PresenceGroup, Person[]> {
  const groups: Record<PresenceGroup, Person[]> = { presenters: [], following: [], others: [] };
  for (const p of people) {
    const role = p.clientId === me ? myRole ?? p.role : p.role;
    if (role === 'owner' || role === 'editor') groups.presenters.push(p);
    else if (p.clientId !== me && p.following === me) groups.following.push(p);
    else groups.others.push(p);
  }
  for (const list of Object.values(groups)) list.sort((a, b) => byName.compare(a.user.name, b.user.name) || a.clientId - b.clientId);
  return groups;
}

/** What the list shows of each person, as a string: it changes when someone arrives, leaves, moves to another cell or changes role, name or whom they follow. */
function peopleKey(states: ReadonlyMap<number, unknown>): string {
  return JSON.stringify(peopleIn(states).map(({ clientId, user, role, cellId, following }) => ({ clientId, user: { name: user.name, color: user.color }, role, cellId, following })));
}

/** The people here, a new list only when what the list shows of them changes (not on every cursor move or scroll). */
function usePeople(awareness: Awareness): Person[] {
  const key = useAwarenessSelector(awareness, peopleKey, '[]');
  return useMemo(() => JSON.parse(key) as Person[], [key]);
}

export function PresenceList(props: {
  awareness: Awareness;
  /** This person's role on the notebook. */
  myRole?: string;
  /** Controls shown beside each other person (e.g. "Follow"). */
  actions?: (person: { clientId: number; name: string }) => ReactNode;
}): JSX.Element {
  const me = props.awareness.clientID;
  const people = usePeople(props.awareness);
  const { groups, stack } = useMemo(() => {
    const groups = groupPeople(people, me, props.myRole);
    const ordered = [...groups.presenters, ...groups.following, ...groups.others];
    // This person's own face comes first in the stack.
    return { groups, stack: [...ordered.filter((p) => p.clientId === me), ...ordered.filter((p) => p.clientId !== me)] };
  }, [people, me, props.myRole]);
  const shown = stack.length > STACK_SIZE ? stack.slice(0, STACK_SIZE - 1) : stack;
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);

  useDismiss(open, root, () => setOpen(false));

  return (
    <div className="presence" data-testid="presence-list" ref={root}>
      <button
        type="button"
        className="presence-stack"
        data-testid="presence-toggle"
        aria-expanded={open}
        aria-haspopup="dialog"
        title={`${people.length} ${people.length === 1 ? 'person' : 'people'} here: show everyone`}
        onClick={() => setOpen((o) => !o)}
      >
        {shown.map((p) => (
          <span key={p.clientId} className="avatar" data-testid="presence-avatar" data-user-name={p.user.name} style={{ background: p.user.color }}>
            {initialOf(p.user.name)}
          </span>
        ))}
        {stack.length > shown.length && <span className="presence-more" data-testid="presence-more">+{stack.length - shown.length}</span>}
        <span className="visually-hidden" data-testid="presence-count" data-count={people.length}>{people.length} here</span>
      </button>
      <div className="presence-popover" data-testid="presence-popover" role="dialog" aria-label="People here" hidden={!open}>
        {(Object.keys(groups) as PresenceGroup[]).filter((g) => groups[g].length > 0).map((group) => (
          <section key={group} className="presence-group" data-testid="presence-group" data-group={group}>
            <h3>{GROUP_TITLES[group]} <span className="presence-group-count">{groups[group].length}</span></h3>
            <ul>
              {groups[group].map((p) => <PersonEntry key={p.clientId} person={p} me={p.clientId === me} actions={props.actions} />)}
            </ul>
          </section>
        ))}
      </div>
    </div>
  );
}

function PersonEntry(props: { person: Person; me: boolean; actions?: (person: { clientId: number; name: string }) => ReactNode }): JSX.Element {
  const { person: p, me } = props;
  return (
    <li
      className="presence-user"
      data-testid="presence-user"
      data-user-name={p.user.name}
      data-client-id={p.clientId}
      data-cell-id={p.cellId ?? ''}
      data-me={me || undefined}
      data-role={p.role}
      title={`${p.user.name}${me ? ' (you)' : ''}${p.role && !me ? `, ${p.role}` : ''}${p.cellId ? ` — on cell ${p.cellId}` : ''}`}
    >
      <span className="avatar" style={{ background: p.user.color }}>{initialOf(p.user.name)}</span>
      <span className="presence-name">{p.user.name}{me ? ' (you)' : ''}</span>
      {p.role && !me && <span className="presence-role" data-testid="presence-role">{p.role}</span>}
      {!me && props.actions?.({ clientId: p.clientId, name: p.user.name })}
    </li>
  );
}

function initialOf(name: string): string {
  return [...name.trim()][0]?.toUpperCase() ?? '?';
}
