// With several bridges (kernel-lease.ts), a request for a notebook goes to the
// bridge that owns its kernel. A request that starts a session (run, change
// kernel) claims the lease if nobody holds it; any request for a notebook owned
// by another bridge is forwarded there as it came (same method, token and body)
// and its answer returned. A forwarded request is never forwarded again: if the
// owner changed meanwhile, the client is told to try again.
import type { IncomingMessage } from 'node:http';
import { bytesOf, HttpRefusal, readBoundedBody } from '../notebook-model/http-edge';
import { API_ERROR } from '../notebook-model/service-protocol';
import type { KernelLeases } from './kernel-lease';

const forwardedHeader = 'x-cellmate-forwarded-by';
/** How long the owner may take to answer a forwarded request (a run is answered once queued). */
const forwardTimeoutMs = 30_000;
/** Largest answer read from the owner (a completion or an inspection is the largest it gives). */
const maxForwardedReplyBytes = 8 * 1024 * 1024;

export interface ForwardedReply {
  status: number;
  body: unknown;
}

/**
 * Null when this bridge handles the request itself (it owns the notebook, or
 * nobody does and the action does not start a kernel); else the owner's answer.
 */
export async function routeByLease(
  leases: KernelLeases, notebookId: string, startsSession: boolean, req: IncomingMessage, maxBodyBytes: number,
): Promise<ForwardedReply | null> {
  const holder = startsSession ? await leases.claim(notebookId) : await leases.holder(notebookId);
  if (!holder || holder.nodeId === leases.nodeId) return null;
  if (req.headers[forwardedHeader]) {
    throw new HttpRefusal(503, 'The kernel of this notebook is moving between servers; try again in a few seconds.', { code: API_ERROR.serviceUnavailable });
  }
  const body = await bytesOf(req, maxBodyBytes);
  let response: Response;
  try {
    response = await fetch(`${holder.url}${req.url ?? '/'}`, {
      method: req.method,
      headers: {
        authorization: req.headers.authorization ?? '',
        'content-type': req.headers['content-type'] ?? 'application/json',
        [forwardedHeader]: leases.nodeId,
      },
      body: body.length ? Buffer.from(body) : undefined,
      signal: AbortSignal.timeout(forwardTimeoutMs),
    });
  } catch (err) {
    throw new HttpRefusal(503, `The server that runs this notebook's kernel is not answering (${(err as Error).message}); try again in a few seconds.`, { code: API_ERROR.serviceUnavailable });
  }
  let parsed: unknown;
  try {
    const text = Buffer.from(await readBoundedBody(response.body, response.headers.get('content-length'), maxForwardedReplyBytes)).toString('utf8');
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    await response.body?.cancel().catch(() => {});
    throw new HttpRefusal(502, 'The server that runs this notebook\'s kernel gave an unreadable answer.', { code: API_ERROR.internal });
  }
  return { status: response.status, body: parsed };
}
