// The page's view of the notebook's comment threads: every thread as plain data
// with where its anchor points now, recomputed when a thread changes and (a
// little later, at most a few times a second) when the text they point into
// changes. Writing goes through `CommentsUi`'s actions, each one Yjs
// transaction under the comments origin (never the cells' undo history); the
// view is only ever read from the document, so everyone's page shows the same.
import * as Y from 'yjs';
import { commentsOf } from '../../notebook-model';
import { resolveAnchor, type ResolvedAnchor } from '../../notebook-model/comment-anchors';
import {
  deleteComment, editComment, readThreads, replyToThread, setThreadResolved, startThread, toggleReaction,
  mentionsIn, type CommentAnchor, type CommentAuthor, type Mentionable, type ReactionEmoji, type ThreadView,
} from '../../notebook-model/comments';
import { ObservableValue } from '../hooks/observable-value';
import { ReadMarks } from './read-marks';

export interface ThreadsSnapshot {
  threads: ThreadView[];
  /** Where each thread's anchor points now, by thread id. */
  anchors: ReadonlyMap<string, ResolvedAnchor>;
}

/** How long text edits may go without refreshing the anchors (threads themselves refresh at once). */
const anchorRefreshMs = 250;

/** One cell's threads (and their anchors), the same object for as long as they do not change. */
export interface CellThreads {
  threads: ThreadView[];
  anchors: ReadonlyMap<string, ResolvedAnchor>;
}

const noThreads: CellThreads = { threads: [], anchors: new Map() };

export class CommentThreads extends ObservableValue<ThreadsSnapshot> {
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Per cell: what its threads looked like (JSON) and the object handed out for them. */
  private byCell = new Map<string, { key: string; value: CellThreads }>();
  private readonly cleanups: (() => void)[] = [];

  constructor(private readonly doc: Y.Doc) {
    super({ threads: [], anchors: new Map() });
    const comments = commentsOf(doc);
    const onThreads = () => this.refresh();
    comments.observeDeep(onThreads);
    const onUpdate = () => {
      if (this.timer || !this.value.threads.length) return;
      this.timer = setTimeout(() => { this.timer = null; this.refresh(); }, anchorRefreshMs);
    };
    doc.on('update', onUpdate);
    this.cleanups.push(() => comments.unobserveDeep(onThreads), () => doc.off('update', onUpdate));
    this.refresh();
  }

  private refresh(): void {
    const threads = readThreads(this.doc);
    const anchors = new Map<string, ResolvedAnchor>();
    for (const thread of threads) anchors.set(thread.id, resolveAnchor(this.doc, thread.anchor));
    this.byCell = this.cellsOf(threads, anchors);
    this.set({ threads, anchors });
  }

  /**
   * One cell's threads; a cell re-renders only when they changed (a keystroke
   * elsewhere refreshes every anchor, and a notebook may have thousands of cells).
   */
  forCell(cellId: string): CellThreads {
    return this.byCell.get(cellId)?.value ?? noThreads;
  }

  private cellsOf(threads: ThreadView[], anchors: Map<string, ResolvedAnchor>): Map<string, { key: string; value: CellThreads }> {
    const grouped = new Map<string, ThreadView[]>();
    for (const thread of threads) grouped.set(thread.anchor.cellId, [...(grouped.get(thread.anchor.cellId) ?? []), thread]);
    const next = new Map<string, { key: string; value: CellThreads }>();
    for (const [cellId, cellThreads] of grouped) {
      const cellAnchors = new Map(cellThreads.map((t) => [t.id, anchors.get(t.id)!]));
      const key = JSON.stringify([cellThreads, [...cellAnchors]]);
      const previous = this.byCell.get(cellId);
      next.set(cellId, previous?.key === key ? previous : { key, value: { threads: cellThreads, anchors: cellAnchors } });
    }
    return next;
  }

  destroy(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const cleanup of this.cleanups) cleanup();
  }
}

/** Which thread the page shows open (from the panel, a marker or the presenter's questions). */
export class OpenThread extends ObservableValue<{ cellId: string; threadId: string | null } | null> {
  constructor() {
    super(null);
  }

  open(cellId: string, threadId: string | null): void {
    this.set({ cellId, threadId });
  }

  close(): void {
    this.set(null);
  }
}

/** Everything the comments UI of one page needs: the threads, who is writing, what they may do. */
export class CommentsUi {
  readonly threads: CommentThreads;
  readonly opened = new OpenThread();
  readonly readMarks: ReadMarks;
  /** The transaction origin of comment changes made on this page. */
  readonly origin = { source: 'cellmate:comments' };

  constructor(
    readonly doc: Y.Doc,
    readonly me: CommentAuthor,
    /** May write (a commenter, an editor, an owner). */
    readonly canComment: boolean,
    /** May delete anyone's comment (the owner). */
    readonly canModerate: boolean,
    notebookId: string,
    /** Who may be mentioned with @ (the notebook's members). */
    readonly people: readonly Mentionable[] = [],
  ) {
    this.threads = new CommentThreads(doc);
    this.readMarks = new ReadMarks(notebookId, me.userId);
  }

  start(anchor: CommentAnchor, body: string): string {
    return startThread(this.doc, { anchor, author: this.me, body, mentions: mentionsIn(body, this.people) }, this.origin);
  }

  reply(threadId: string, body: string): void {
    replyToThread(this.doc, threadId, this.me, body, this.origin, mentionsIn(body, this.people));
  }

  edit(threadId: string, commentId: string, body: string): void {
    editComment(this.doc, threadId, commentId, body, this.origin, mentionsIn(body, this.people));
  }

  remove(threadId: string, commentId: string): void {
    deleteComment(this.doc, threadId, commentId, this.origin);
  }

  resolve(threadId: string, resolved: boolean): void {
    setThreadResolved(this.doc, threadId, resolved, this.origin);
  }

  react(threadId: string, commentId: string, emoji: ReactionEmoji): void {
    toggleReaction(this.doc, threadId, commentId, emoji, this.me.userId, this.origin);
  }

  destroy(): void {
    this.threads.destroy();
  }
}
