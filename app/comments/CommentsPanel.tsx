'use client';
// The notebook's comments at a glance: a header button with this person's
// unread count, and a panel listing open and resolved threads (who, where, the
// start of the first comment, whether the anchored text is gone); choosing one
// goes to its cell and opens it there.
import { useState, type JSX } from 'react';
import type { ThreadView } from '../../notebook-model/comments';
import { useObservableValue } from '../hooks/observable-value';
import type { CommentsUi } from './comment-threads';

/** `onJump(cellId)` brings the cell into view and selects it. */
export function CommentsPanel(props: { ui: CommentsUi; onJump: (cellId: string) => void }): JSX.Element {
  const { ui } = props;
  const snapshot = useObservableValue(ui.threads, ui.threads.value);
  useObservableValue(ui.readMarks, ui.readMarks.value);
  const [open, setOpen] = useState(false);
  const [showResolved, setShowResolved] = useState(false);
  const unread = ui.readMarks.unreadIn(snapshot.threads);
  const mentionsMe = ui.readMarks.unreadMentionsIn(snapshot.threads);
  const listed = snapshot.threads.filter((t) => t.resolved === showResolved);
  const openCount = snapshot.threads.filter((t) => !t.resolved).length;

  const jump = (thread: ThreadView) => {
    setOpen(false); // out of the way of the thread it opens
    props.onJump(thread.anchor.cellId);
    ui.opened.open(thread.anchor.cellId, thread.id);
  };

  return (
    <div className="comments-panel-anchor">
      <button type="button" className="comments-toggle" data-testid="comments-toggle" data-unread={unread} data-open-threads={openCount} aria-expanded={open} onClick={() => setOpen(!open)}>
        Comments{openCount > 0 && ` (${openCount})`}
        {unread > 0 && <span className="comments-unread" data-testid="comments-unread">{unread}</span>}
        {mentionsMe > 0 && <span className="comments-mentions" data-testid="comments-mentions-me" title="Unread comments that mention you">@{mentionsMe}</span>}
      </button>
      {open && (
        <aside className="comments-panel" data-testid="comments-panel" aria-label="Comments">
          <div className="comments-panel-tabs" role="tablist">
            <button type="button" role="tab" aria-selected={!showResolved} data-testid="comments-open-tab" onClick={() => setShowResolved(false)}>Open</button>
            <button type="button" role="tab" aria-selected={showResolved} data-testid="comments-resolved-tab" onClick={() => setShowResolved(true)}>Resolved</button>
          </div>
          {listed.length === 0 && <p className="comments-empty">{showResolved ? 'No resolved threads.' : 'No open threads.'}</p>}
          <ul>
            {listed.map((thread) => {
              const anchor = snapshot.anchors.get(thread.id);
              const first = thread.comments[0];
              const threadUnread = ui.readMarks.unreadIn([thread]);
              return (
                <li key={thread.id} data-testid="comments-panel-thread" data-thread-id={thread.id} data-unread={threadUnread} data-mentions-me={thread.comments.some((c) => c.mentions.includes(ui.me.userId)) ? 'true' : undefined}>
                  <button type="button" className="link-button" onClick={() => jump(thread)}>
                    <strong>{thread.author.name}</strong>
                    {' — '}{anchor && anchor.state === 'live' ? `cell ${anchor.cellIndex + 1}` : anchor?.cellIndex != null ? `cell ${anchor.cellIndex + 1}, text deleted` : 'a deleted cell'}
                    {threadUnread > 0 && <span className="comments-unread">{threadUnread}</span>}
                    <span className="comments-panel-excerpt">{first?.deleted ? 'deleted' : excerpt(first?.body ?? '')}</span>
                    {thread.comments.length > 1 && <span className="comments-panel-replies">{thread.comments.length - 1} repl{thread.comments.length === 2 ? 'y' : 'ies'}</span>}
                  </button>
                </li>
              );
            })}
          </ul>
        </aside>
      )}
    </div>
  );
}

function excerpt(body: string): string {
  const line = body.trim().split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 80)}…` : line;
}
