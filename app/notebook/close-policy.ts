// What an open page does when the collab server ends its connection for good.
// The y-websocket client stops reconnecting on close codes 4400–4499 (and only
// on those); the server picks the code (notebook-model/service-protocol.ts):
//
//   4409  the document was replaced (re-import, restore) or our epoch is stale:
//         reload, so old history is never merged into the new document
//   4403  the token expired or was withdrawn: ask the app for a fresh one
//   4404  the notebook was deleted
//   4413/4414  a change of ours was too large, or would make the notebook too
//         large: say so in words a person can act on, stop
//   other the server refused for a reason it states; show it, stop
//
// Upgrade refusals (HTTP 401/403/404) reach a browser only as a failed socket
// (close 1006, never opened), indistinguishable from a network fault; the
// session handles those by asking the app after a few failed attempts.

import { closeCodes } from '../../notebook-model/service-protocol';

export type CloseAction =
  | { kind: 'reload' }
  | { kind: 'refresh-access' }
  | { kind: 'stop'; message: string };

export function actionForClose(code: number, reason: string): CloseAction {
  switch (code) {
    case closeCodes.documentReplaced: return { kind: 'reload' };
    case closeCodes.accessWithdrawn: return { kind: 'refresh-access' };
    case closeCodes.notebookGone: return { kind: 'stop', message: NOTEBOOK_DELETED };
    case closeCodes.updateTooLarge: return { kind: 'stop', message: CHANGE_TOO_LARGE };
    case closeCodes.documentTooLarge: return { kind: 'stop', message: NOTEBOOK_TOO_LARGE };
    default: return { kind: 'stop', message: `The collaboration server closed this notebook${reason ? `: ${reason}` : ''} (code ${code}).` };
  }
}

export const NOTEBOOK_DELETED = 'This notebook was deleted. Your unsaved changes here are not kept anywhere else.';

const CHANGE_TOO_LARGE = 'Your last change was larger than the server accepts at once (a very large paste, say) and was not saved. '
  + 'Reload the page to continue from the shared notebook, and add large content in smaller pieces.';
const NOTEBOOK_TOO_LARGE = 'This notebook has reached its size limit, so your last change was not saved. '
  + 'Reload the page, then clear large outputs or remove content before adding more.';

/** Failed connection attempts in a row after which the page asks the app whether its access still holds. */
export const CHECK_ACCESS_AFTER_FAILURES = 3;
