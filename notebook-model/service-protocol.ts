// The contracts between Cellmate's processes (the web app, the collab server,
// the kernel bridge and the browser pages they serve), declared once and
// imported by every side: nobody matches another process's message text.

// ---------------------------------------------------------------------------
// API error codes
// ---------------------------------------------------------------------------
// Every HTTP refusal of the app, the bridge and the collab server's routes is
// a JSON body `{ "error": "<message for people>", "code": "<one of these>" }`
// (plus route-specific details). Clients branch on `code`, and show `error`.

/** The codes an HTTP refusal carries, by what went wrong. */
export const API_ERROR = {
  /** The body is not JSON (or not the multipart form the route takes). */
  invalidJson: 'invalid-json',
  /** The body or query parsed but does not have the fields the route takes. */
  invalidRequest: 'invalid-request',
  /** A path segment is not a valid URL-encoded value (e.g. a malformed %-escape). */
  invalidPath: 'invalid-path',
  /** The body is larger than the route accepts; refused before it was read. */
  bodyTooLarge: 'body-too-large',
  /** Not signed in, no token, or a token that is expired or forged. */
  unauthenticated: 'unauthenticated',
  /** Signed in, but the role (or the request's origin) does not allow this. */
  forbidden: 'forbidden',
  /** No such thing, or nothing the caller may see (the two are never told apart). */
  notFound: 'not-found',
  /** The route exists but not with this method. */
  methodNotAllowed: 'method-not-allowed',
  /** The request conflicts with the current state (a run already going, a live workshop, …). */
  conflict: 'conflict',
  /** The caller, or the machine, has as many of something as allowed. */
  limitReached: 'limit-reached',
  /** A file the person sent is not a notebook Cellmate reads (the body lists the problems). */
  invalidNotebook: 'invalid-notebook',
  /** The kernel bridge: the notebook has no running kernel (run a cell to start one). */
  kernelNotStarted: 'kernel-not-started',
  /** Another Cellmate service is down or refused the request. */
  serviceUnavailable: 'service-unavailable',
  /** A failure of the server itself (a bug); the message says what failed. */
  internal: 'internal',
} as const;

export type ApiErrorCode = (typeof API_ERROR)[keyof typeof API_ERROR];

/** The JSON body of every HTTP refusal; route-specific details ride beside the two fields. */
export interface ApiErrorBody {
  error: string;
  code: ApiErrorCode;
  [detail: string]: unknown;
}

const codes = new Set<string>(Object.values(API_ERROR));

/** The code of a refusal body another service sent, if it carries a known one. */
export function apiErrorCodeOf(body: unknown): ApiErrorCode | undefined {
  const code = body && typeof body === 'object' ? (body as { code?: unknown }).code : undefined;
  return typeof code === 'string' && codes.has(code) ? (code as ApiErrorCode) : undefined;
}

/** The code a refusal carries when its status alone says what went wrong. */
export function apiErrorCodeForStatus(status: number): ApiErrorCode {
  switch (status) {
    case 400: return API_ERROR.invalidRequest;
    case 401: return API_ERROR.unauthenticated;
    case 403: return API_ERROR.forbidden;
    case 404: return API_ERROR.notFound;
    case 405: return API_ERROR.methodNotAllowed;
    case 409: return API_ERROR.conflict;
    case 413: return API_ERROR.bodyTooLarge;
    case 422: return API_ERROR.invalidNotebook;
    case 429: return API_ERROR.limitReached;
    case 502: case 503: return API_ERROR.serviceUnavailable;
    default: return status >= 500 ? API_ERROR.internal : API_ERROR.invalidRequest;
  }
}
