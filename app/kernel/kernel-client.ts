// The browser's side of the kernel bridge's HTTP API (kernel-bridge/README.md):
// one typed method per route, the notebook token as a bearer credential, and
// every failure turned into a `KernelRequestError` whose message the page can
// show as is (the bridge writes its `error` field for people) and whose `code`
// (notebook-model/service-protocol.ts) code can branch on. Results of runs
// never come back here: they arrive through the shared document and awareness.
import { apiErrorCodeOf, type ApiErrorCode } from '../../notebook-model/service-protocol';

/** A kernelspec the bridge can start, as `GET /kernelspecs` lists it. */
export interface KernelSpecSummary {
  name: string;
  displayName: string;
  language: string;
}

/** The kernel's `complete_reply` content (Jupyter messaging 5.3), as the bridge relays it. */
export interface CompleteReply {
  status: 'ok' | 'error';
  matches: string[];
  /** Code-point offsets into the code that was sent. */
  cursor_start: number;
  cursor_end: number;
  metadata?: { _jupyter_types_experimental?: { text: string; type?: string; signature?: string }[] } & Record<string, unknown>;
}

/** The kernel's `inspect_reply` content. */
export interface InspectReply {
  status: 'ok' | 'error';
  found: boolean;
  data: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

/** A request the bridge refused or could not answer; `status` is 0 when it was unreachable. */
export class KernelRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The reply's other JSON fields (e.g. `unknownCellIds`, `installed`). */
    readonly details: Record<string, unknown> = {},
    /** What went wrong, for code to branch on (the message is for people). */
    readonly code?: ApiErrorCode,
  ) {
    super(message);
    this.name = 'KernelRequestError';
  }
}

export interface KernelClientOptions {
  /** `http://host:BRIDGE_PORT`, no trailing slash needed. */
  bridgeUrl: string;
  notebookId: string;
  /** Read before every request: the page may have renewed its token meanwhile. */
  token: () => string;
  /** For tests outside a browser or with a custom transport. */
  fetch?: typeof fetch;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export class KernelClient {
  private readonly base: string;
  private readonly notebookPath: string;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: KernelClientOptions) {
    this.base = options.bridgeUrl.replace(/\/+$/, '');
    this.notebookPath = `/notebooks/${encodeURIComponent(options.notebookId)}`;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /**
   * Queues cells on the notebook's shared kernel (starting it if needed); resolves
   * with the ids actually queued. `after` is this page's document state vector:
   * the bridge waits until it has these edits, so the cells run as seen here.
   */
  async execute(cellIds: readonly string[], after?: Uint8Array): Promise<string[]> {
    const body = await this.post<{ queued: string[] }>('execute', { cellIds, ...(after ? { after: toBase64(after) } : {}) });
    return body.queued;
  }

  /** Interrupts the running cell and drops the queue; resolves with the kernel's status. */
  async interrupt(): Promise<string> {
    return (await this.post<{ status: string }>('interrupt')).status;
  }

  async restart(): Promise<string> {
    return (await this.post<{ status: string }>('restart')).status;
  }

  /**
   * Stops the notebook's kernel for everyone (its variables are lost) and frees
   * the kernel it counted against its starter's limit; the next run starts a new one.
   */
  async shutdown(): Promise<string> {
    return (await this.post<{ status: string }>('shutdown')).status;
  }

  /** Replaces the notebook's kernel with another kernelspec (recorded in the notebook's metadata). */
  async changeKernel(name: string): Promise<KernelSpecSummary> {
    return (await this.post<{ kernelspec: KernelSpecSummary }>('kernel', { name })).kernelspec;
  }

  /** Answers the pending `input()` prompt (only the person who ran the cell may). */
  async answerInput(value: string): Promise<void> {
    await this.post('input', { value });
  }

  /** `cursorPos` counts code points, as Jupyter's protocol does. */
  async complete(code: string, cursorPos: number, signal?: AbortSignal): Promise<CompleteReply> {
    return this.post<CompleteReply>('complete', { code, cursorPos }, signal);
  }

  async inspect(code: string, cursorPos: number, detailLevel: 0 | 1 = 0, signal?: AbortSignal): Promise<InspectReply> {
    return this.post<InspectReply>('inspect', { code, cursorPos, detailLevel }, signal);
  }

  async kernelspecs(): Promise<KernelSpecSummary[]> {
    return (await this.request<{ kernelspecs: KernelSpecSummary[] }>('GET', '/kernelspecs')).kernelspecs;
  }

  private post<T>(action: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    return this.request<T>('POST', `${this.notebookPath}/${action}`, body, signal);
  }

  private async request<T>(method: 'GET' | 'POST', path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.options.token()}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await this.fetchImpl(this.base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
        cache: 'no-store',
      });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new KernelRequestError(0, `The kernel service at ${this.base} cannot be reached; check that it is running.`);
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!res.ok) {
      const { error, code, ...details } = (parsed && typeof parsed === 'object' ? parsed : {}) as Record<string, unknown>;
      throw new KernelRequestError(res.status, typeof error === 'string' ? error : `The kernel service answered ${res.status}.`, details, apiErrorCodeOf({ code }));
    }
    return parsed as T;
  }
}
