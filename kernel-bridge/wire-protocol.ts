// Jupyter messaging protocol v5.3 on the wire: building, signing, framing and
// verifying messages. Pure functions, no sockets and no policy.
//
// A message on a ZeroMQ socket is the multipart sequence
//   [identities..., "<IDS|MSG>", hmac, header, parent_header, metadata, content, buffers...]
// where hmac is the hex HMAC-SHA256 of the four JSON frames (never the buffers).
// Invariants: every incoming message is verified before its JSON is trusted; the
// JSON frames are parsed exactly once; an empty key means "unsigned" (Jupyter's rule).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const PROTOCOL_VERSION = '5.3';
export const DELIMITER = '<IDS|MSG>';
const DELIMITER_BYTES = Buffer.from(DELIMITER);

/** The channel a message travels on. Heartbeat is not message-based and is absent. */
export type Channel = 'shell' | 'control' | 'iopub' | 'stdin';

export interface MessageHeader {
  msg_id: string;
  session: string;
  username: string;
  /** ISO 8601 timestamp. */
  date: string;
  msg_type: string;
  version: string;
  [extra: string]: unknown;
}

/** A decoded Jupyter message. Field names follow the protocol's JSON. */
export interface JupyterMessage<C = Record<string, unknown>> {
  identities: Buffer[];
  header: MessageHeader;
  /** The header of the request this message answers, or `{}`. */
  parent_header: Partial<MessageHeader>;
  metadata: Record<string, unknown>;
  content: C;
  buffers: Buffer[];
}

/** Who sends messages: one per client connection. */
export interface MessageOrigin {
  session: string;
  username: string;
}

let msgCounter = 0;

/** A fresh header; msg ids are unique per process (session prefix + counter). */
export function createHeader(msgType: string, origin: MessageOrigin): MessageHeader {
  msgCounter += 1;
  return {
    msg_id: `${origin.session}_${process.pid}_${msgCounter}`,
    session: origin.session,
    username: origin.username,
    date: new Date().toISOString(),
    msg_type: msgType,
    version: PROTOCOL_VERSION,
  };
}

/** A new outgoing message, optionally answering `parent`. */
export function createMessage<C>(
  msgType: string,
  content: C,
  origin: MessageOrigin,
  parent?: MessageHeader | Partial<MessageHeader>,
  metadata: Record<string, unknown> = {},
): JupyterMessage<C> {
  return {
    identities: [],
    header: createHeader(msgType, origin),
    parent_header: parent ?? {},
    metadata,
    content,
    buffers: [],
  };
}

/** Hex HMAC-SHA256 of the JSON frames, or '' when the key is empty. */
export function signFrames(key: string | Buffer, frames: ReadonlyArray<Buffer | string>): string {
  if (key.length === 0) return '';
  const hmac = createHmac('sha256', key);
  for (const f of frames) hmac.update(f);
  return hmac.digest('hex');
}

/** Constant-time check of a received signature against the expected one. */
export function verifyFrames(key: string | Buffer, frames: ReadonlyArray<Buffer | string>, signature: Buffer | string): boolean {
  if (key.length === 0) return true;
  const expected = Buffer.from(signFrames(key, frames), 'latin1');
  const given = typeof signature === 'string' ? Buffer.from(signature, 'latin1') : signature;
  // timingSafeEqual needs equal lengths; a wrong length is a mismatch anyway.
  if (given.length !== expected.length) return false;
  return timingSafeEqual(given, expected);
}

/** Frames ready for `socket.send`. */
export function serializeMessage(msg: JupyterMessage<unknown>, key: string | Buffer): Buffer[] {
  const json = [
    Buffer.from(JSON.stringify(msg.header)),
    Buffer.from(JSON.stringify(msg.parent_header)),
    Buffer.from(JSON.stringify(msg.metadata)),
    Buffer.from(JSON.stringify(msg.content)),
  ];
  const signature = Buffer.from(signFrames(key, json), 'latin1');
  return [...msg.identities, DELIMITER_BYTES, signature, ...json, ...msg.buffers];
}

export type DecodeResult =
  | { ok: true; message: JupyterMessage }
  | { ok: false; reason: 'no-delimiter' | 'too-few-frames' | 'bad-signature' | 'bad-json' };

/** Parses and verifies received frames; never throws. */
export function deserializeMessage(frames: ReadonlyArray<Buffer>, key: string | Buffer): DecodeResult {
  let delim = -1;
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i];
    if (f.length === DELIMITER_BYTES.length && f.equals(DELIMITER_BYTES)) {
      delim = i;
      break;
    }
  }
  if (delim < 0) return { ok: false, reason: 'no-delimiter' };
  if (frames.length < delim + 6) return { ok: false, reason: 'too-few-frames' };
  const json = frames.slice(delim + 2, delim + 6);
  if (!verifyFrames(key, json, frames[delim + 1])) return { ok: false, reason: 'bad-signature' };
  try {
    const header = JSON.parse(json[0].toString('utf8')) as MessageHeader;
    const parent_header = JSON.parse(json[1].toString('utf8')) as Partial<MessageHeader>;
    const metadata = JSON.parse(json[2].toString('utf8')) as Record<string, unknown>;
    const content = JSON.parse(json[3].toString('utf8')) as Record<string, unknown>;
    if (!header || typeof header.msg_type !== 'string' || typeof header.msg_id !== 'string') {
      return { ok: false, reason: 'bad-json' };
    }
    return {
      ok: true,
      message: {
        identities: frames.slice(0, delim) as Buffer[],
        header,
        parent_header: parent_header ?? {},
        metadata: metadata ?? {},
        content: content ?? {},
        buffers: frames.slice(delim + 6) as Buffer[],
      },
    };
  } catch {
    return { ok: false, reason: 'bad-json' };
  }
}
