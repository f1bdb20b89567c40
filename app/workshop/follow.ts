// "Follow presenter": keeping this viewer's window on another person's cell and
// scroll position, from their awareness state, until the viewer scrolls away
// themselves; "catch up" resumes. The controller is plain state so that the
// rules can be tested without a browser; FollowBar.tsx wires it to the page.
import { peopleIn, type Person, type ViewAnchor } from './workshop-presence';

export type FollowStatus =
  | { kind: 'idle' }
  | { kind: 'following'; clientId: number }
  /** The viewer scrolled away; the view stays where they put it until they catch up. */
  | { kind: 'paused'; clientId: number };

/** Where the follower's window should be: the followed person's view, and the cell they are on. */
export interface FollowTarget {
  view: ViewAnchor | null;
  cellId: string | null;
}

export class FollowController {
  private statusValue: FollowStatus = { kind: 'idle' };
  private readonly listeners = new Set<() => void>();

  get status(): FollowStatus {
    return this.statusValue;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  follow(clientId: number): void {
    this.set({ kind: 'following', clientId });
  }

  stop(): void {
    this.set({ kind: 'idle' });
  }

  /** The viewer scrolled on their own: stop moving their window, remember whom to catch up with. */
  userScrolled(): void {
    if (this.statusValue.kind === 'following') this.set({ kind: 'paused', clientId: this.statusValue.clientId });
  }

  catchUp(): void {
    if (this.statusValue.kind === 'paused') this.set({ kind: 'following', clientId: this.statusValue.clientId });
  }

  /** The followed person left the room: nothing to follow any more. */
  reconcile(states: ReadonlyMap<number, unknown>): void {
    if (this.statusValue.kind !== 'idle' && !states.has(this.statusValue.clientId)) this.stop();
  }

  /** Where to put the window now, or null when it is the viewer's own to move. */
  target(states: ReadonlyMap<number, unknown>): FollowTarget | null {
    if (this.statusValue.kind !== 'following') return null;
    const person = peopleIn(states).find((p) => p.clientId === (this.statusValue as { clientId: number }).clientId);
    if (!person) return null;
    return { view: person.view ?? null, cellId: person.cellId ?? null };
  }

  /** The awareness fields describing this viewer's following, for the presenter's counts. */
  presence(): { following: number | null; followPaused: boolean } {
    const s = this.statusValue;
    return s.kind === 'idle' ? { following: null, followPaused: false } : { following: s.clientId, followPaused: s.kind === 'paused' };
  }

  private set(status: FollowStatus): void {
    const old = this.statusValue;
    if (old.kind === status.kind && (old as { clientId?: number }).clientId === (status as { clientId?: number }).clientId) return;
    this.statusValue = status;
    for (const listener of this.listeners) listener();
  }
}

export interface Audience {
  /** Everyone present, this viewer included. */
  present: number;
  /** For each person followed by someone: who, how many follow them, how many of those scrolled away. */
  followed: { person: Person; followers: number; paused: number }[];
}

/** Counts for the presenter's view: who is here and who follows whom. */
export function audienceOf(states: ReadonlyMap<number, unknown>): Audience {
  const people = peopleIn(states);
  const byId = new Map(people.map((p) => [p.clientId, p]));
  const counts = new Map<number, { followers: number; paused: number }>();
  for (const p of people) {
    if (p.following == null || p.following === p.clientId || !byId.has(p.following)) continue;
    const c = counts.get(p.following) ?? { followers: 0, paused: 0 };
    c.followers++;
    if (p.followPaused) c.paused++;
    counts.set(p.following, c);
  }
  const followed = [...counts].map(([id, c]) => ({ person: byId.get(id)!, ...c }))
    .sort((a, b) => b.followers - a.followers || a.person.user.name.localeCompare(b.person.user.name));
  return { present: people.length, followed };
}
