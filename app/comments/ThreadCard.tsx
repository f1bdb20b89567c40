'use client';
// One comment thread: what it is about (the quoted text, and a note when that
// text is gone), its comments rendered as markdown by the notebook's one
// renderer (sanitised), reactions, and what this person may do: reply, edit or
// delete their own comments (an owner deletes any), resolve or reopen, react.
// Showing a thread marks its comments read for this person.
import { useEffect, useMemo, useState, type JSX } from 'react';
import type { ResolvedAnchor } from '../../notebook-model/comment-anchors';
import { reactionEmoji, type CommentView, type ThreadView } from '../../notebook-model/comments';
import { markdownToHtml } from '../../notebook-model/render/markdown-to-html';
import { formatTimestamp } from '../../library/timestamps';
import { CommentForm } from './CommentForm';
import type { CommentsUi } from './comment-threads';

export function ThreadCard(props: { thread: ThreadView; anchor: ResolvedAnchor | undefined; ui: CommentsUi }): JSX.Element {
  const { thread, anchor, ui } = props;
  useEffect(() => ui.readMarks.markRead(thread), [ui, thread]);
  return (
    <article className="comment-thread" data-testid="comment-thread" data-thread-id={thread.id} data-resolved={thread.resolved ? 'true' : 'false'}>
      <header className="comment-thread-anchor">
        {thread.anchor.quote && <q data-testid="thread-quote">{thread.anchor.quote}</q>}
        {anchor?.state === 'gone' && (
          <p className="comment-anchor-gone" data-testid="thread-anchor-gone">The text this thread was about has been deleted.</p>
        )}
        {thread.resolved && <span className="comment-resolved-badge" data-testid="thread-resolved">resolved</span>}
      </header>
      <ol className="comment-list">
        {thread.comments.map((comment) => <CommentItem key={comment.id} thread={thread} comment={comment} ui={ui} />)}
      </ol>
      {ui.canComment && (
        <footer className="comment-thread-actions">
          {!thread.resolved && <CommentForm ui={ui} submitLabel="Reply" testId="reply" onSubmit={(body) => ui.reply(thread.id, body)} />}
          <button type="button" data-testid={thread.resolved ? 'reopen-thread' : 'resolve-thread'} onClick={() => ui.resolve(thread.id, !thread.resolved)}>
            {thread.resolved ? 'Reopen' : 'Resolve'}
          </button>
        </footer>
      )}
    </article>
  );
}

function CommentItem(props: { thread: ThreadView; comment: CommentView; ui: CommentsUi }): JSX.Element {
  const { thread, comment, ui } = props;
  const [editing, setEditing] = useState(false);
  const html = useMemo(() => markdownToHtml(comment.body), [comment.body]);
  const own = comment.author.userId === ui.me.userId;
  const unread = ui.readMarks.isUnread(thread, comment.id);
  return (
    <li
      className={comment.mentions.includes(ui.me.userId) ? 'comment mentions-me' : 'comment'} data-testid="comment" data-comment-id={comment.id}
      data-author={comment.author.name} data-deleted={comment.deleted ? 'true' : undefined} data-mentions-me={comment.mentions.includes(ui.me.userId) ? 'true' : undefined}
    >
      <div className="comment-meta">
        <strong>{comment.author.name}</strong>{' '}
        <time dateTime={new Date(comment.createdAt).toISOString()}>{formatTimestamp(new Date(comment.createdAt))}</time>
        {comment.editedAt !== null && !comment.deleted && <span className="comment-edited"> (edited)</span>}
        {unread && <span className="comment-unread-dot" aria-label="unread"> •</span>}
      </div>
      {comment.deleted ? <p className="comment-deleted">This comment was deleted.</p> : editing ? (
        <CommentForm ui={ui} initial={comment.body} submitLabel="Save" testId="edit" onSubmit={(body) => { ui.edit(thread.id, comment.id, body); setEditing(false); }} onCancel={() => setEditing(false)} />
      ) : (
        <div className="comment-body rendered-markdown" data-testid="comment-body" dangerouslySetInnerHTML={{ __html: html }} />
      )}
      {!comment.deleted && (
        <div className="comment-tools">
          {reactionEmoji.map((emoji) => {
            const people = comment.reactions[emoji] ?? [];
            const mine = people.includes(ui.me.userId);
            if (!people.length && !ui.canComment) return null;
            return (
              <button
                key={emoji} type="button" className={people.length ? 'comment-reaction used' : 'comment-reaction'}
                data-testid="comment-reaction" data-emoji={emoji} data-count={people.length} aria-pressed={mine}
                disabled={!ui.canComment} onClick={() => ui.react(thread.id, comment.id, emoji)}
              >
                {emoji}{people.length > 0 && ` ${people.length}`}
              </button>
            );
          })}
          {own && ui.canComment && !editing && <button type="button" data-testid="edit-comment" onClick={() => setEditing(true)}>Edit</button>}
          {(own || ui.canModerate) && ui.canComment && <button type="button" data-testid="delete-comment" onClick={() => ui.remove(thread.id, comment.id)}>Delete</button>}
        </div>
      )}
    </li>
  );
}
