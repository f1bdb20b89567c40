// The Jupyter Server kernels REST API, as a kernel gateway serves it (Jupyter
// Server, Jupyter Kernel Gateway and Jupyter Enterprise Gateway all do):
// `GET /api/kernelspecs`, `POST /api/kernels`, `GET /api/kernels/<id>`,
// `POST /api/kernels/<id>/interrupt` and `DELETE /api/kernels/<id>`.
//
// The gateway is a peer like any other: every request has a deadline, every
// answer is read up to a size bound and checked against a schema before anything
// of it is used; a bad answer is a GatewayError (and counted), never a crash.
// Every failure message begins with which gateway it was, so it reads well in
// the kernel status.
//
// (`POST /api/kernels/<id>/restart` is not used: a restart is a fresh start, see
// gateway-kernel.ts.)
import { z } from 'zod';
import type { KernelGatewaySettings } from '../config/gateway';
import { HttpRefusal, readBoundedBody } from '../notebook-model/http-edge';
import type { ProvidedKernelSpec } from './kernel-provider';

/** Largest REST answer read from a gateway (a kernelspec list with logos inlined stays far below). */
export const MAX_GATEWAY_RESPONSE_BYTES = 1024 * 1024;
/** Most kernelspecs taken from one listing. */
const MAX_SPECS = 200;

export type GatewayErrorCode = 'unreachable' | 'unauthorized' | 'refused' | 'malformed' | 'gone';

/** A failed exchange with the kernel gateway; `message` is a sentence for users. */
export class GatewayError extends Error {
  constructor(readonly code: GatewayErrorCode, message: string) {
    super(message);
    this.name = 'GatewayError';
  }
}

const kernelIdSchema = z.string().regex(/^[A-Za-z0-9._-]{1,128}$/);

const kernelModelSchema = z.object({
  id: kernelIdSchema,
  name: z.string().max(256),
  execution_state: z.string().max(64).optional(),
});

/** A kernel as the gateway describes it. */
export type GatewayKernelModel = z.infer<typeof kernelModelSchema>;

const specEntrySchema = z.object({
  name: z.string().min(1).max(256),
  spec: z.object({
    display_name: z.string().min(1).max(256),
    language: z.string().min(1).max(64),
    interrupt_mode: z.enum(['signal', 'message']).optional(),
  }),
});

const specListingSchema = z.object({
  kernelspecs: z.record(z.string(), z.unknown()),
});

type Method = 'GET' | 'POST' | 'DELETE';

interface Exchange {
  status: number;
  body: unknown;
}

function causeOf(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  const cause = e.cause?.message ?? e.message;
  return cause || String(err);
}

export class GatewayClient {
  /** REST answers refused for their size or shape, and kernelspecs dropped from listings. */
  malformedResponses = 0;

  constructor(readonly settings: KernelGatewaySettings) {}

  get url(): string {
    return this.settings.url;
  }

  /** Headers that authenticate the bridge to the gateway (REST and websocket). */
  authHeaders(): Record<string, string> {
    return this.settings.token ? { Authorization: `token ${this.settings.token}` } : {};
  }

  /** The kernel's websocket channels URL (the default JSON protocol). */
  channelsUrl(kernelId: string, sessionId: string): string {
    const base = this.settings.url.replace(/^http/, 'ws');
    return `${base}/api/kernels/${encodeURIComponent(kernelId)}/channels?session_id=${encodeURIComponent(sessionId)}`;
  }

  private malformed(method: Method, path: string, detail: string): GatewayError {
    this.malformedResponses += 1;
    return new GatewayError('malformed', `the kernel gateway at ${this.url} sent a malformed answer to ${method} ${path}: ${detail}`);
  }

