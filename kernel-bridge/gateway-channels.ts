// A kernel's message channels (shell, control, stdin, iopub) carried by a kernel
// gateway's websocket: sends requests, matches replies to them
// (pending-replies.ts), hands iopub and stdin messages up, and drops (and
// counts) whatever fails decoding or validation.
//
// The socket under the channels can change: when it drops, the kernel
// (gateway-kernel.ts) decides whether to reconnect and attaches a new one. In
// between, outgoing messages wait in order (bounded) and pending requests stay
// pending: the websocket keeps the same session id, and Jupyter Server buffers
// a session's messages while it is away and replays them when it returns.
//
// Invariants: nothing a gateway sends can throw past the socket's handlers;
// `close()` rejects every pending request, drops the outbox and closes the
// socket, once.
import WebSocket from 'ws';
import type { KernelChannels, KernelMessageHandlers } from './kernel-provider';
import { decodeGatewayMessage, encodeGatewayMessage, MAX_GATEWAY_MESSAGE_BYTES } from './gateway-messages';
import { ChannelsClosedError, PendingReplies } from './pending-replies';
import { createMessage, type JupyterMessage, type MessageHeader, type MessageOrigin } from './wire-protocol';

/** Messages that may wait for a socket while the channels reconnect. */
const MAX_OUTBOX = 1000;

/** Opens a gateway websocket; rejects with the HTTP status or network error that refused it. */
export function openGatewaySocket(url: string, headers: Record<string, string>, timeoutMs: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, handshakeTimeout: timeoutMs, maxPayload: MAX_GATEWAY_MESSAGE_BYTES, perMessageDeflate: false });
    const fail = (why: string) => {
      ws.removeAllListeners();
      ws.on('error', () => {});
      ws.terminate();
      reject(new Error(why));
    };
    ws.once('open', () => {
      ws.removeAllListeners();
      resolve(ws);
    });
    ws.once('unexpected-response', (_req, res) => fail(`the websocket was refused with HTTP ${res.statusCode}`));
    ws.once('error', (err) => fail(err.message.startsWith('Opening handshake has timed out') ? `the websocket did not open within ${timeoutMs / 1000} s` : err.message));
  });
}

export class GatewayChannels implements KernelChannels {
  droppedMessages = 0;
  readonly stdinReady: Promise<void>;
  private markStdinReady!: () => void;
  private socket: WebSocket | null = null;
  private readonly outbox: string[] = [];
  private readonly replies = new PendingReplies();
  private closed = false;
  private closeReason = 'the kernel connection is closed';

  /**
   * `onSocketLost` is called when the current socket closes without `close()`
   * having been called (the kernel decides whether to reconnect).
   */
  constructor(
    readonly origin: MessageOrigin,
    private readonly handlers: KernelMessageHandlers,
    private readonly onSocketLost: (why: string) => void,
  ) {
    this.stdinReady = new Promise((resolve) => { this.markStdinReady = resolve; });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get isAttached(): boolean {
    return this.socket !== null;
  }

  /** Carries the channels over `ws` (open) from now on; sends what waited meanwhile. */
  attach(ws: WebSocket): void {
    if (this.closed) {
      ws.close();
      return;
    }
    this.detach();
    this.socket = ws;
    ws.on('message', (data, isBinary) => this.receive(toBuffer(data), isBinary));
    ws.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') this.drop('websocket', `message over ${MAX_GATEWAY_MESSAGE_BYTES} bytes`);
    });
    ws.on('close', (code, reason) => {
      if (this.socket !== ws) return;
      this.socket = null;
      if (!this.closed) this.onSocketLost(`the websocket closed (code ${code}${reason.length ? `, ${reason.toString('utf8').slice(0, 200)}` : ''})`);
    });
    // The gateway connects the kernel's stdin for this session when the socket opens.
    this.markStdinReady();
    for (const frame of this.outbox.splice(0)) ws.send(frame);
  }

  private detach(): void {
    const ws = this.socket;
    this.socket = null;
    if (ws) {
      ws.removeAllListeners();
      ws.on('error', () => {});
      ws.close();
    }
  }

  private drop(channel: string, reason: string): void {
    this.droppedMessages += 1;
    this.handlers.dropped?.(channel, reason);
  }

  private receive(data: Buffer, isBinary: boolean): void {
    const decoded = decodeGatewayMessage(data, isBinary);
    if (!decoded.ok) return this.drop('websocket', decoded.reason);
    const { channel, message } = decoded;
    if (channel === 'iopub') return this.handlers.iopub?.(message);
    if (channel === 'stdin') return this.handlers.stdin?.(message);
    // A reply nobody waits for: an earlier owner's (replayed to this session), else another client's or one given up on (dropped).
    if (!this.replies.settle(message)) this.handlers.unclaimedReply?.(message);
  }

  private transmit(frame: string): boolean {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(frame);
      return true;
    }
    if (this.outbox.length >= MAX_OUTBOX) return false;
    this.outbox.push(frame);
    return true;
  }

  request(channel: 'shell' | 'control', msgType: string, content: Record<string, unknown>): { msg: JupyterMessage; reply: Promise<JupyterMessage> } {
    const msg = createMessage(msgType, content, this.origin);
    if (this.closed) return { msg, reply: Promise.reject(new ChannelsClosedError(this.closeReason)) };
    if (!this.transmit(encodeGatewayMessage(msg, channel))) {
      return { msg, reply: Promise.reject(new ChannelsClosedError(`could not send ${msgType}: too many messages are waiting for the gateway connection`)) };
    }
    return { msg, reply: this.replies.wait(msg.header.msg_id) };
  }

  send(channel: 'shell' | 'control' | 'stdin', msgType: string, content: Record<string, unknown>, parent?: MessageHeader): void {
    if (this.closed) return;
    this.transmit(encodeGatewayMessage(createMessage(msgType, content, this.origin, parent), channel));
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.closeReason = reason;
    this.replies.rejectAll(new ChannelsClosedError(reason));
    this.outbox.length = 0;
    this.detach();
  }
}

function toBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data as ArrayBuffer);
}
