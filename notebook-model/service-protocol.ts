// Contracts between Cellmate's three processes (collab server, kernel bridge,
// web app): every constant or shape that one process writes and another reads
// is declared here, once, and imported by both. Keep each contract in its own
// headed section; nothing here may import Node-only modules (the browser
// bundle imports this file).
import { z } from 'zod';

// ---------------------------------------------------------------------------
// Collab server websocket close codes
//
// The y-websocket client treats 4400–4499 as final (it stops reconnecting):
// exactly right where reconnecting with the same state cannot help. Standard
// codes (1001, 1009, 1011, 1013) make it reconnect with backoff.
// ---------------------------------------------------------------------------

export const closeCodes = {
  /** The client sent something that is not a valid y-websocket message, or broke the protocol. */
  malformedMessage: 4400,
  /** The connection's token expired or its access was withdrawn. */
  accessWithdrawn: 4403,
  /** The notebook was deleted while the client was connected. */
  notebookGone: 4404,
  /** The document was replaced wholesale (restore, re-import) or the client's epoch is stale: reload. */
  documentReplaced: 4409,
  /** One document update was larger than COLLAB_MAX_UPDATE_BYTES. */
  updateTooLarge: 4413,
  /** The update would take the document past COLLAB_MAX_DOCUMENT_BYTES. */
  documentTooLarge: 4414,
  /** One awareness state was larger than COLLAB_MAX_AWARENESS_STATE_BYTES. */
  awarenessStateTooLarge: 4415,
  /** The socket sent more than COLLAB_MAX_AWARENESS_PER_SECOND awareness messages in a second. */
  awarenessRateExceeded: 4429,
  /**
   * Kernel bridge sockets only: the kernel lease this bridge presented (its fence)
   * was superseded by another bridge's; it no longer owns the notebook's kernel
   * and may not write into the document (see "Kernel lease fencing" below).
   */
  staleKernelLease: 4412,
  /** The server is shutting down; clients reconnect to its next instance. */
  goingAway: 1001,
  /** One message was larger than COLLAB_MAX_MESSAGE_BYTES (sent by the websocket library itself). */
  messageTooLarge: 1009,
  /** The server could not store the client's edits; the client keeps them and resends on reconnect. */
  storageFailure: 1011,
  /** The update log outgrew COLLAB_MAX_UPDATE_LOG_BYTES faster than it could be compacted: retry shortly. */
  tryAgainLater: 1013,
} as const;

export type CloseCode = (typeof closeCodes)[keyof typeof closeCodes];

// ---------------------------------------------------------------------------
// The reason of a 4409 close: plain "document replaced", or, for a restore,
// which version was restored and which version kept the document as it stood
// just before ("Before <who> restored …"), so every page that reloads can say
// who restored what and where its typing went. The web app names the two
// versions when it asks for the replacement; the collab server only relays
// them (checked against VERSION_ID_PATTERN), inside the 123 bytes a close
// reason may hold.
// ---------------------------------------------------------------------------

export const DOCUMENT_REPLACED_REASON = 'document replaced';

/** A version id as storage mints them (cuid), bounded so two fit in a close reason. */
export const VERSION_ID_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;

export interface RestoreNotice {
  restoredVersionId: string;
  /** The version saved just before the restore; null when none was saved. */
  backupVersionId: string | null;
}

/** The close reason for a replaced document; throws for ids that are not version ids. */
export function replacedCloseReason(notice?: RestoreNotice | null): string {
  if (!notice) return DOCUMENT_REPLACED_REASON;
  const ids = [notice.restoredVersionId, ...(notice.backupVersionId ? [notice.backupVersionId] : [])];
  if (!ids.every((id) => VERSION_ID_PATTERN.test(id))) throw new Error('a restore notice names versions by their ids');
  return `${DOCUMENT_REPLACED_REASON}; restored ${ids.join(' ')}`;
}

/** The restore a 4409 close reason tells of, or null (a re-import, a stale epoch, anything unreadable). */
export function restoreNoticeOf(reason: string): RestoreNotice | null {
  const match = /^document replaced; restored (\S+)(?: (\S+))?$/.exec(reason);
  if (!match || !VERSION_ID_PATTERN.test(match[1]) || (match[2] !== undefined && !VERSION_ID_PATTERN.test(match[2]))) return null;
  return { restoredVersionId: match[1], backupVersionId: match[2] ?? null };
}

