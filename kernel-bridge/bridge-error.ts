// A failure the caller of the bridge can act on: it carries the HTTP status the
// API answers with and a message written for the person who made the request.
// The session and the registry throw it; only the HTTP layer turns it into a reply.

export class BridgeError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Extra JSON fields for the reply body (e.g. `unknownCellIds`, `installed`). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'BridgeError';
  }
}
