// The check between a client's update and storage: would the notebook still be
// inside the schema (notebook-model/schema-check.ts) with this update in it?
//
// The gate keeps a candidate Y.Doc: the room's document plus every update
// accepted but not yet stored (the room's doc only takes updates once they are
// stored). An update is applied to the candidate inside one transaction and only
// what that transaction changed is checked, so a keystroke costs one more
// `applyUpdate` and a parent walk. A refused update has already landed in the
// candidate (Yjs cannot take it back), so the candidate is rebuilt from the
// room's document and the accepted updates still on their way to storage.
import * as Y from 'yjs';
import { transactionProblems, type SchemaProblem } from '../notebook-model/schema-check';

export class SchemaGate {
  private candidate = new Y.Doc();

  /** `accepted()` lists the updates accepted but not yet in the room's doc, in order. */
  constructor(private readonly roomDoc: Y.Doc, private readonly accepted: () => Uint8Array[]) {
    this.rebuild();
  }

  /** Applies `update` to the candidate; returns the schema problems it would cause (then it is undone). */
  check(update: Uint8Array): SchemaProblem[] {
    let problems: SchemaProblem[] = [];
    try {
      this.candidate.transact((transaction) => {
        Y.applyUpdate(this.candidate, update);
        problems = transactionProblems(this.candidate, transaction);
      });
    } catch (err) {
      problems = [{ path: 'update', problem: `cannot be applied (${(err as Error).message})` }];
    }
    if (problems.length) this.rebuild();
    return problems;
  }

  /** An update the server made itself (a repair) or applied without a check. */
  applyTrusted(update: Uint8Array): void {
    Y.applyUpdate(this.candidate, update);
  }

  /** Starts over from the room's doc plus the accepted updates (after a refusal or a failed store). */
  rebuild(): void {
    this.candidate.destroy();
    this.candidate = new Y.Doc({ gc: this.roomDoc.gc });
    this.candidate.transact(() => {
      Y.applyUpdate(this.candidate, Y.encodeStateAsUpdate(this.roomDoc));
      for (const update of this.accepted()) Y.applyUpdate(this.candidate, update);
    });
  }

  destroy(): void {
    this.candidate.destroy();
  }
}
