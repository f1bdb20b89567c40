// What an open page does when the collab server ends its connection for good.
// The y-websocket client stops reconnecting on close codes 4400–4499 (and only
// on those); the server picks the code (notebook-model/service-protocol.ts):
//
//   4409  the document was replaced (re-import, restore) or our epoch is stale:
//         reload, so old history is never merged into the new document
//   4403  the token expired or was withdrawn: ask the app for a fresh one
//   4404  the notebook was deleted
//   other the server refused for a reason it states; say what happened in
//         words (the limits and floods below), with the server's reason, and stop
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
    default: {
      const detail = `${reason ? `: ${reason}` : ''} (code ${code})`;
      const sentence = SENTENCES[code];
      if (!sentence) return { kind: 'stop', message: `The collaboration server closed this notebook${detail}.` };
      const advice = ADVICE[code] ? ` ${ADVICE[code]}` : '';
      return { kind: 'stop', message: `${sentence} (${reason || 'no detail given'}, code ${code}). ${RELOAD_HINT}${advice}` };
    }
  }
}

const RELOAD_HINT = 'Reload the page to continue from the shared copy.';

/** What a person is told for the refusals their own page can cause (the server's reason follows). */
const SENTENCES: Partial<Record<number, string>> = {
  [closeCodes.malformedMessage]: 'The collaboration server could not read what this page sent, and disconnected it',
  [closeCodes.updateTooLarge]: 'Your last change was too large for the collaboration server to take in one piece, and was not saved',
  [closeCodes.documentTooLarge]: 'Your last change would make this notebook larger than the server allows, and was not saved',
  [closeCodes.awarenessStateTooLarge]: 'Your presence (cursor and selection) was too large to share, and the server disconnected this page',
  [closeCodes.awarenessRateExceeded]: 'This page sent cursor updates faster than the server allows, and was disconnected',
};

/** What to do differently, where the person can (after reloading). */
const ADVICE: Partial<Record<number, string>> = {
  [closeCodes.updateTooLarge]: 'Add large content (a very large paste, say) in smaller pieces.',
  [closeCodes.documentTooLarge]: 'Clear large outputs or remove content before adding more.',
};

/**
 * What a person is told when the server refused one of their edits without
 * closing (a y-websocket "permission denied", whose reason the server writes:
 * a role that cannot edit, a change that would break the notebook). The page's
 * copy now holds an edit the shared notebook never will.
 */
export function refusedEditMessage(reason: string): string {
  return `The collaboration server did not accept your last change${reason ? ` (${reason})` : ''}; it was not saved. ${RELOAD_HINT}`;
}

export const NOTEBOOK_DELETED = 'This notebook was deleted. Your unsaved changes here are not kept anywhere else.';

/** Failed connection attempts in a row after which the page asks the app whether its access still holds. */
export const CHECK_ACCESS_AFTER_FAILURES = 3;
