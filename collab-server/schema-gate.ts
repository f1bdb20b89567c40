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
// An update that cannot be integrated yet (missing dependencies) is refused too:
// it could not be checked until someone else's update completed it.
//
// Who sent the update matters too: a commenter's update may touch only the
// comment threads, and what it does there is checked against the sender's id
// and role (notebook-model/comment-check.ts).
import * as Y from 'yjs';
import { defineRoots, transactionProblems, type SchemaProblem } from '../notebook-model/schema-check';
import { addedMentions, changesOutsideComments, commentTransactionProblems, type AddedMention, type CommentActor } from '../notebook-model/comment-check';

/** The sender of an update, as the server knows them. */
export interface UpdateSender extends CommentActor {
  /** May change cells and notebook metadata (else only comments). */
  mayEdit: boolean;
}

export class SchemaGate {
  private candidate = new Y.Doc();
  /** The people the last accepted update newly mentions in comments (empty after a refusal). */
  lastMentions: AddedMention[] = [];

  /** `accepted()` lists the updates accepted but not yet in the room's doc, in order. */
  constructor(private readonly roomDoc: Y.Doc, private readonly accepted: () => Uint8Array[]) {
    this.rebuild();
  }

  /** Applies `update` to the candidate; returns the problems it would cause for `sender` (then it is undone). */
  check(update: Uint8Array, sender: UpdateSender): SchemaProblem[] {
    let problems: SchemaProblem[] = [];
    let mentions: AddedMention[] = [];
    const { store } = this.candidate;
    // Yjs merges a new gap into pending structs that already wait in place (a peer's,
    // applied trusted): their `update` is replaced then, the object is not.
    const pendingBefore = [store.pendingStructs?.update, store.pendingDs && Buffer.from(store.pendingDs).toString('base64')];
    try {
      this.candidate.transact((transaction) => {
        Y.applyUpdate(this.candidate, update);
        if (!sender.mayEdit && changesOutsideComments(this.candidate, transaction)) {
          problems = [{ path: 'cells', problem: 'your role on this notebook may comment but not edit it' }];
        } else {
          problems = [...transactionProblems(this.candidate, transaction), ...commentTransactionProblems(this.candidate, transaction, sender)];
          if (!problems.length) mentions = addedMentions(this.candidate, transaction);
        }
      });
      // An update that depends on changes the server has not seen cannot be checked
      // now, and would be checked later against someone else's innocent update that
      // completes it. Honest clients never send one (they only build on what this
      // server sent them, and a sync step 2 carries everything the server lacks).
      const pendingAfter = [store.pendingStructs?.update, store.pendingDs && Buffer.from(store.pendingDs).toString('base64')];
      if (!problems.length && (pendingAfter[0] !== pendingBefore[0] || pendingAfter[1] !== pendingBefore[1])) {
        problems = [{ path: 'update', problem: 'depends on changes the server has not seen' }];
      }
    } catch (err) {
      problems = [{ path: 'update', problem: `cannot be applied (${(err as Error).message})` }];
    }
    if (problems.length) this.rebuild();
    this.lastMentions = problems.length ? [] : mentions;
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
    // Typed roots before any content: a root first made by an update is a generic
    // type that getArray/getMap later replace, and a check would not recognise it.
    defineRoots(this.candidate);
    this.candidate.transact(() => {
      Y.applyUpdate(this.candidate, Y.encodeStateAsUpdate(this.roomDoc));
      for (const update of this.accepted()) Y.applyUpdate(this.candidate, update);
    });
  }

  destroy(): void {
    this.candidate.destroy();
  }
}
