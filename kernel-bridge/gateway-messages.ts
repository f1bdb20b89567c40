// Jupyter messages on a kernel gateway's websocket (`/api/kernels/<id>/channels`),
// in the default protocol every gateway serves: one JSON object per text frame,
// `{header, parent_header, metadata, content, channel}`; a message that carries
// binary buffers comes as a binary frame instead:
//   [n: uint32 BE][n offsets: uint32 BE][JSON of the message][buffer 1]...[buffer n-1]
// (offsets from the frame's start; the JSON part is the first of the n parts).
// Jupyter Server 2's `v1.kernel.websocket.jupyter.org` subprotocol is not asked
// for: Jupyter Kernel Gateway and Enterprise Gateway do not serve it, and the
// default protocol carries the same messages.
//
// Pure functions, no sockets. Nothing here signs or verifies: the gateway holds
// the kernel's key and signs for us; what we check is shape and size, once, here.
import { z } from 'zod';
import type { Channel, JupyterMessage } from './wire-protocol';

/**
 * Largest websocket message accepted from a gateway. A cell's output is cut at
 * KERNEL_MAX_OUTPUT_BYTES (5 MiB by default) anyway; this bounds what one message
 * can make the bridge hold in memory.
 */
export const MAX_GATEWAY_MESSAGE_BYTES = 32 * 1024 * 1024;
/** Most binary buffers one message may carry. */
const MAX_BUFFERS = 64;

const text = (max: number) => z.string().max(max);

const headerSchema = z.object({
  msg_id: text(256).min(1),
  msg_type: text(128).min(1),
  session: text(256).optional(),
  username: text(256).optional(),
  date: z.unknown().optional(),
  version: text(32).optional(),
}).loose();

const parentSchema = z.object({ msg_id: text(256).optional() }).loose();

const envelopeSchema = z.object({
  channel: z.enum(['shell', 'control', 'iopub', 'stdin']),
  header: headerSchema,
  parent_header: z.union([parentSchema, z.null()]).optional(),
  metadata: z.union([z.record(z.string(), z.unknown()), z.null()]).optional(),
  content: z.record(z.string(), z.unknown()),
});

export type GatewayDecodeResult =
  | { ok: true; channel: Channel; message: JupyterMessage }
  | { ok: false; reason: string };

/** Splits a binary frame into its JSON part and buffers; null when the framing is wrong. */
function splitBinary(frame: Buffer): { json: Buffer; buffers: Buffer[] } | null {
  if (frame.length < 8) return null;
  const n = frame.readUInt32BE(0);
  if (n < 1 || n > MAX_BUFFERS + 1 || frame.length < 4 * (n + 1)) return null;
  const offsets: number[] = [];
  for (let i = 0; i < n; i++) offsets.push(frame.readUInt32BE(4 * (i + 1)));
  offsets.push(frame.length);
  if (offsets[0] !== 4 * (n + 1)) return null;
  for (let i = 1; i < offsets.length; i++) if (offsets[i] < offsets[i - 1]) return null;
  const parts = offsets.slice(0, -1).map((start, i) => frame.subarray(start, offsets[i + 1]));
  return { json: parts[0], buffers: parts.slice(1) };
}

/** Decodes and checks one websocket frame from a gateway; never throws. */
export function decodeGatewayMessage(data: Buffer, isBinary: boolean): GatewayDecodeResult {
  if (data.length > MAX_GATEWAY_MESSAGE_BYTES) return { ok: false, reason: `message over ${MAX_GATEWAY_MESSAGE_BYTES} bytes` };
  let json: Buffer = data;
  let buffers: Buffer[] = [];
  if (isBinary) {
    const split = splitBinary(data);
    if (!split) return { ok: false, reason: 'bad binary framing' };
    ({ json, buffers } = split);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(json.toString('utf8'));
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const parsed = envelopeSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `bad message: ${issue ? `${issue.path.join('.') || 'message'}: ${issue.message}` : 'invalid'}` };
  }
  const m = parsed.data;
  return {
    ok: true,
    channel: m.channel,
    message: {
      identities: [],
      header: m.header as JupyterMessage['header'],
      parent_header: (m.parent_header ?? {}) as JupyterMessage['parent_header'],
      metadata: m.metadata ?? {},
      content: m.content,
      buffers,
    },
  };
}

/** The text frame that sends `msg` on `channel` (outgoing messages never carry buffers here). */
export function encodeGatewayMessage(msg: JupyterMessage<unknown>, channel: Exclude<Channel, 'iopub'>): string {
  return JSON.stringify({
    header: msg.header,
    parent_header: msg.parent_header,
    metadata: msg.metadata,
    content: msg.content,
    channel,
    buffers: [],
  });
}
