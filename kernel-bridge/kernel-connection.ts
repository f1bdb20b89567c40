// The ZeroMQ side of one local kernel (the KernelChannels of kernel-provider.ts
// over tcp or ipc): shell, control and stdin Dealers, the iopub
// Subscriber, signing outgoing and verifying incoming messages, and matching
// shell/control replies to their requests (pending-replies.ts).
//
// Invariants: a message whose signature or framing is wrong is dropped and counted,
// never delivered and never fatal; each socket has at most one send in flight
// (zeromq v6 rule), later sends queue behind it in order; `close()` rejects every
// pending request and closes every socket so Node can exit.
import { randomUUID } from 'node:crypto';
import { Dealer, Subscriber, type Socket } from 'zeromq';
import { endpoint, type ConnectionInfo } from './kernel-process';
import type { KernelChannels } from './kernel-provider';
import { ChannelsClosedError, PendingReplies } from './pending-replies';
import {
  createMessage,
  deserializeMessage,
  serializeMessage,
  type Channel,
  type JupyterMessage,
  type MessageHeader,
  type MessageOrigin,
} from './wire-protocol';

export interface KernelConnectionHandlers {
  /** Every verified iopub message. */
  iopub?: (msg: JupyterMessage) => void;
  /** Every verified stdin message (input_request). */
  stdin?: (msg: JupyterMessage) => void;
  /** A verified shell/control message that answers no pending request. */
  unmatched?: (channel: Channel, msg: JupyterMessage) => void;
  /** A message that failed verification or decoding and was dropped. */
  dropped?: (channel: Channel, reason: string) => void;
}

export interface KernelConnectionOptions {
  /** Session id (also the Dealer routing id, which the kernel uses to route stdin). */
  session?: string;
  username?: string;
  handlers?: KernelConnectionHandlers;
}

type SendChannel = 'shell' | 'control' | 'stdin';

export class KernelConnection implements KernelChannels {
  readonly origin: MessageOrigin;
  /** Messages dropped for a bad signature or framing, per run. */
  droppedMessages = 0;
  handlers: KernelConnectionHandlers;
  private readonly key: string;
  private readonly sockets: Record<SendChannel, Dealer>;
  private readonly iopub: Subscriber;
  private readonly sendQueues = new Map<Socket, Promise<void> | null>();
  private readonly replies = new PendingReplies();
  private closed = false;
  /**
   * Settles once the stdin socket has completed its handshake with the kernel. The
   * kernel's stdin ROUTER silently drops an input_request for a peer it does not
   * know yet, so an input() before this would wait forever.
   */
  readonly stdinReady: Promise<void>;

  constructor(readonly info: ConnectionInfo, options: KernelConnectionOptions = {}) {
    this.key = info.key;
    this.origin = { session: options.session ?? randomUUID(), username: options.username ?? 'cellmate' };
    this.handlers = options.handlers ?? {};
    const url = (port: number) => endpoint(info, port);
    const dealer = (port: number) => {
      const s = new Dealer({ routingId: this.origin.session, linger: 0 });
      s.connect(url(port));
      return s;
    };
    const stdin = new Dealer({ routingId: this.origin.session, linger: 0 });
    this.stdinReady = new Promise((resolve) => stdin.events.on('handshake', () => resolve()));
    stdin.connect(url(info.stdin_port));
    this.sockets = { shell: dealer(info.shell_port), control: dealer(info.control_port), stdin };
    this.iopub = new Subscriber({ linger: 0 });
    this.iopub.subscribe();
    this.iopub.connect(url(info.iopub_port));
    this.readLoop('shell', this.sockets.shell);
    this.readLoop('control', this.sockets.control);
    this.readLoop('stdin', this.sockets.stdin);
    this.readLoop('iopub', this.iopub);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private async readLoop(channel: Channel, socket: Dealer | Subscriber): Promise<void> {
    try {
      for await (const frames of socket) this.receive(channel, frames);
    } catch {
      // closing the socket ends the iteration; nothing to report
    }
  }

  private receive(channel: Channel, frames: Buffer[]): void {
    const decoded = deserializeMessage(frames, this.key);
    if (!decoded.ok) {
      this.droppedMessages += 1;
      this.handlers.dropped?.(channel, decoded.reason);
      return;
    }
    const msg = decoded.message;
    if (channel === 'iopub') return this.handlers.iopub?.(msg);
    if (channel === 'stdin') return this.handlers.stdin?.(msg);
    if (!this.replies.settle(msg)) this.handlers.unmatched?.(channel, msg);
  }

  /** Signs and sends `msg` on `channel`, queued behind any send in flight. */
  sendMessage(channel: SendChannel, msg: JupyterMessage<unknown>): Promise<void> {
    if (this.closed) return Promise.reject(new ChannelsClosedError('kernel connection is closed'));
    const socket = this.sockets[channel];
    const frames = serializeMessage(msg, this.key);
    const inFlight = this.sendQueues.get(socket);
    const next: Promise<void> = inFlight ? inFlight.then(() => socket.send(frames)) : socket.send(frames);
    this.sendQueues.set(socket, next);
    const clear = () => {
      if (this.sendQueues.get(socket) === next) this.sendQueues.set(socket, null);
    };
    next.then(clear, clear);
    return next;
  }

  /** Builds and sends a message; returns it (its header.msg_id identifies the replies). */
  send<C>(channel: SendChannel, msgType: string, content: C, parent?: Partial<MessageHeader>): JupyterMessage<C> {
    const msg = createMessage(msgType, content, this.origin, parent);
    this.sendMessage(channel, msg).catch(() => {
      // a failed send surfaces as the request never being answered; the client's
      // death detection settles it
    });
    return msg;
  }

  /** Sends a request and resolves with the reply whose parent is that request. */
  request<C>(channel: 'shell' | 'control', msgType: string, content: C): { msg: JupyterMessage<C>; reply: Promise<JupyterMessage> } {
    const msg = createMessage(msgType, content, this.origin);
    if (this.closed) return { msg, reply: Promise.reject(new ChannelsClosedError('kernel connection is closed')) };
    const reply = this.replies.wait(msg.header.msg_id);
    this.sendMessage(channel, msg).catch((err: Error) => {
      this.replies.fail(msg.header.msg_id, new ChannelsClosedError(`could not send ${msgType}: ${err.message}`));
    });
    return { msg, reply };
  }

  /** Closes all sockets and rejects pending requests with `reason`. Idempotent. */
  close(reason = 'kernel connection is closed'): void {
    if (this.closed) return;
    this.closed = true;
    this.replies.rejectAll(new ChannelsClosedError(reason));
    for (const s of Object.values(this.sockets)) s.close();
    this.iopub.close();
  }
}
