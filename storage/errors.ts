// Errors the storage layer promises to its callers. Both carry the notebook id so
// a route or the collab server can turn them into a precise response.

/** The notebook does not exist (never created, or deleted). */
export class NotFoundError extends Error {
  readonly notebookId: string;
  constructor(notebookId: string) {
    super(`Notebook "${notebookId}" does not exist (it may have been deleted).`);
    this.name = 'NotFoundError';
    this.notebookId = notebookId;
  }
}

/**
 * The writer holds an older epoch than the stored document: the document was
 * replaced wholesale (restore, re-import) since the writer loaded it, so its
 * updates no longer apply. The writer must reload the document.
 */
export class EpochMismatchError extends Error {
  readonly notebookId: string;
  readonly expected: string;
  readonly actual: string;
  constructor(notebookId: string, expected: string, actual: string) {
    super(`Notebook "${notebookId}" was replaced (epoch ${actual}, writer has ${expected}); reload the document before writing.`);
    this.name = 'EpochMismatchError';
    this.notebookId = notebookId;
    this.expected = expected;
    this.actual = actual;
  }
}

/** The notebook already has a live workshop; end it before starting another. */
export class WorkshopLiveError extends Error {
  readonly notebookId: string;
  constructor(notebookId: string) {
    super('A workshop is already running on this notebook; end it before starting another.');
    this.name = 'WorkshopLiveError';
    this.notebookId = notebookId;
  }
}
