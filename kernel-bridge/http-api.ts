// The bridge's HTTP API: the browser (from the app's origin, another port) asks
// the shared kernel of a notebook to run cells, interrupt, restart, shut down,
// change kernel, answer input(), complete and inspect. Results never come back
// in the reply: they arrive through the shared document and the bridge's awareness.
//
// Every route but /healthz needs `Authorization: Bearer <notebook token>`;
// requests that would run code also need a role that `canRun`. Paths and JSON
// bodies are read and validated once here, with the edge helpers every service
// uses (notebook-model/http-edge.ts); errors are `{ error: "<what to do about
// it>", code: "<API error code>" }`.
// CORS allows any origin: credentials are bearer tokens, never cookies.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { verifyNotebookToken, TokenError, type NotebookGrant } from '../auth/notebook-token';
import { canRun, type Role } from '../auth/roles';
import { versionName } from '../library/versions';
import { decodePathSegment, HttpRefusal, jsonBodyOf, refusalReply, validate } from '../notebook-model/http-edge';
import { API_ERROR, type ApiErrorCode } from '../notebook-model/service-protocol';
import { decodeStateVectorParam } from './document-fence';
import { GatewayError } from './gateway-client';
import type { KernelLeases } from './kernel-lease';
import { KernelLimitError } from './kernel-quota';
import { KernelRefusal, type KernelRefusalCode } from './kernel-refusal';
import { installedKernelSpec } from './kernelspec-choice';
import type { FreshRuns } from './fresh-runs';
import { routeByLease } from './lease-forwarding';
import type { SessionRegistry } from './session-registry';

/** Largest request body accepted (10,000 cell ids fit comfortably). */
export const maxBodyBytes = 1024 * 1024;

const executeBody = z.object({
  cellIds: z.array(z.string().min(1)).min(1, 'cellIds must name at least one cell').max(10_000, 'at most 10,000 cells can be queued at once'),
  /** The requester's document state vector (base64): run only once the bridge has those edits (document-fence.ts). */
  after: z.string().max(64 * 1024).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'after must be base64').optional(),
});

/** How long a run request waits for the edits it was made after to reach the bridge. */
const catchUpTimeoutMs = 5_000;
const kernelBody = z.object({ name: z.string().min(1) });
const inputBody = z.object({ value: z.string() });
const freshRunBody = z.object({ name: z.string().max(10_000).optional() });
const completeBody = z.object({ code: z.string(), cursorPos: z.number().int().min(0) });
const inspectBody = completeBody.extend({ detailLevel: z.union([z.literal(0), z.literal(1)]).default(0) });

const corsHeaders = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type',
  'Access-Control-Max-Age': '600',
};

type Action = 'execute' | 'interrupt' | 'restart' | 'shutdown' | 'kernel' | 'input' | 'complete' | 'inspect';
const actions = new Set<Action>(['execute', 'interrupt', 'restart', 'shutdown', 'kernel', 'input', 'complete', 'inspect']);

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface BridgeServerOptions {
  /**
   * The role a grant's holder has NOW (asked on every request, since an owner
   * may have demoted them after the token was minted); null when access is gone.
   * Without it the token's role is trusted until the token expires.
   */
  resolveRole?: (grant: NotebookGrant) => Promise<Role | null>;
  /** A notebook's title, so a refused kernel start can name the person's other notebooks; null if unknown. */
  notebookTitle?: (notebookId: string) => Promise<string | null>;
  /** "Save & run all" runs (fresh-runs.ts); without it the fresh-run route answers 503. */
  freshRuns?: FreshRuns;
  /** With several bridges: who owns which notebook's kernel (requests for another's are forwarded there). */
  leases?: KernelLeases;
}

/** An HTTP server for the API (not yet listening). */
export function createBridgeServer(registry: SessionRegistry, options: BridgeServerOptions = {}): Server {
  return createServer((req, res) => {
    handle(registry, req, options)
      .then((reply) => send(res, reply))
      .catch(async (err) => send(res, errorReply(await withNotebookTitles(err, options))));
  });
}

