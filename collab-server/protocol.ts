// The y-websocket wire format: every message is a varuint type followed by its
// payload. Sync payloads are y-protocols' sync messages (step 1, step 2,
// update); awareness payloads are awareness updates; auth carries the
// "permission denied" answer to a read-only connection that tried to write (or
// whose update would have broken the notebook). Decoding is total: every byte a
// client sends is read here, and what cannot be read is a ProtocolError.
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as authProtocol from 'y-protocols/auth';
import { closeCodes, roleChangedMessageType } from '../notebook-model/service-protocol';

export const messageSync = 0;
export const messageAwareness = 1;
export const messageAuth = 2;
export const messageQueryAwareness = 3;

/** One client's entry in an awareness message, decoded (its state parsed, not yet trusted). */
export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** An object, or null for "this client left". */
  state: Record<string, unknown> | null;
}

/** What a client asked for, decoded and well-formed; anything else throws ProtocolError. */
export type ClientMessage =
  | { kind: 'sync-step-1'; stateVector: Uint8Array }
  /** Step 2 and plain updates both carry document changes the server must store. */
  | { kind: 'update'; update: Uint8Array }
  | { kind: 'awareness'; entries: AwarenessEntry[] }
  | { kind: 'query-awareness' };

/** Sizes a decoder refuses before doing any work on a payload. */
export interface DecodeLimits {
  maxUpdateBytes: number;
  maxAwarenessStateBytes: number;
}

/** A message the socket must be closed for, with the close code that says why. */
export class ProtocolError extends Error {
  constructor(readonly closeCode: number, message: string) {
    super(message);
  }
}

export class MalformedMessageError extends ProtocolError {
  constructor(message: string) {
    super(closeCodes.malformedMessage, message);
  }
}

/**
 * Decodes one client message completely (a sync step 1's state vector, an
 * update's structure, every awareness entry's JSON), so nothing downstream
 * meets bytes it cannot read. Never throws anything but ProtocolError.
 */
export function decodeClientMessage(data: Uint8Array, limits: DecodeLimits): ClientMessage {
  try {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case messageSync: {
        const syncType = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (syncType === syncProtocol.messageYjsSyncStep1) {
          Y.decodeStateVector(payload);
          return { kind: 'sync-step-1', stateVector: payload };
        }
        if (syncType === syncProtocol.messageYjsSyncStep2 || syncType === syncProtocol.messageYjsUpdate) {
          if (payload.length > limits.maxUpdateBytes) {
            throw new ProtocolError(closeCodes.updateTooLarge, `an update of ${payload.length} bytes is over the limit of ${limits.maxUpdateBytes}`);
          }
          checkUpdate(payload);
          return { kind: 'update', update: payload };
        }
        throw new MalformedMessageError(`unknown sync message type ${syncType}`);
      }
      case messageAwareness:
        return { kind: 'awareness', entries: decodeAwareness(decoding.readVarUint8Array(decoder), limits) };
      case messageQueryAwareness:
        return { kind: 'query-awareness' };
      default:
        throw new MalformedMessageError(`unknown message type ${type}`);
    }
  } catch (err) {
    if (err instanceof ProtocolError) throw err;
    throw new MalformedMessageError(`undecodable message (${(err as Error).message})`);
  }
}

function decodeAwareness(payload: Uint8Array, limits: DecodeLimits): AwarenessEntry[] {
  const decoder = decoding.createDecoder(payload);
  const count = decoding.readVarUint(decoder);
  // Each entry takes at least three bytes: a count larger than that is a lie.
  if (count > payload.length / 3) throw new MalformedMessageError(`an awareness message claims ${count} entries in ${payload.length} bytes`);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const json = decoding.readVarString(decoder);
    if (json.length > limits.maxAwarenessStateBytes) {
      throw new ProtocolError(closeCodes.awarenessStateTooLarge, `an awareness state of ${json.length} characters is over the limit of ${limits.maxAwarenessStateBytes}`);
    }
    let state: unknown;
    try {
      state = JSON.parse(json);
    } catch {
      throw new MalformedMessageError('an awareness state is not JSON');
    }
    if (state !== null && (typeof state !== 'object' || Array.isArray(state))) {
      throw new MalformedMessageError('an awareness state must be an object or null');
    }
    entries.push({ clientId, clock, state: state as Record<string, unknown> | null });
  }
  return entries;
}

/**
 * Whether a message carries state of its sender (a document write, sync step 2
 * or update, or an awareness update), read from its first bytes without decoding
 * it. A message too short to tell is not; the room decodes (and refuses) it.
 */
export function carriesSenderState(data: Uint8Array): boolean {
  if (data[0] === messageAwareness) return true;
  return data[0] === messageSync && (data[1] === syncProtocol.messageYjsSyncStep2 || data[1] === syncProtocol.messageYjsUpdate);
}

/** Throws MalformedMessageError unless `update` is a well-formed Yjs update. */
export function checkUpdate(update: Uint8Array): void {
  try {
    Y.decodeUpdate(update);
  } catch (err) {
    throw new MalformedMessageError(`not a Yjs update (${(err as Error).message})`);
  }
}

/** An awareness update (y-protocols' encoding) holding exactly these entries. */
export function encodeAwarenessEntries(entries: AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, JSON.stringify(entry.state));
  }
  return encoding.toUint8Array(encoder);
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
  encoding.writeVarUint(encoder, roleChangedMessageType);
  encoding.writeVarString(encoder, role);
  return encoding.toUint8Array(encoder);
}