  /** One request with a deadline; the answer's JSON read up to the size bound. */
  private async exchange(method: Method, path: string, body?: unknown, timeoutMs = this.settings.requestTimeoutMs): Promise<Exchange> {
    const signal = AbortSignal.timeout(timeoutMs);
    let res: Response;
    try {
      res = await fetch(this.url + path, {
        method,
        signal,
        redirect: 'error',
        headers: { ...this.authHeaders(), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw this.networkError(method, path, err, signal, timeoutMs);
    }
    let text: string;
    try {
      text = Buffer.from(await readBoundedBody(res.body, res.headers.get('content-length'), MAX_GATEWAY_RESPONSE_BYTES)).toString('utf8');
    } catch (err) {
      if (!(err instanceof HttpRefusal)) throw this.networkError(method, path, err, signal, timeoutMs);
      await res.body?.cancel().catch(() => {});
      throw this.malformed(method, path, `the answer is over ${MAX_GATEWAY_RESPONSE_BYTES} bytes`);
    }
    let parsed: unknown = undefined;
    if (text.trim() !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        if (res.ok) throw this.malformed(method, path, 'the answer is not JSON');
      }
    }
    if (res.status === 401 || res.status === 403) {
      throw new GatewayError('unauthorized', `the kernel gateway at ${this.url} refused the bridge (HTTP ${res.status}); check KERNEL_GATEWAY_TOKEN`);
    }
    return { status: res.status, body: parsed };
  }

  private networkError(method: Method, path: string, err: unknown, signal: AbortSignal, timeoutMs: number): GatewayError {
    if (signal.aborted) {
      return new GatewayError('unreachable', `the kernel gateway at ${this.url} cannot be reached: it did not answer ${method} ${path} within ${timeoutMs / 1000} s`);
    }
    return new GatewayError('unreachable', `the kernel gateway at ${this.url} cannot be reached: ${causeOf(err)}`);
  }

  /** An answer with an unexpected status, with the gateway's own reason (bounded) when it gave one. */
  private refused(method: Method, path: string, ex: Exchange): GatewayError {
    const b = ex.body as { message?: unknown; reason?: unknown } | undefined;
    const said = typeof b?.message === 'string' && b.message ? b.message : typeof b?.reason === 'string' ? b.reason : '';
    const detail = said ? `: ${said.slice(0, 300)}` : '';
    return new GatewayError('refused', `the kernel gateway at ${this.url} answered ${method} ${path} with HTTP ${ex.status}${detail}`);
  }

  /** The kernelspecs the gateway offers; malformed entries are left out (and counted). */
  async listSpecs(): Promise<ProvidedKernelSpec[]> {
    const path = '/api/kernelspecs';
    const ex = await this.exchange('GET', path);
    if (ex.status !== 200) throw this.refused('GET', path, ex);
    const listing = specListingSchema.safeParse(ex.body);
    if (!listing.success) throw this.malformed('GET', path, 'no "kernelspecs" object');
    const specs: ProvidedKernelSpec[] = [];
    for (const raw of Object.values(listing.data.kernelspecs).slice(0, MAX_SPECS)) {
      const entry = specEntrySchema.safeParse(raw);
      if (!entry.success) {
        this.malformedResponses += 1;
        continue;
      }
      const { name, spec } = entry.data;
      specs.push({ name, displayName: spec.display_name, language: spec.language, interruptMode: spec.interrupt_mode ?? 'signal' });
    }
    return specs;
  }

  /** `POST /api/kernels`: starts a kernel of `name`; resolves with its model once the gateway says it started. */
  async startKernel(name: string, env?: Record<string, string>): Promise<GatewayKernelModel> {
    const path = '/api/kernels';
    const ex = await this.exchange('POST', path, { name, ...(env && Object.keys(env).length ? { env } : {}) }, this.settings.startTimeoutMs);
    if (ex.status !== 201 && ex.status !== 200) throw this.refused('POST', path, ex);
    const model = kernelModelSchema.safeParse(ex.body);
    if (!model.success) throw this.malformed('POST', path, 'no valid kernel id');
    return model.data;
  }

  /** `GET /api/kernels/<id>`: the kernel's model, or null when the gateway does not know it. */
  async kernel(id: string): Promise<GatewayKernelModel | null> {
    const path = `/api/kernels/${encodeURIComponent(id)}`;
    const ex = await this.exchange('GET', path);
    if (ex.status === 404) return null;
    if (ex.status !== 200) throw this.refused('GET', path, ex);
    const model = kernelModelSchema.safeParse(ex.body);
    if (!model.success || model.data.id !== id) throw this.malformed('GET', path, 'not the model of that kernel');
    return model.data;
  }

  /** `POST /api/kernels/<id>/interrupt`; false when the gateway does not know the kernel. */
  async interrupt(id: string): Promise<boolean> {
    const path = `/api/kernels/${encodeURIComponent(id)}/interrupt`;
    const ex = await this.exchange('POST', path);
    if (ex.status === 404) return false;
    if (ex.status !== 204 && ex.status !== 200) throw this.refused('POST', path, ex);
    return true;
  }

  /** `DELETE /api/kernels/<id>`; false when the gateway did not know the kernel (already gone). */
  async deleteKernel(id: string): Promise<boolean> {
    const path = `/api/kernels/${encodeURIComponent(id)}`;
    const ex = await this.exchange('DELETE', path);
    if (ex.status === 404) return false;
    if (ex.status !== 204 && ex.status !== 200) throw this.refused('DELETE', path, ex);
    return true;
  }
}