/** Starts the API on `port` (0 picks a free one) and resolves with the bound port. */
export async function listenBridge(server: Server, port: number, host?: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

async function handle(registry: SessionRegistry, req: IncomingMessage, options: BridgeServerOptions): Promise<Reply> {
  const url = new URL(req.url ?? '/', 'http://bridge.invalid');
  const method = req.method ?? 'GET';
  if (method === 'OPTIONS') return { status: 204, body: undefined };
  if (url.pathname === '/healthz' && method === 'GET') {
    return { status: 200, body: { ok: true } };
  }
  if (url.pathname === '/kernelspecs') {
    if (method !== 'GET') throw new HttpRefusal(405, 'Use GET for /kernelspecs.');
    await authenticate(req);
    const specs = await registry.backend.listSpecs();
    return { status: 200, body: { kernelspecs: specs.map(({ name, displayName, language }) => ({ name, displayName, language })) } };
  }
  const freshRun = /^\/notebooks\/([^/]+)\/fresh-run$/.exec(url.pathname);
  if (freshRun) return handleFreshRun(req, method, decodePathSegment(freshRun[1], 'notebook id'), options);
  const match = /^\/notebooks\/([^/]+)\/([a-z]+)$/.exec(url.pathname);
  if (!match || !actions.has(match[2] as Action)) throw new HttpRefusal(404, `No such route: ${method} ${url.pathname}. See kernel-bridge/README.md for the API.`);
  if (method !== 'POST') throw new HttpRefusal(405, `Use POST for ${url.pathname}.`);
  const notebookId = decodePathSegment(match[1], 'notebook id');
  const action = match[2] as Action;

  const grant = await authenticate(req);
  if (grant.notebookId !== notebookId) throw new HttpRefusal(403, 'This token is for another notebook; open this notebook again to get a token for it.');
  if (options.leases) {
    const forwarded = await routeByLease(options.leases, notebookId, action === 'execute' || action === 'kernel', req, maxBodyBytes);
    if (forwarded) return forwarded;
  }
  const role = options.resolveRole ? await options.resolveRole(grant) : grant.role;
  if (role === null) throw new HttpRefusal(403, 'You no longer have access to this notebook.');
  if (!canRun(role)) throw new HttpRefusal(403, `Your role on this notebook (${role}) cannot run code; ask the owner for editor access.`);
  const body = await jsonBodyOf(req, z.unknown(), maxBodyBytes);
  const requester = { name: grant.name, userId: grant.userId };

  switch (action) {
    case 'execute': {
      const { cellIds, after } = validate(executeBody, body);
      let wanted: Map<number, number> | undefined;
      try {
        wanted = after ? decodeStateVectorParam(after) : undefined;
      } catch {
        throw new HttpRefusal(400, 'Invalid request body: after is not an encoded state vector');
      }
      registry.assertRoomForKernel(notebookId, requester);
      const session = await openSession(registry, notebookId);
      if (wanted) await session.catchUp(wanted, catchUpTimeoutMs);
      const queued = await session.enqueue(cellIds, requester);
      return { status: 202, body: { queued } };
    }
    case 'interrupt': {
      const session = registry.get(notebookId);
      // Answers at once; what the interrupt came to arrives in the awareness `interrupt` field.
      session?.interrupt(requester);
      return { status: 200, body: { status: session?.state.status ?? 'none' } };
    }
    case 'restart': {
      const session = registry.get(notebookId);
      if (!session) throw new HttpRefusal(409, 'kernel not started: run a cell to start it', { code: API_ERROR.kernelNotStarted });
      await session.restart(requester);
      return { status: 200, body: { status: session.state.status } };
    }
    case 'shutdown': {
      // Stops the kernel and leaves the room, as an idle timeout does; frees its quota slot.
      await registry.shutDown(notebookId);
      return { status: 200, body: { status: 'none' } };
    }
    case 'kernel': {
      const { name } = validate(kernelBody, body);
      installedKernelSpec(await registry.backend.listSpecs(), name);
      registry.assertRoomForKernel(notebookId, requester);
      const session = await openSession(registry, notebookId);
      const spec = await session.changeKernel(name, requester);
      return { status: 200, body: { kernelspec: { name: spec.name, displayName: spec.displayName, language: spec.language } } };
    }
    case 'input': {
      const { value } = validate(inputBody, body);
      const session = registry.get(notebookId);
      if (!session) throw new HttpRefusal(409, 'No cell is waiting for input.');
      session.answerInput(grant.userId, value);
      return { status: 200, body: { ok: true } };
    }
    case 'complete': {
      const { code, cursorPos } = validate(completeBody, body);
      return { status: 200, body: await startedSession(registry, notebookId).complete(code, cursorPos) };
    }
    case 'inspect': {
      const { code, cursorPos, detailLevel } = validate(inspectBody, body);
      return { status: 200, body: await startedSession(registry, notebookId).inspect(code, cursorPos, detailLevel) };
    }
  }
}

/**
 * `GET /notebooks/<id>/fresh-run`: the notebook's current or last "Save & run
 * all" run, for any role (with several bridges: the lease holder's). `POST` `{name?}`: starts one (roles that can run);
 * 202 with its state, 409 when one is going, 429/503 at the kernel limits.
 */
async function handleFreshRun(req: IncomingMessage, method: string, notebookId: string, options: BridgeServerOptions): Promise<Reply> {
  if (method !== 'GET' && method !== 'POST') throw new HttpRefusal(405, 'Use GET or POST for /notebooks/<id>/fresh-run.');
  const grant = await authenticate(req);
  if (grant.notebookId !== notebookId) throw new HttpRefusal(403, 'This token is for another notebook; open this notebook again to get a token for it.');
  const role = options.resolveRole ? await options.resolveRole(grant) : grant.role;
  if (role === null) throw new HttpRefusal(403, 'You no longer have access to this notebook.');
  // With several bridges a run belongs to the notebook's lease holder, like its live kernel: a start claims the
  // lease if nobody holds it, and every request (its progress too) goes to the holder, so any bridge answers the same.
  if (options.leases) {
    const forwarded = await routeByLease(options.leases, notebookId, method === 'POST', req, maxBodyBytes);
    if (forwarded) return forwarded;
  }
  const runs = options.freshRuns;
  if (!runs) throw new HttpRefusal(503, 'This kernel bridge does not run "Save & run all".', { code: API_ERROR.serviceUnavailable });
  if (method === 'GET') return { status: 200, body: { run: runs.of(notebookId) }, headers: { 'cache-control': 'no-store' } };

  if (!canRun(role)) throw new HttpRefusal(403, `Your role on this notebook (${role}) cannot run code; ask the owner for editor access.`);
  const { name } = validate(freshRunBody, await jsonBodyOf(req, z.unknown(), maxBodyBytes));
  const started = runs.start(notebookId, {
    name: versionName(name),
    // A guest's token names them `guest:<id>`; a version's author is an account or nobody.
    author: { id: grant.userId.startsWith('guest:') ? null : grant.userId, name: grant.name },
    holder: { userId: grant.userId, name: grant.name },
  });
  if (!started) throw new HttpRefusal(409, 'A run of this notebook is already going.', { details: { run: runs.of(notebookId) }, code: API_ERROR.conflict });
  return { status: 202, body: { run: started.state } };
}

async function authenticate(req: IncomingMessage): Promise<NotebookGrant> {
  const header = req.headers.authorization ?? '';
  const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  if (!token) throw new HttpRefusal(401, 'Missing token: send "Authorization: Bearer <notebook token>".');
  try {
    return await verifyNotebookToken(token);
  } catch (err) {
    if (err instanceof TokenError) throw new HttpRefusal(401, `Rejected token (${err.message}); reload the notebook to get a new one.`);
    throw err;
  }
}

async function openSession(registry: SessionRegistry, notebookId: string) {
  try {
    return await registry.open(notebookId);
  } catch (err) {
    if (err instanceof HttpRefusal || err instanceof KernelRefusal) throw err;
    throw new HttpRefusal(503, `The kernel bridge could not join this notebook: ${(err as Error).message}`);
  }
}

function startedSession(registry: SessionRegistry, notebookId: string) {
  const session = registry.get(notebookId);
  if (!session) throw new HttpRefusal(409, 'kernel not started: run a cell first', { code: API_ERROR.kernelNotStarted });
  return session;
}

/** A refusal naming the person's kernels by notebook title where the titles can be looked up. */
async function withNotebookTitles(err: unknown, options: BridgeServerOptions): Promise<unknown> {
  if (!(err instanceof KernelLimitError) || !err.notebooks.length || !options.notebookTitle) return err;
  const lookup = options.notebookTitle;
  const titles = await Promise.all(err.notebooks.map((n) => lookup(n.id).catch(() => null)));
  return err.withTitles(titles);
}

/** The HTTP status and API error code of each way the kernel side refuses (kernel-refusal.ts). */
const refusalStatus: Record<Exclude<KernelRefusalCode, 'kernel-limit'>, { status: number; code?: ApiErrorCode }> = {
  'kernel-not-started': { status: 409, code: API_ERROR.kernelNotStarted },
  'kernel-dead': { status: 409 },
  'session-closed': { status: 409 },
  'edits-not-arrived': { status: 409 },
  'unknown-cells': { status: 400 },
  'no-input-pending': { status: 409 },
  'not-allowed': { status: 403 },
  'no-such-kernelspec': { status: 400 },
  'notebook-kernelspec-missing': { status: 409 },
  'no-kernel-installed': { status: 503 },
  'kernel-start-failed': { status: 500 },
};

function kernelRefusalReply(err: KernelRefusal): HttpRefusal {
  if (err instanceof KernelLimitError) {
    // The person's own limit is theirs to act on (429); the machine's is the server's (503).
    return new HttpRefusal(err.limit === 'person' ? 429 : 503, err.message, { details: err.details, code: API_ERROR.limitReached });
  }
  const { status, code } = refusalStatus[err.code as Exclude<KernelRefusalCode, 'kernel-limit'>];
  return new HttpRefusal(status, err.message, { details: err.details, code });
}

function errorReply(err: unknown): Reply {
  if (err instanceof HttpRefusal) return refusalReply(err);
  if (err instanceof KernelRefusal) return refusalReply(kernelRefusalReply(err));
  // The kernel gateway (when kernels run on one) is down, slow or answered nonsense.
  if (err instanceof GatewayError) return refusalReply(new HttpRefusal(503, err.message, { code: API_ERROR.serviceUnavailable }));
  console.error('kernel bridge: unexpected error', err);
  return refusalReply(new HttpRefusal(500, `The kernel bridge failed: ${(err as Error)?.message ?? String(err)}`, { code: API_ERROR.internal }));
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent) return;
  const headers: Record<string, string> = { ...corsHeaders, ...reply.headers };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return;
  }
  headers['content-type'] ??= 'application/json; charset=utf-8';
  res.writeHead(reply.status, headers).end(JSON.stringify(reply.body));
}