// ---------------------------------------------------------------------------
// Kernel lease fencing: with several bridges, a notebook's kernel is owned by the
// holder of a Redis lease (kernel-bridge/kernel-lease.ts); every new holder gets
// a fence one higher than the last, counted in Redis under `kernelFenceKey`. A
// bridge presents its lease's fence when it joins a room (query parameter
// `kernelFenceParam`, with its kernel-presence service token); the collab server
// refuses that socket's writes (closing it with closeCodes.staleKernelLease) once
// a higher fence was issued for the notebook.
// ---------------------------------------------------------------------------

export const kernelFenceParam = 'fence';

/** The Redis key counting the fences issued for a notebook's kernel lease (`prefix`: CELLMATE_REDIS_PREFIX). */
export function kernelFenceKey(prefix: string, notebookId: string): string {
  return `${prefix}kernel-fence:${notebookId}`;
}

/** A fence as it travels in a query parameter: a positive integer, at most 15 digits. */
export function parseKernelFence(raw: string): number | null {
  return /^[1-9]\d{0,14}$/.test(raw) ? Number(raw) : null;
}

// ---------------------------------------------------------------------------
// Collab server message types beyond y-websocket's (0 sync, 1 awareness, 2 auth, 3 query-awareness)
// ---------------------------------------------------------------------------

/**
 * Server to client: the connection's role changed (an owner shared, demoted or
 * promoted it). Payload: the role as a varString. y-websocket clients that do
 * not register a handler for it ignore it.
 */
export const roleChangedMessageType = 100;

// ---------------------------------------------------------------------------
// Presence identity: the fields of an awareness state the collab server writes
// from the socket's token (never taken from the client)
// ---------------------------------------------------------------------------

/** Colours people are drawn in: saturated enough for white text on top, distinct from each other. */
export const presencePalette = ['#d1495b', '#e07a1f', '#2a9d8f', '#3a86ff', '#8338ec', '#c0398a', '#4d908e', '#6a994e', '#b5651d', '#1d7874'] as const;

/** A collaborator's colour, picked from their stable id (account or guest id), the same on every page and for everyone. */
export function presenceColorFor(holderId: string): string {
  let hash = 0;
  for (const ch of holderId) hash = (hash * 31 + ch.codePointAt(0)!) >>> 0;
  return presencePalette[hash % presencePalette.length];
}

/** The `user` field of an awareness state, as the collab server stamps it. */
export interface PresenceUser {
  name: string;
  /** `#rrggbb` */
  color: string;
  /** The colour at 20 % opacity, for selections. */
  colorLight: string;
}

export function presenceUserFor(name: string, holderId: string): PresenceUser {
  const color = presenceColorFor(holderId);
  return { name, color, colorLight: `${color}33` };
}

// ---------------------------------------------------------------------------
// Kernel awareness: the `kernel` field of the kernel bridge's awareness state.
// The bridge publishes it, the app reads it, and the collab server accepts it
// only from the bridge's own socket (and only in this shape).
// ---------------------------------------------------------------------------

export const kernelStatusSchema = z.enum(['starting', 'idle', 'busy', 'restarting', 'dead', 'none']);

export const kernelAwarenessSchema = z.object({
  status: kernelStatusSchema,
  specName: z.string().optional(),
  displayName: z.string().optional(),
  /** The cell executing now. */
  runningCellId: z.string().optional(),
  /** Epoch ms when it started. */
  runStartedAt: z.number().optional(),
  /** Who queued the running cell. */
  runBy: z.object({ name: z.string(), userId: z.string() }).optional(),
  /** Cells waiting, in order. */
  queue: z.array(z.object({ cellId: z.string(), queuedBy: z.object({ name: z.string() }) })).default([]),
  /** Set while status is 'dead'. */
  deadReason: z.string().optional(),
  /** How the kernel is isolated, once one started: `sandboxed` false only when the operator turned the sandbox off. */
  isolation: z.object({ sandboxed: z.boolean(), description: z.string() }).optional(),
  /** Cells dropped from the queue by the kernel's death. */
  notRun: z.array(z.string()).optional(),
  inputRequest: z.object({
    cellId: z.string(),
    prompt: z.string(),
    password: z.boolean(),
    forUserId: z.string(),
  }).optional(),
  /** The latest Interrupt, until the next cell starts (or a restart): who pressed it and what came of it. */
  interrupt: z.object({
    by: z.object({ name: z.string() }),
    /** Epoch ms when it was asked for. */
    at: z.number(),
    /** The cell that was running when it was asked for. */
    cellId: z.string().optional(),
    outcome: z.enum(['pending', 'stopped', 'finished', 'not running', 'failed']),
  }).optional(),
});

