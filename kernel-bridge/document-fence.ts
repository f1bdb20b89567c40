// "Run what I see": a run request comes straight from the browser, while the
// edits it was made after travel through the collab server, so the request can
// arrive first and the bridge would run a cell's previous source (or not know a
// new cell). The browser therefore sends its document's state vector with the
// request, and the bridge waits until its own replica has caught up with it.
import * as Y from 'yjs';

/** The state vector of a document as the browser sends it (base64 of Y.encodeStateVector). */
export function decodeStateVectorParam(base64: string): Map<number, number> {
  return Y.decodeStateVector(new Uint8Array(Buffer.from(base64, 'base64')));
}

/** True when `doc` holds every update the state vector counts. */
export function hasCaughtUp(doc: Y.Doc, wanted: Map<number, number>): boolean {
  const have = Y.decodeStateVector(Y.encodeStateVector(doc));
  for (const [client, clock] of wanted) if ((have.get(client) ?? 0) < clock) return false;
  return true;
}

/** Resolves true once `doc` has caught up with `wanted`, or false after `timeoutMs`. */
export function waitUntilCaughtUp(doc: Y.Doc, wanted: Map<number, number>, timeoutMs: number): Promise<boolean> {
  if (hasCaughtUp(doc, wanted)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const finish = (result: boolean) => {
      clearTimeout(timer);
      doc.off('update', check);
      resolve(result);
    };
    const check = () => {
      if (hasCaughtUp(doc, wanted)) finish(true);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    doc.on('update', check);
  });
}
