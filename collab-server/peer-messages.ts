// What collab servers tell each other about one notebook, over its Redis channel
// (cluster-link.ts). Encoding only, no policy: each message is the sender's node
// id, a kind and its payload, in lib0's binary encoding. Redis is shared
// infrastructure, not a client, but a message that cannot be read is still
// refused here (PeerMessageError) and never reaches a room.
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';

export type PeerMessage =
  /** Updates a node has stored (in the order stored), under the document's epoch. */
  | { kind: 'updates'; epoch: string; updates: Uint8Array[] }
  /** An awareness update (y-protocols' encoding) of the sender's sockets, already stamped by the sender. */
  | { kind: 'awareness'; update: Uint8Array }
  /** A node loaded the room: everyone sends the presence of their own sockets. */
  | { kind: 'awareness-query' }
  /** Access to the notebook changed: every node re-checks its sockets. */
  | { kind: 'access-changed' }
  /** The notebook was deleted: every node closes its sockets (4404). */
  | { kind: 'deleted' }
  /** The document was replaced under `epoch`: every node closes its sockets (4409, with `reason`). */
  | { kind: 'replaced'; epoch: string; reason: string };

export interface PeerEnvelope {
  from: string;
  message: PeerMessage;
}

const kinds = ['updates', 'awareness', 'awareness-query', 'access-changed', 'deleted', 'replaced'] as const;

export class PeerMessageError extends Error {}

export function encodePeerMessage(from: string, message: PeerMessage): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, from);
  encoding.writeVarUint(encoder, kinds.indexOf(message.kind));
  switch (message.kind) {
    case 'updates':
      encoding.writeVarString(encoder, message.epoch);
      encoding.writeVarUint(encoder, message.updates.length);
      for (const update of message.updates) encoding.writeVarUint8Array(encoder, update);
      break;
    case 'awareness':
      encoding.writeVarUint8Array(encoder, message.update);
      break;
    case 'replaced':
      encoding.writeVarString(encoder, message.epoch);
      encoding.writeVarString(encoder, message.reason);
      break;
    default:
      break;
  }
  return encoding.toUint8Array(encoder);
}

/** Reads a whole message; throws PeerMessageError for anything else. */
export function decodePeerMessage(data: Uint8Array): PeerEnvelope {
  try {
    const decoder = decoding.createDecoder(data);
    const from = decoding.readVarString(decoder);
    const kind = kinds[decoding.readVarUint(decoder)];
    let message: PeerMessage;
    switch (kind) {
      case 'updates': {
        const epoch = decoding.readVarString(decoder);
        const count = decoding.readVarUint(decoder);
        if (count > data.length) throw new PeerMessageError('more updates than bytes');
        const updates: Uint8Array[] = [];
        for (let i = 0; i < count; i++) updates.push(decoding.readVarUint8Array(decoder));
        message = { kind, epoch, updates };
        break;
      }
      case 'awareness':
        message = { kind, update: decoding.readVarUint8Array(decoder) };
        break;
      case 'replaced': {
        const epoch = decoding.readVarString(decoder);
        const reason = decoding.readVarString(decoder);
        // A close reason is at most 123 bytes; a longer one is not a peer's.
        if (new TextEncoder().encode(reason).length > 123) throw new PeerMessageError('close reason too long');
        message = { kind, epoch, reason };
        break;
      }
      case 'awareness-query':
      case 'access-changed':
      case 'deleted':
        message = { kind };
        break;
      default:
        throw new PeerMessageError('unknown message kind');
    }
    if (decoding.hasContent(decoder)) throw new PeerMessageError('trailing bytes');
    return { from, message };
  } catch (err) {
    if (err instanceof PeerMessageError) throw err;
    throw new PeerMessageError(`unreadable peer message: ${(err as Error).message}`);
  }
}
