// The published page's "comment for the author" form, when the owner allows
// reader comments: pick a cell, write markdown, send — a plain form post to
// /p/<slug>/comment, so it works without JavaScript. Someone not signed in is
// offered the sign-in instead. Server-rendered: no state of its own.
import type { JSX } from 'react';
import { maxCommentBodyChars } from '../../notebook-model/comments';
import type { NotebookJSON } from '../../notebook-model/nbformat/types';

export function ReaderCommentForm(props: { slug: string; notebook: NotebookJSON; readerName: string | null; commentedCellId?: string }): JSX.Element {
  const { slug, notebook, readerName } = props;
  const base = `/p/${encodeURIComponent(slug)}`;
  const cells = notebook.cells.filter((c) => c.id);
  return (
    <section className="reader-comments" data-testid="reader-comments" aria-label="Comment for the author">
      <h2>Comment for the author</h2>
      {props.commentedCellId && <p className="reader-comment-sent" role="status" data-testid="reader-comment-sent">Thanks — your comment was sent to the author.</p>}
      {readerName === null ? (
        <p><a href={`/sign-in?next=${encodeURIComponent(base)}`} data-testid="reader-comment-sign-in">Sign in</a> to leave a comment for the author.</p>
      ) : (
        <form method="post" action={`${base}/comment`} className="comment-form">
          <label>
            On{' '}
            <select name="cellId" data-testid="reader-comment-cell" required>
              {cells.map((cell, i) => (
                <option key={cell.id} value={cell.id}>cell {i + 1}: {firstLine(cell.source)}</option>
              ))}
            </select>
          </label>
          <textarea name="body" rows={3} maxLength={maxCommentBodyChars} required placeholder={`Markdown; the author sees it as ${readerName}`} data-testid="reader-comment-body" />
          <div className="comment-form-buttons"><button type="submit" data-testid="reader-comment-submit">Send to the author</button></div>
        </form>
      )}
    </section>
  );
}

function firstLine(source: string): string {
  const line = source.split('\n').find((l) => l.trim()) ?? '';
  return line.length > 60 ? `${line.slice(0, 60)}…` : line;
}