/** The `kernel` field of the bridge's awareness state. */
export type KernelAwarenessState = z.infer<typeof kernelAwarenessSchema>;
export type KernelStatus = KernelAwarenessState['status'];
/** The `interrupt` field: 'pending' while the bridge is still making sure; 'stopped' (ended with KeyboardInterrupt), 'finished' (ended otherwise), 'not running', 'failed' (still runs after every attempt; a later end updates it). */
export type InterruptAwareness = NonNullable<KernelAwarenessState['interrupt']>;
export type InterruptOutcomeState = InterruptAwareness['outcome'];

/** The awareness key under which the bridge publishes its kernel state. */
export const kernelAwarenessKey = 'kernel';

// ---------------------------------------------------------------------------
// "Save & run all" runs in the kernel bridge (kernel-bridge/fresh-runs.ts); the
// app asks it for a notebook's run through `GET /notebooks/<id>/fresh-run` and
// shows this state (the Versions page, the editor's header notice).
// ---------------------------------------------------------------------------

/** Which code cell a fresh run is at. */
export interface FreshRunProgress {
  codeCellNumber: number;
  codeCellCount: number;
  index: number;
}

/** A notebook's current or last "Save & run all" run. */
export interface FreshRunState {
  state: 'running' | 'done' | 'failed';
  name: string;
  startedBy: string;
  startedAt: string;
  progress: FreshRunProgress | null;
  versionId: string | null;
  error: string | null;
}

// ---------------------------------------------------------------------------
// API error codes
//
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

// ---------------------------------------------------------------------------
// Kernel resources: the `kernelResources` field of the kernel bridge's
// awareness state: the kernel's user variables at the last refresh and the
// memory it uses. Published by the bridge only (the collab server drops it from
// anyone else), validated by every reader, bounded in size.
// ---------------------------------------------------------------------------

/** At most this many variables are described (the largest first); `total` says how many there were. */
export const MAX_DESCRIBED_VARIABLES = 100;
/** The JSON of the `variables` list stays under this, well inside the collab server's awareness state limit. */
export const MAX_VARIABLES_JSON_BYTES = 48 * 1024;
const shortText = (max: number) => z.string().max(max);
const bytes = z.number().int().nonnegative().max(2 ** 53);

export const kernelVariableSchema = z.object({
  name: shortText(100),
  type: shortText(100),
  /** Bytes in memory: numpy `nbytes`, pandas `memory_usage(deep=True)`, else `sys.getsizeof`; null when unknown. */
  size: bytes.nullable(),
  shape: z.array(z.number().int().nonnegative()).max(8).nullable(),
  length: z.number().int().nonnegative().nullable(),
  /** A short repr (never the data of a large frame or array). */
  repr: shortText(120),
});

export const kernelResourcesSchema = z.object({
  variables: z.discriminatedUnion('state', [
    z.object({
      state: z.literal('ok'),
      /** Epoch ms of the refresh. */
      at: z.number(),
      /** How many user variables the kernel holds (more than listed when beyond MAX_DESCRIBED_VARIABLES). */
      total: z.number().int().nonnegative(),
      /** Largest first. */
      list: z.array(kernelVariableSchema).max(MAX_DESCRIBED_VARIABLES),
    }),
    /** Not a Python kernel, no kernel yet, or the last refresh failed: `reason` says which. */
    z.object({ state: z.literal('unavailable'), reason: shortText(300) }),
  ]),
  memory: z.object({
    /** Bytes the kernel uses now (its cgroup, else its process tree). */
    usedBytes: bytes,
    /** The ceiling (KERNEL_MEMORY_LIMIT_MB), when there is one. */
    limitBytes: bytes.optional(),
    /** Epoch ms of the reading. */
    at: z.number(),
  }).optional(),
  /** Set when the kernel died of memory: the largest variables at the last refresh. */
  outOfMemory: z.object({
    at: z.number(),
    largest: z.array(kernelVariableSchema).max(10),
  }).optional(),
});

export type KernelResourcesState = z.infer<typeof kernelResourcesSchema>;
export type KernelVariable = z.infer<typeof kernelVariableSchema>;

/** The awareness key under which the bridge publishes the kernel's variables and memory. */
export const kernelResourcesKey = 'kernelResources';
