// What the workshop features publish in each person's awareness state, next to
// `user`, `cellId` and `role` (app/notebook/notebook-session.ts), and reading
// those fields back from the room's states. Nothing here touches the DOM.

/** Where someone's view is: the first cell at the top of their window and how far past its top they are. */
export interface ViewAnchor {
  cellId: string;
  /** Pixels between that cell's top and the top of the visible area (≥ 0). */
  offset: number;
}

export interface RaisedHand {
  cellId: string;
  /** Milliseconds since the epoch, by the raiser's clock; identifies this raising. */
  raisedAt: number;
}

export interface WorkshopPresence {
  user?: { name: string; color?: string };
  cellId?: string | null;
  role?: string;
  /** The bridge's peer carries `kernel`; it is not a person. */
  kernel?: unknown;
  view?: ViewAnchor | null;
  /** The client id this person follows, or null. */
  following?: number | null;
  /** True while a follower has scrolled away from the person they follow. */
  followPaused?: boolean;
  hand?: RaisedHand | null;
  /** Hands a presenter lowered: raiser's client id → the `raisedAt` lowered. */
  loweredHands?: Record<string, number>;
}

export interface Person extends WorkshopPresence {
  clientId: number;
  user: { name: string; color?: string };
}

/** The people in a room's awareness states (the kernel bridge's peer is not one). */
export function peopleIn(states: ReadonlyMap<number, unknown>): Person[] {
  const people: Person[] = [];
  for (const [clientId, raw] of states) {
    const state = raw as WorkshopPresence | null;
    if (!state?.user?.name || 'kernel' in state) continue;
    people.push({ ...state, clientId, user: state.user });
  }
  return people;
}
