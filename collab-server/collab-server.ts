// The collab server: an HTTP server whose websocket upgrades speak the
// y-websocket protocol, one room per notebook. A socket is accepted only after
// its token is checked and its notebook's document is fully loaded, so the first
// sync reply is never served from a half-loaded (or empty) document.
import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { currentRole } from '../auth/current-role';
import type { NotebookGrant } from '../auth/notebook-token';
import { NotFoundError, type Storage } from '../storage';
import { closeCodes, DOCUMENT_REPLACED_REASON } from '../notebook-model/service-protocol';
import { defaultCollabLimits, type CollabLimits } from '../config/limits';
import type { ClusterLink } from './cluster-link';
import { Connection } from './connection';
import { reviewAccess } from './access-review';
import { sweepExpiredForks } from './expired-forks';
import { admit, Refusal } from './handshake';
import { FencedInbox } from './lease-fence';
import { handleHttp } from './http-routes';
import { Rooms } from './rooms';

export interface CollabServerOptions {
  storage: Storage;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** How long an empty room stays in memory (ms). Default 30 s. */
  idleUnloadMs?: number;
  /** Compact a document's update log after this many updates. Default 500. */
  compactEvery?: number;
  /** Awareness fan-out interval (ms); 0 sends once per event-loop turn. Default 0. */
  awarenessThrottleMs?: number;
  /** Ping interval that detects dead sockets (ms). Default 30 s. */
  pingIntervalMs?: number;
  /**
   * How often every open socket's access is re-checked against the database
   * (ms), which ends guests' sessions when their link expires. Changes made in
   * the app are applied at once anyway (POST /notebooks/<id>/access). Default 15 s.
   */
  accessRecheckMs?: number;
  /** Size and rate limits (config/limits.ts); each one not given takes its default. */
  limits?: Partial<CollabLimits>;
  /**
   * How often guests' expired workshop forks are deleted (ms); also once at
   * start. 0 turns the periodic sweep off. Default one hour (see expired-forks.ts).
   */
  expiredForkSweepMs?: number;
  log?: (message: string) => void;
  /**
   * The other collab servers of the installation (Redis; see cluster-link.ts),
   * or absent when this server is the only one. The caller connects and closes it.
   */
  peers?: ClusterLink;
}

export interface CollabServer {
  port: number;
  /** Open sockets, across rooms. */
  readonly connections: number;
  /** Rooms loaded in memory. */
  readonly rooms: number;
  /** Deletes guests' workshop forks expired at `now` now, closing their rooms; returns their ids. */
  sweepExpiredForks(now?: Date): Promise<string[]>;
  /** Stores and compacts every document, closes every socket (1001) and stops listening. */
  close(): Promise<void>;
}

