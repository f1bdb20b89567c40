// Who may say what in a room's awareness. Awareness is the server's to stamp:
//
// - A socket speaks only for its own client ids. The first time an id is used
//   it is bound to the socket that used it (at most `maxIdsPerSocket` per
//   socket); an id bound to another socket is never accepted from this one, and
//   after its socket left only the same person (a reconnecting tab) may take it
//   back. y-websocket clients relay every state they receive, so entries for
//   others' ids are normal traffic: they are dropped silently, not punished.
// - The identity fields are written here from the token and the socket's role:
//   `user` (name, colour) and `role`; what the client said there is replaced.
// - `kernel` is accepted only from the kernel bridge's socket (its service
//   identity), and only in the shape of the kernel awareness contract.
// - An entry is removed (state null) only by its own socket, or by the server
//   when that socket goes away.
import { kernelAwarenessKey, kernelAwarenessSchema, kernelResourcesKey, kernelResourcesSchema, presenceUserFor } from '../notebook-model/service-protocol';
import type { Connection } from './connection';
import type { AwarenessEntry } from './protocol';

interface Binding {
  /** The socket speaking for the id now; null once it left. */
  connection: Connection | null;
  /** Whose it is (the token's userId): only they may take it back after a reconnect. */
  userId: string;
}

export class PresenceGate {
  private readonly bindings = new Map<number, Binding>();

  constructor(private readonly maxIdsPerSocket: number) {}

  /** The entries of `connection`'s message that the room accepts, stamped; the rest are dropped. */
  admit(connection: Connection, entries: AwarenessEntry[]): AwarenessEntry[] {
    const accepted: AwarenessEntry[] = [];
    for (const entry of entries) {
      if (!this.speaksFor(connection, entry)) continue;
      accepted.push({ ...entry, state: entry.state && stamp(connection, entry.state) });
    }
    return accepted;
  }

  /** The socket left: its ids are free again for the same person only. Returns them. */
  release(connection: Connection): number[] {
    const ids = [...connection.awarenessIds];
    for (const id of ids) this.bindings.set(id, { connection: null, userId: connection.grant.userId });
    return ids;
  }

  private speaksFor(connection: Connection, entry: AwarenessEntry): boolean {
    const binding = this.bindings.get(entry.clientId);
    if (binding?.connection === connection) return true;
    if (binding && (binding.connection !== null || binding.userId !== connection.grant.userId)) return false;
    // A new id (or this person's own, back after a reconnect): only a live state claims it.
    if (entry.state === null || connection.awarenessIds.size >= this.maxIdsPerSocket) return false;
    this.bindings.set(entry.clientId, { connection, userId: connection.grant.userId });
    connection.awarenessIds.add(entry.clientId);
    return true;
  }
}

/** The state as the room publishes it: identity from the token, role from the server, kernel only from the bridge. */
export function stamp(connection: Connection, state: Record<string, unknown>): Record<string, unknown> {
  const stamped: Record<string, unknown> = { ...state, user: presenceUserFor(connection.grant.name, connection.grant.userId), role: connection.role };
  if (kernelAwarenessKey in stamped) {
    const kernel = connection.isKernelBridge ? kernelAwarenessSchema.safeParse(stamped[kernelAwarenessKey]) : null;
    if (kernel?.success) stamped[kernelAwarenessKey] = kernel.data;
    else delete stamped[kernelAwarenessKey];
  }
  if (kernelResourcesKey in stamped) {
    const resources = connection.isKernelBridge ? kernelResourcesSchema.safeParse(stamped[kernelResourcesKey]) : null;
    if (resources?.success) stamped[kernelResourcesKey] = resources.data;
    else delete stamped[kernelResourcesKey];
  }
  return stamped;
}
