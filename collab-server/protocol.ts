// The y-websocket wire format: every message is a varuint type followed by its
// payload. Sync payloads are y-protocols' sync messages (step 1, step 2,
// update); awareness payloads are awareness updates; auth carries the
// "permission denied" answer to a read-only connection that tried to write.
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as authProtocol from 'y-protocols/auth';

export const messageSync = 0;
export const messageAwareness = 1;
export const messageAuth = 2;
export const messageQueryAwareness = 3;
/**
 * Cellmate's own message, server to client: the connection's role changed
 * (an owner shared, demoted or promoted it). Payload: the role as a varString.
 * y-websocket clients that do not register a handler for it ignore it.
 */
export const messageAccessChanged = 100;

/** What a client asked for, decoded; unknown types are reported, not thrown. */
export type ClientMessage =
  | { kind: 'sync-step-1'; stateVector: Uint8Array }
  /** Step 2 and plain updates both carry document changes the server must store. */
  | { kind: 'update'; update: Uint8Array }
  | { kind: 'awareness'; update: Uint8Array }
  | { kind: 'query-awareness' };

export class MalformedMessageError extends Error {}

export function decodeClientMessage(data: Uint8Array): ClientMessage {
  try {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case messageSync: {
        const syncType = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (syncType === syncProtocol.messageYjsSyncStep1) return { kind: 'sync-step-1', stateVector: payload };
        if (syncType === syncProtocol.messageYjsSyncStep2 || syncType === syncProtocol.messageYjsUpdate) {
          return { kind: 'update', update: payload };
        }
        throw new MalformedMessageError(`unknown sync message type ${syncType}`);
      }
      case messageAwareness:
        return { kind: 'awareness', update: decoding.readVarUint8Array(decoder) };
      case messageQueryAwareness:
        return { kind: 'query-awareness' };
      default:
        throw new MalformedMessageError(`unknown message type ${type}`);
    }
  } catch (err) {
    if (err instanceof MalformedMessageError) throw err;
    throw new MalformedMessageError(`undecodable message (${(err as Error).message})`);
  }
}

/** Throws MalformedMessageError unless `update` is a well-formed Yjs update. */
export function checkUpdate(update: Uint8Array): void {
  try {
    Y.decodeUpdate(update);
  } catch (err) {
    throw new MalformedMessageError(`not a Yjs update (${(err as Error).message})`);
  }
}

/**
 * True when applying `update` to `doc` would change nothing: no new items, and
 * every deletion it carries is already a deletion in `doc`. A read-only client
 * answers the server's sync step 1 with such an update (step 2 always repeats
 * the whole delete set); that is not an attempt to write.
 */
export function isRedundantUpdate(doc: Y.Doc, update: Uint8Array): boolean {
  const { structs, ds } = Y.decodeUpdate(update);
  const stateVector = Y.decodeStateVector(Y.encodeStateVector(doc));
  for (const struct of structs) {
    if (struct instanceof Y.Skip) continue; // a gap marker, not content
    if (struct.id.clock + struct.length > (stateVector.get(struct.id.client) ?? 0)) return false;
  }
  if (!ds.clients.size) return true;
  const known = Y.createDeleteSetFromStructStore(doc.store);
  for (const [client, ranges] of ds.clients) {
    const covered = known.clients.get(client) ?? [];
    for (const range of ranges) {
      if (!isCovered(range.clock, range.clock + range.len, covered)) return false;
    }
  }
  return true;
}

/** Whether [from, to) lies inside the union of sorted, merged ranges. */
function isCovered(from: number, to: number, ranges: { clock: number; len: number }[]): boolean {
  let at = from;
  for (const range of ranges) {
    if (range.clock > at) break;
    if (range.clock + range.len > at) at = range.clock + range.len;
    if (at >= to) return true;
  }
  return at >= to;
}

export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, messageSync);
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

export function encodeSyncStep2(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, messageSync);
  syncProtocol.writeSyncStep2(encoder, doc, stateVector);
  return encoding.toUint8Array(encoder);
}

export function encodeUpdate(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, messageSync);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

export function encodeAwareness(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, messageAwareness);
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
  return encoding.toUint8Array(encoder);
}

export function encodePermissionDenied(reason: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, messageAuth);
  authProtocol.writePermissionDenied(encoder, reason);
  return encoding.toUint8Array(encoder);
}

export function encodeAccessChanged(role: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, messageAccessChanged);
  encoding.writeVarString(encoder, role);
  return encoding.toUint8Array(encoder);
}
