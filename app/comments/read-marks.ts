// Which comments this person has read in this notebook, kept in the browser's
// localStorage per notebook and per person (two people sharing a browser keep
// their own), so the unread count survives reloads. A comment is read once its
// thread was open on screen; one's own comments are never unread.
import type { ThreadView } from '../../notebook-model/comments';
import { ObservableValue } from '../hooks/observable-value';

/** The most comment ids remembered per notebook and person (the oldest are forgotten first). */
const maxRemembered = 5_000;

export class ReadMarks extends ObservableValue<ReadonlySet<string>> {
  private readonly key: string;

  constructor(notebookId: string, private readonly userId: string) {
    super(new Set());
    this.key = `cellmate:comments-read:${notebookId}:${userId}`;
    this.set(new Set(this.load()));
  }

  private load(): string[] {
    try {
      const stored: unknown = typeof localStorage === 'undefined' ? null : JSON.parse(localStorage.getItem(this.key) ?? '[]');
      return Array.isArray(stored) ? stored.filter((id): id is string => typeof id === 'string') : [];
    } catch {
      return [];
    }
  }

  /** True when `commentId` of someone else is still to be read. */
  isUnread(thread: ThreadView, commentId: string): boolean {
    const comment = thread.comments.find((c) => c.id === commentId);
    return !!comment && !comment.deleted && comment.author.userId !== this.userId && !this.value.has(comment.id);
  }

  /** Comments by others, not deleted, not yet read, in these threads. */
  unreadIn(threads: readonly ThreadView[]): number {
    let count = 0;
    for (const thread of threads) for (const comment of thread.comments) if (this.isUnread(thread, comment.id)) count++;
    return count;
  }

  /** Unread comments in these threads that mention `userId`. */
  unreadMentionsIn(threads: readonly ThreadView[]): number {
    let count = 0;
    for (const thread of threads) {
      for (const comment of thread.comments) if (comment.mentions.includes(this.userId) && this.isUnread(thread, comment.id)) count++;
    }
    return count;
  }

  markRead(thread: ThreadView): void {
    const unread = thread.comments.filter((c) => !this.value.has(c.id)).map((c) => c.id);
    if (!unread.length) return;
    const ids = [...this.value, ...unread].slice(-maxRemembered);
    this.set(new Set(ids));
    try {
      localStorage.setItem(this.key, JSON.stringify(ids));
    } catch {
      // Storage full or forbidden: the count is then kept for this page only.
    }
  }
}
