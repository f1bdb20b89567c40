// The one way every Cellmate service takes HTTP input and answers a refusal:
// the web app's routes, the kernel bridge's API and the collab server's routes
// all read a body here (bounded while it streams in, refused with 413 before a
// byte is read when the declared length is already too large), parse it once
// with a zod schema, decode path segments, and answer any refusal with the same
// JSON body (`ApiErrorBody` in service-protocol.ts).
//
// Works on web `Request`s (Next.js routes) and Node's `IncomingMessage` alike,
// and pulls in neither Next.js nor node:http.
import type { z } from 'zod';
import { API_ERROR, apiErrorCodeForStatus, type ApiErrorBody, type ApiErrorCode } from './service-protocol';

/** A request refused at the edge: the status, a message for people, a code for programs. */
export class HttpRefusal extends Error {
  readonly code: ApiErrorCode;
  /** Extra JSON fields of the reply (e.g. `problems`, `installed`). */
  readonly details: Record<string, unknown>;

  constructor(readonly status: number, message: string, options: { code?: ApiErrorCode; details?: Record<string, unknown> } = {}) {
    super(message);
    this.name = 'HttpRefusal';
    this.code = options.code ?? apiErrorCodeForStatus(status);
    this.details = options.details ?? {};
  }
}

export interface RefusalReply {
  status: number;
  headers: Record<string, string>;
  body: ApiErrorBody;
}

/** How every service answers a refusal: its status, the JSON body, and the headers. */
export function refusalReply(refusal: HttpRefusal): RefusalReply {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
  // A body refused unread stays on the connection; close it rather than read the rest.
  if (refusal.status === 413) headers.connection = 'close';
  return { status: refusal.status, headers, body: { ...refusal.details, error: refusal.message, code: refusal.code } };
}

/** A refusal as a web Response (Next.js routes). */
export function refusalResponse(refusal: HttpRefusal, extraHeaders: Record<string, string> = {}): Response {
  const { status, headers, body } = refusalReply(refusal);
  return new Response(JSON.stringify(body), { status, headers: { ...headers, ...extraHeaders } });
}

type Chunks = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

function tooLarge(limit: number): HttpRefusal {
  const size = limit >= 1024 * 1024 ? `${Math.round(limit / 1024 / 1024)} MB` : `${Math.round(limit / 1024)} KB`;
  return new HttpRefusal(413, `The request body is larger than this route accepts (${size}).`, { code: API_ERROR.bodyTooLarge });
}

/**
 * The whole body, at most `limit` bytes: a declared Content-Length above it is
 * refused before reading, and a body that grows past it while streaming is
 * refused at that point (what remains is never read here).
 * @throws HttpRefusal 413.
 */
export async function readBoundedBody(body: Chunks | null | undefined, declaredLength: string | null | undefined, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  if (declaredLength != null && declaredLength !== '' && !(Number(declaredLength) <= limit)) throw tooLarge(limit);
  if (!body) return new Uint8Array(new ArrayBuffer(0));
  const chunks: Uint8Array[] = [];
  let size = 0;
  const take = (chunk: Uint8Array) => {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  };
  if (typeof (body as ReadableStream<Uint8Array>).getReader === 'function') {
    const reader = (body as ReadableStream<Uint8Array>).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        take(value);
      }
    } finally {
      reader.releaseLock(); // not cancelled: cancelling would cut the connection before the 413 is sent
    }
  } else {
    // Iterated by hand: leaving a for-await early would destroy a Node request, and its socket with it.
    const iterator = (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    for (;;) {
      const { done, value } = await iterator.next();
      if (done) break;
      take(value);
    }
  }
  const all = new Uint8Array(new ArrayBuffer(size));
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return all;
}

/** Bytes of JSON text parsed; an empty body is `undefined`. @throws HttpRefusal 400. */
export function parseJsonBytes(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).trim();
  } catch {
    throw new HttpRefusal(400, 'The request body is not UTF-8 text.', { code: API_ERROR.invalidJson });
  }
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new HttpRefusal(400, `The request body is not valid JSON (${(err as Error).message}).`, { code: API_ERROR.invalidJson });
  }
}

/** `value` checked against `schema`; every problem named in the message. @throws HttpRefusal 400. */
export function validate<T>(schema: z.ZodType<T>, value: unknown, what = 'request body'): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const detail = result.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
  throw new HttpRefusal(400, `Invalid ${what}: ${detail}`, { code: API_ERROR.invalidRequest });
}

/** Largest JSON body a route takes unless it says otherwise. */
export const DEFAULT_JSON_BODY_BYTES = 64 * 1024;

/** Where a JSON body comes from: a web Request, or Node's IncomingMessage (its headers and chunks). */
export type BodySource =
  | Request
  | (AsyncIterable<Uint8Array> & { headers: Record<string, string | string[] | undefined> });

function declaredLengthOf(source: BodySource): string | null | undefined {
  if (source instanceof Request) return source.headers.get('content-length');
  const value = source.headers['content-length'];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * A request's JSON body, read within `limit` bytes and validated by `schema`.
 * No body at all counts as `{}` (a route whose fields are all optional may be
 * called without one); a body that is not JSON is refused, never guessed at.
 * @throws HttpRefusal 400 or 413.
 */
export async function jsonBodyOf<T>(source: BodySource, schema: z.ZodType<T>, limit = DEFAULT_JSON_BODY_BYTES): Promise<T> {
  const body = source instanceof Request ? source.body : source;
  const value = parseJsonBytes(await readBoundedBody(body, declaredLengthOf(source), limit));
  return validate(schema, value ?? {});
}

/** A request's raw body, within `limit` bytes. @throws HttpRefusal 413. */
export async function bytesOf(source: BodySource, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  return readBoundedBody(source instanceof Request ? source.body : source, declaredLengthOf(source), limit);
}

/**
 * A multipart/form-data body, read within `limit` bytes before it is parsed
 * (the platform's `request.formData()` would buffer any size first).
 * @throws HttpRefusal 400 or 413.
 */
export async function formDataOf(request: Request, limit: number): Promise<FormData> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data\s*;/i.test(type)) {
    throw new HttpRefusal(400, 'Send the request as multipart/form-data.', { code: API_ERROR.invalidRequest });
  }
  const bytes = await bytesOf(request, limit);
  try {
    return await new Response(bytes, { headers: { 'content-type': type } }).formData();
  } catch {
    throw new HttpRefusal(400, 'The multipart/form-data body could not be read (it is cut short or malformed).', { code: API_ERROR.invalidRequest });
  }
}

/** One URL-encoded path segment, decoded. @throws HttpRefusal 400 for a malformed %-escape or an empty or oversized value. */
export function decodePathSegment(segment: string, what = 'id', maxLength = 200): string {
  let value: string;
  try {
    value = decodeURIComponent(segment);
  } catch {
    throw new HttpRefusal(400, `The ${what} in the URL is not validly encoded (a malformed %-escape).`, { code: API_ERROR.invalidPath });
  }
  if (!value || value.length > maxLength || value.includes('/')) {
    throw new HttpRefusal(400, `The ${what} in the URL is empty, too long or contains "/".`, { code: API_ERROR.invalidPath });
  }
  return value;
}
