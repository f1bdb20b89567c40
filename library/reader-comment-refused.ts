// The one error of reader comments (reader-comments.ts), apart from it so the
// app's refusal mapping need not load the websocket client to recognise it.

/** A reader's comment the page cannot take, with words the reader can act on. */
export class ReaderCommentRefused extends Error {
  constructor(readonly status: 400 | 403 | 404 | 503, message: string) {
    super(message);
    this.name = 'ReaderCommentRefused';
  }
}
