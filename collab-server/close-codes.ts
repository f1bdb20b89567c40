// Websocket close codes the collab server uses beyond the standard ones. The
// y-websocket client treats 4400–4499 as final (it stops reconnecting), which is
// exactly what these cases need: reconnecting with the same state cannot help.

/** The document was replaced wholesale (restore, re-import) or the client's epoch is stale: reload. */
export const documentReplaced = 4409;
/** The notebook was deleted while the client was connected. */
export const notebookGone = 4404;
/** The client sent something that is not a valid y-websocket message. */
export const malformedMessage = 4400;
/** The connection's token expired or its access was withdrawn. */
export const accessWithdrawn = 4403;
/** The server could not store the client's edits; the client keeps them and resends on reconnect. */
export const storageFailure = 1011;
/** The server is shutting down; clients reconnect to its next instance. */
export const goingAway = 1001;