export async function startCollabServer(options: CollabServerOptions): Promise<CollabServer> {
  const log = options.log ?? (() => {});
  const limits: CollabLimits = { ...defaultCollabLimits, ...options.limits };
  // The role a token's holder has now (memberships and links change after minting).
  const resolveRole = (grant: NotebookGrant) => currentRole(options.storage, grant);
  const rooms = new Rooms(options.storage, {
    limits,
    resolveRole,
    peers: options.peers,
    idleUnloadMs: options.idleUnloadMs ?? 30_000,
    compactEvery: options.compactEvery ?? 500,
    awarenessThrottleMs: options.awarenessThrottleMs ?? 0,
    log,
    onMentions: (notebookId, mentions) => void options.storage.mentions.record(notebookId, mentions)
      .catch((err) => log(`notebook ${notebookId}: recording mentions failed: ${(err as Error).message}`)),
  });
  const live = new Set<Connection>();
  options.peers?.onResubscribed(() => void rooms.catchUp());
  const http = createServer((request, response) => {
    void handleHttp(request, response, {
      rooms,
      connections: () => live.size,
      resolveRole,
      notebookExists: async (id) => (await options.storage.notebooks.get(id)) !== null,
    });
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes });

  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    void (async () => {
      try {
        const admission = await admit(request);
        const role = await resolveRole(admission.grant);
        if (role === null) throw new Refusal(403, 'you no longer have access to this notebook');
        const room = await rooms.acquire(admission.notebookId);
        sockets.handleUpgrade(request, socket, head, (ws: WebSocket) => {
          const connection = new Connection(ws, admission.grant, admission.epoch, role, admission.kernelBridge);
          if (room.closed) return connection.close(closeCodes.goingAway, 'room closed; reconnect');
          if (connection.epoch && connection.epoch !== room.epoch) {
            connection.close(closeCodes.documentReplaced, DOCUMENT_REPLACED_REASON);
            return rooms.release(room);
          }
          live.add(connection);
          ws.binaryType = 'nodebuffer';
          // A bridge that presented its kernel lease writes only while that lease is the notebook's (lease-fence.ts).
          // Without Redis there is one bridge and no lease.
          const peers = options.peers;
          const fence = admission.kernelFence;
          const fenced = peers && fence !== null ? new FencedInbox(connection, fence, room, () => peers.kernelFence(admission.notebookId)) : null;
          ws.on('message', (data: RawData) => {
            const message = new Uint8Array(toBuffer(data));
            if (fenced) fenced.receive(message);
            else room.receive(connection, message);
          });
          ws.on('pong', () => { connection.awaitingPong = false; });
          ws.on('close', () => {
            live.delete(connection);
            const leave = () => {
              room.leave(connection);
              rooms.release(room);
            };
            if (fenced) fenced.afterWaiting(leave);
            else leave();
          });
          // ws reports frames it refuses (a message over maxPayload: 1009, a broken
          // frame: 1002) after it started closing the socket with that code.
          ws.on('error', (err) => log(`notebook ${admission.notebookId}: closing ${connection}: ${err.message}`));
          room.join(connection);
        });
      } catch (err) {
        if (err instanceof Refusal) return refuse(socket, err.status, err.message);
        if (err instanceof NotFoundError) return refuse(socket, 404, 'no such notebook');
        log(`upgrade failed: ${(err as Error).stack ?? err}`);
        refuse(socket, 500, 'the server could not open this notebook');
      }
    })();
  });

  // Sockets that stop answering pings (a laptop lid closed) are dropped, so their
  // presence disappears for everyone else.
  const pinger = setInterval(() => {
    for (const connection of live) {
      if (connection.awaitingPong) {
        connection.socket.terminate();
        continue;
      }
      connection.awaitingPong = true;
      connection.socket.ping();
    }
  }, options.pingIntervalMs ?? 30_000);
  pinger.unref();

  const rechecker = setInterval(() => {
    void rooms.serving()
      .then((serving) => Promise.all(serving.map((room) => reviewAccess(room, resolveRole))))
      .catch((err) => log(`access re-check failed: ${(err as Error).message}`));
  }, options.accessRecheckMs ?? 15_000);
  rechecker.unref();

  const sweepExpired = (now?: Date) => sweepExpiredForks({ storage: options.storage, rooms, resolveRole }, now);
  const sweepAndLog = () => void sweepExpired()
    .then((ids) => { if (ids.length) log(`deleted ${ids.length} expired workshop fork(s): ${ids.join(', ')}`); })
    .catch((err) => log(`expired fork sweep failed: ${(err as Error).message}`));
  const sweepMs = options.expiredForkSweepMs ?? 3600_000;
  const sweeper = sweepMs > 0 ? setInterval(sweepAndLog, sweepMs) : undefined;
  sweeper?.unref();
  sweepAndLog();

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => resolve());
  });
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : options.port;

  let closing: Promise<void> | null = null;
  return {
    port,
    get connections() { return live.size; },
    get rooms() { return rooms.size; },
    sweepExpiredForks: sweepExpired,
    close() {
      closing ??= (async () => {
        clearInterval(pinger);
        clearInterval(rechecker);
        clearInterval(sweeper);
        const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
        http.closeAllConnections();
        await rooms.closeAll();
        for (const connection of live) connection.socket.terminate();
        await new Promise<void>((resolve) => sockets.close(() => resolve()));
        await stopped;
      })();
      return closing;
    },
  };
}

function refuse(socket: Duplex, status: number, message: string): void {
  const reason = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error' }[status] ?? 'Error';
  const body = JSON.stringify({ error: message });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
