// The collab server's few plain HTTP routes: a health check, the re-check of
// open sockets after access to a notebook changed (called by the app), and the wholesale
// replacement of a notebook's document (re-import, restore), which must go
// through the server that holds the live room so connected clients reload
// instead of merging old history into the new document.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { verifyServiceToken } from '../auth/service-token';
import { NotFoundError } from '../storage';
import { reviewAccess, type RoleResolver } from './access-review';
import { grantFor, notebookIdFromPath, Refusal, tokenOf } from './handshake';
import { checkUpdate, MalformedMessageError } from './protocol';
import type { Rooms } from './rooms';

/** The largest document a replacement may carry. */
const maxReplaceBytes = 256 * 1024 * 1024;

export interface RouteContext {
  rooms: Rooms;
  connections: () => number;
  resolveRole: RoleResolver;
  notebookExists: (notebookId: string) => Promise<boolean>;
}

export async function handleHttp(request: IncomingMessage, response: ServerResponse, context: RouteContext): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://collab.invalid');
  try {
    if (url.pathname === '/healthz' && request.method === 'GET') {
      return json(response, 200, { ok: true, rooms: context.rooms.size, connections: context.connections() });
    }
    const replace = /^\/notebooks\/([^/]+)\/replace$/.exec(url.pathname);
    if (replace) {
      if (request.method !== 'POST') return json(response, 405, { error: 'use POST' });
      const notebookId = notebookIdFromPath(replace[1]);
      const grant = await grantFor(tokenOf(request, url), notebookId);
      if ((await context.resolveRole(grant)) !== 'owner') throw new Refusal(403, 'only an owner can replace this notebook');
      const state = await readBody(request, maxReplaceBytes);
      checkUpdate(state);
      const epoch = await context.rooms.replace(notebookId, state);
      return json(response, 200, { epoch });
    }
    const access = /^\/notebooks\/([^/]+)\/access$/.exec(url.pathname);
    if (access) {
      if (request.method !== 'POST') return json(response, 405, { error: 'use POST' });
      const notebookId = notebookIdFromPath(access[1]);
      if (!(await verifyServiceToken(tokenOf(request, url), 'access-changed', notebookId))) {
        throw new Refusal(401, 'a service token for this notebook is required');
      }
      if (!(await context.notebookExists(notebookId))) {
        // Deleted: everyone still in the room is told so (4404) at once, not at their next edit.
        const closed = await context.rooms.closeDeleted(notebookId);
        return json(response, 200, { reviewed: closed, changed: 0, closed });
      }
      const room = await context.rooms.loadedRoom(notebookId);
      const review = room ? await reviewAccess(room, context.resolveRole) : { reviewed: 0, changed: 0, closed: 0 };
      return json(response, 200, review);
    }
    return json(response, 404, { error: 'not found' });
  } catch (err) {
    if (err instanceof Refusal) return json(response, err.status, { error: err.message });
    if (err instanceof NotFoundError) return json(response, 404, { error: err.message });
    if (err instanceof MalformedMessageError) return json(response, 400, { error: `the body is ${err.message}` });
    if (err instanceof BodyTooLargeError) return json(response, 413, { error: err.message });
    return json(response, 500, { error: (err as Error).message });
  }
}

class BodyTooLargeError extends Error {}

async function readBody(request: IncomingMessage, limit: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLargeError(`the document is larger than ${limit / 1024 / 1024} MB`);
    chunks.push(chunk as Buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}
