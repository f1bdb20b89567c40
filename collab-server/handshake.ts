// Who may open a socket on which notebook, decided before the websocket exists:
// the room is the URL path (as the y-websocket client builds it), the token and
// the client's document epoch come as query parameters. A refusal is an HTTP
// status with a one-line reason, so a client sees why without a websocket.
import type { IncomingMessage } from 'node:http';
import { verifyNotebookToken, TokenError, type NotebookGrant } from '../auth/notebook-token';
import { verifyServiceToken } from '../auth/service-token';
import { kernelFenceParam, parseKernelFence } from '../notebook-model/service-protocol';

export interface Admission {
  notebookId: string;
  grant: NotebookGrant;
  epoch: string | null;
  /** The socket is the kernel bridge's (`?service=` held a kernel-presence service token for this notebook). */
  kernelBridge: boolean;
  /** The fence of the kernel lease the bridge holds (`?fence=`; bridge sockets only), or null. */
  kernelFence: number | null;
}

export class Refusal extends Error {
  constructor(readonly status: 400 | 401 | 403 | 404, message: string) {
    super(message);
  }
}

/** The notebook id named by a request path such as `/abc123` (URL-decoded). */
export function notebookIdFromPath(pathname: string): string {
  const raw = pathname.replace(/^\/+/, '');
  let id: string;
  try {
    id = decodeURIComponent(raw);
  } catch {
    throw new Refusal(400, 'the notebook id in the URL is not valid');
  }
  if (!id || id.includes('/') || id.length > 200) throw new Refusal(400, 'the URL must name one notebook: /<notebookId>');
  return id;
}

/** Reads a bearer token from `Authorization` or, for websockets, from `?token=`. */
export function tokenOf(request: IncomingMessage, url: URL): string | null {
  const header = request.headers.authorization;
  if (header?.toLowerCase().startsWith('bearer ')) return header.slice(7).trim();
  return url.searchParams.get('token');
}

/** Checks the token names this notebook; throws Refusal. */
export async function admit(request: IncomingMessage): Promise<Admission> {
  const url = new URL(request.url ?? '/', 'http://collab.invalid');
  const notebookId = notebookIdFromPath(url.pathname);
  const grant = await grantFor(tokenOf(request, url), notebookId);
  const service = url.searchParams.get('service');
  const kernelBridge = service !== null && (await verifyServiceToken(service, 'kernel-presence', notebookId));
  if (service !== null && !kernelBridge) throw new Refusal(401, 'the service token is not valid for this notebook');
  return { notebookId, grant, epoch: url.searchParams.get('epoch') || null, kernelBridge, kernelFence: kernelFenceOf(url, kernelBridge) };
}

/** The lease fence a bridge socket presents; only a bridge may present one, and only a well-formed one. */
function kernelFenceOf(url: URL, kernelBridge: boolean): number | null {
  const raw = url.searchParams.get(kernelFenceParam);
  if (raw === null) return null;
  if (!kernelBridge) throw new Refusal(400, `only the kernel bridge presents a kernel lease (?${kernelFenceParam}=)`);
  const fence = parseKernelFence(raw);
  if (fence === null) throw new Refusal(400, `?${kernelFenceParam}= must be a positive integer`);
  return fence;
}

export async function grantFor(token: string | null, notebookId: string): Promise<NotebookGrant> {
  let grant: NotebookGrant;
  try {
    grant = await verifyNotebookToken(token);
  } catch (err) {
    if (err instanceof TokenError) throw new Refusal(401, err.message);
    throw err;
  }
  if (grant.notebookId !== notebookId) throw new Refusal(403, 'this token is for another notebook');
  return grant;
}
