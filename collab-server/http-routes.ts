// The collab server's few plain HTTP routes: a health check, the re-check of
// open sockets after access to a notebook changed (called by the app), and the wholesale
// replacement of a notebook's document (re-import, restore), which must go
// through the server that holds the live room so connected clients reload
// instead of merging old history into the new document. Paths and bodies are
// read with the edge helpers every service uses (notebook-model/http-edge.ts):
// bodies bounded while they stream in, every refusal `{ error, code }`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { verifyServiceToken } from '../auth/service-token';
import { bytesOf, decodePathSegment, HttpRefusal, refusalReply } from '../notebook-model/http-edge';
import { API_ERROR, replacedCloseReason, VERSION_ID_PATTERN } from '../notebook-model/service-protocol';
import { NotFoundError } from '../storage';
import { reviewAccess, type RoleResolver } from './access-review';
import { grantFor, Refusal, tokenOf } from './handshake';
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
      if (request.method !== 'POST') throw new HttpRefusal(405, 'use POST');
      const notebookId = decodePathSegment(replace[1], 'notebook id');
      const grant = await grantFor(tokenOf(request, url), notebookId);
      if ((await context.resolveRole(grant)) !== 'owner') throw new Refusal(403, 'only an owner can replace this notebook');
      const state = await bytesOf(request, maxReplaceBytes);
      checkUpdate(state);
      const epoch = await context.rooms.replace(notebookId, state, replacedCloseReason(restoreNoticeOfQuery(url)));
      return json(response, 200, { epoch });
    }
    const access = /^\/notebooks\/([^/]+)\/access$/.exec(url.pathname);
    if (access) {
      if (request.method !== 'POST') throw new HttpRefusal(405, 'use POST');
      const notebookId = decodePathSegment(access[1], 'notebook id');
      if (!(await verifyServiceToken(tokenOf(request, url), 'access-changed', notebookId))) {
        throw new Refusal(401, 'a service token for this notebook is required');
      }
      if (!(await context.notebookExists(notebookId))) {
        // Deleted: everyone still in the room is told so (4404) at once, not at their next edit.
        const closed = await context.rooms.closeDeleted(notebookId);
        return json(response, 200, { reviewed: closed, changed: 0, closed });
      }
      context.rooms.announceAccessChanged(notebookId); // sockets on other nodes (the answer counts this node's)
      const room = await context.rooms.loadedRoom(notebookId);
      const review = room ? await reviewAccess(room, context.resolveRole) : { reviewed: 0, changed: 0, closed: 0 };
      return json(response, 200, review);
    }
    throw new HttpRefusal(404, 'not found');
  } catch (err) {
    const { status, headers, body } = refusalReply(refusalFor(err));
    if (!response.headersSent) response.writeHead(status, headers).end(JSON.stringify(body));
  }
}

/** `?restored=<version id>&backup=<version id>`: the restore a replacement is (the pages that reload say so). */
function restoreNoticeOfQuery(url: URL): { restoredVersionId: string; backupVersionId: string | null } | null {
  const restored = url.searchParams.get('restored');
  const backup = url.searchParams.get('backup');
  if (restored === null) return null;
  for (const id of [restored, backup]) {
    if (id !== null && !VERSION_ID_PATTERN.test(id)) throw new HttpRefusal(400, '"restored" and "backup" must be version ids', { code: API_ERROR.invalidRequest });
  }
  return { restoredVersionId: restored, backupVersionId: backup };
}

/** What went wrong, as the refusal every Cellmate service answers with. */
function refusalFor(err: unknown): HttpRefusal {
  if (err instanceof HttpRefusal) return err;
  if (err instanceof Refusal) return new HttpRefusal(err.status, err.message);
  if (err instanceof NotFoundError) return new HttpRefusal(404, err.message);
  if (err instanceof MalformedMessageError) return new HttpRefusal(400, `the body is ${err.message}`, { code: API_ERROR.invalidRequest });
  console.error('collab server: unexpected error in an HTTP route', err);
  return new HttpRefusal(500, (err as Error).message, { code: API_ERROR.internal });
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}
