// A failure the caller of the bridge can act on: it carries the HTTP status the
// API answers with, a message written for the person who made the request, and
// an API error code (notebook-model/service-protocol.ts; by default the one its
// status implies). The session and the registry throw it; only the HTTP layer
// turns it into a reply.
import { HttpRefusal } from '../notebook-model/http-edge';
import type { ApiErrorCode } from '../notebook-model/service-protocol';

export class BridgeError extends HttpRefusal {
  constructor(
    status: number,
    message: string,
    /** Extra JSON fields for the reply body (e.g. `unknownCellIds`, `installed`). */
    details: Record<string, unknown> = {},
    code?: ApiErrorCode,
  ) {
    super(status, message, { details, code });
    this.name = 'BridgeError';
  }
}
