// Raised hands over awareness. Each person can only write their own state, so a
// presenter lowers a hand by publishing it in their own `loweredHands`; the
// raiser's page sees that and takes its hand down, and meanwhile every queue
// already leaves it out.
import { peopleIn, type Person, type RaisedHand } from './workshop-presence';

export interface QueuedHand {
  person: Person;
  hand: RaisedHand;
}

/** `raisedAt` values lowered by anyone, per raiser's client id. */
function loweredBy(people: Person[]): Map<number, Set<number>> {
  const lowered = new Map<number, Set<number>>();
  for (const p of people) {
    for (const [raiser, raisedAt] of Object.entries(p.loweredHands ?? {})) {
      const id = Number(raiser);
      if (!lowered.has(id)) lowered.set(id, new Set());
      lowered.get(id)!.add(raisedAt);
    }
  }
  return lowered;
}

/** The raised hands still up, first raised first. */
export function handQueue(states: ReadonlyMap<number, unknown>): QueuedHand[] {
  const people = peopleIn(states);
  const lowered = loweredBy(people);
  return people
    .filter((p) => p.hand && !lowered.get(p.clientId)?.has(p.hand.raisedAt))
    .map((p) => ({ person: p, hand: p.hand! }))
    .sort((a, b) => a.hand.raisedAt - b.hand.raisedAt || a.person.clientId - b.person.clientId);
}

/** Whether someone in the room lowered this client's current hand. */
export function wasLowered(states: ReadonlyMap<number, unknown>, clientId: number, hand: RaisedHand): boolean {
  return loweredBy(peopleIn(states)).get(clientId)?.has(hand.raisedAt) ?? false;
}

/**
 * A presenter's `loweredHands` after lowering `hand` of `clientId`, keeping only
 * entries for hands still up (so the field does not grow for ever).
 */
export function lowerHand(
  states: ReadonlyMap<number, unknown>,
  mine: Record<string, number> | undefined,
  clientId: number,
  hand: RaisedHand,
): Record<string, number> {
  const next: Record<string, number> = {};
  for (const [raiser, raisedAt] of Object.entries(mine ?? {})) {
    const state = states.get(Number(raiser)) as { hand?: RaisedHand | null } | undefined;
    if (state?.hand?.raisedAt === raisedAt) next[raiser] = raisedAt;
  }
  next[String(clientId)] = hand.raisedAt;
  return next;
}
