// A real y-websocket server for this folder's tests: the reference server's
// room logic (y-websocket 2.x `bin/utils`) on a free port, behind an upgrade
// handler the test writes, so that it can refuse connections or cut a client
// off. Each server has one fresh room that every client joins, whatever room
// it names, because the reference server keeps its rooms for the life of the
// process. For tests only.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

const require = createRequire(import.meta.url);
const { setupWSConnection, docs } = require('y-websocket-reference/bin/utils') as {
  setupWSConnection: (conn: WebSocket, req: IncomingMessage, opts?: { docName?: string }) => void;
  docs: Map<string, { destroy(): void }>;
};

/** One websocket upgrade request, for the test's handler to refuse or accept. */
export interface Upgrade {
  req: IncomingMessage;
  /** The raw connection: write an HTTP answer to it or destroy it to refuse the upgrade. */
  socket: Duplex;
  /** Completes the upgrade and hands over the open websocket. */
  accept(then: (ws: WebSocket) => void): void;
  /** Puts an accepted websocket in the room, served by the reference room logic. */
  join(ws: WebSocket): void;
}

export interface RoomServer {
  /** The ws:// URL clients connect to. */
  url: string;
  /** The websockets open now, on the server's side. */
  readonly clients: Set<WebSocket>;
  /** Drops every client and stops listening. */
  close(): Promise<void>;
}

export async function startRoomServer(onUpgrade: (upgrade: Upgrade) => void): Promise<RoomServer> {
  const room = `room-${Math.random().toString(36).slice(2)}`;
  const wss = new WebSocketServer({ noServer: true });
  const http = createServer();
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => onUpgrade({
    req,
    socket,
    accept: (then) => wss.handleUpgrade(req, socket, head, then),
    join: (ws) => setupWSConnection(ws, req, { docName: room }),
  }));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  return {
    url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}`,
    get clients() { return wss.clients; },
    async close() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}

/**
 * Destroys every room the reference server has kept (each holds an awareness
 * timer that would keep the process alive); register it with `after`.
 */
export function destroyReferenceRooms(): void {
  for (const doc of docs.values()) doc.destroy();
  docs.clear();
}
