// Comment threads on cells: reading and writing them in the notebook's Y.Doc.
//
// Why in the same document (the `comments` root, schema.ts) and not in the
// database: a thread's anchor is a pair of Yjs relative positions into a cell's
// source Y.Text (comment-anchors.ts), and those only resolve against the doc that
// holds the text; living in the doc also makes threads live for everyone over
// the socket that already carries the notebook, stored, versioned and compacted
// with it. They stay apart from the notebook itself: nbformat export, the kernel
// bridge and the cell schema read only `cells` and `meta`. The collab server
// checks every change to this root against the sender's role and identity
// (comment-check.ts), exactly as it checks cells.
//
// Shape (keys in schema.ts): comments: Y.Map<threadId, Y.Map thread>
//   thread:  id, anchor (CommentAnchor, JSON), author {userId, name}, createdAt,
//            resolved: boolean, comments: Y.Array<Y.Map comment> (never shrinks)
//   comment: id, author {userId, name}, body (markdown, ≤ maxCommentBodyChars),
//            createdAt, editedAt: number | null, deleted: boolean,
//            reactions: Y.Map<"<emoji> <userId>", true>,
//            mentions: userIds named with @ in the body (≤ maxMentionsPerComment)
// A deleted comment stays in its thread (body emptied, `deleted` set) so replies
// keep their place; a reaction is one key per person and emoji, so two people
// reacting at once both count. Every write runs in one transaction.
import * as Y from 'yjs';
import { CommentKey, commentsOf, ThreadKey, type YThread } from './schema';

/** The longest comment body, in characters (UTF-16 units). */
export const maxCommentBodyChars = 10_000;
/** The most comments one thread holds. */
export const maxCommentsPerThread = 500;
/** The most threads one notebook holds. */
export const maxThreadsPerNotebook = 5_000;
/** The longest quote kept with an anchor (the start of the selected text). */
export const maxQuoteChars = 500;
/** The most people one comment mentions. */
export const maxMentionsPerComment = 20;
/** The reactions a comment may receive. */
export const reactionEmoji = ['👍', '❤️', '🎉', '😄', '😕', '👀'] as const;
export type ReactionEmoji = (typeof reactionEmoji)[number];

/** A person as a comment names them: the id and name of the token that wrote it. */
export interface CommentAuthor {
  userId: string;
  name: string;
}

/**
 * Where a thread points. `source`: a range of a cell's source (relative
 * positions, base64); `output`: one line of one output (outputs are rewritten on
 * every run, so by index); `cell`: the whole cell. `quote` is the text selected
 * when the thread began, shown when the text itself is gone.
 */
export type CommentAnchor =
  | { cellId: string; kind: 'source'; start: string; end: string; quote: string }
  | { cellId: string; kind: 'output'; outputIndex: number; line: number; quote: string }
  | { cellId: string; kind: 'cell'; quote: string };

export interface CommentView {
  id: string;
  author: CommentAuthor;
  body: string;
  createdAt: number;
  editedAt: number | null;
  deleted: boolean;
  /** The userIds the comment mentions. */
  mentions: string[];
  /** emoji → the userIds that reacted with it (only emoji someone used). */
  reactions: Partial<Record<ReactionEmoji, string[]>>;
}

export interface ThreadView {
  id: string;
  anchor: CommentAnchor;
  author: CommentAuthor;
  createdAt: number;
  resolved: boolean;
  comments: CommentView[];
}

/** A random id for a thread or a comment (letters and digits). */
export function newCommentId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let id = '';
  for (const b of crypto.getRandomValues(new Uint8Array(16))) id += alphabet[b % alphabet.length];
  return id;
}

/** The key of one person's reaction in a comment's `reactions` map. */
export function reactionKey(emoji: string, userId: string): string {
  return `${emoji} ${userId}`;
}

/** The emoji and userId of a reaction key, or null when it is not one. */
export function parseReactionKey(key: string): { emoji: ReactionEmoji; userId: string } | null {
  const space = key.indexOf(' ');
  if (space < 0) return null;
  const emoji = key.slice(0, space);
  if (!(reactionEmoji as readonly string[]).includes(emoji)) return null;
  return { emoji: emoji as ReactionEmoji, userId: key.slice(space + 1) };
}

function createComment(
  id: string, author: CommentAuthor, body: string, now: number, mentions: readonly string[], reactions = new Y.Map<true>(),
): Y.Map<unknown> {
  const comment = new Y.Map<unknown>();
  comment.set(CommentKey.id, id);
  comment.set(CommentKey.author, { userId: author.userId, name: author.name });
  comment.set(CommentKey.body, body);
  comment.set(CommentKey.createdAt, now);
  comment.set(CommentKey.editedAt, null);
  comment.set(CommentKey.deleted, false);
  comment.set(CommentKey.reactions, reactions);
  comment.set(CommentKey.mentions, [...new Set(mentions)]);
  return comment;
}

/** Starts a thread with its first comment; returns the thread's id. */
export function startThread(
  doc: Y.Doc,
  input: { anchor: CommentAnchor; author: CommentAuthor; body: string; mentions?: readonly string[]; now?: number; id?: string },
  origin?: unknown,
): string {
  const id = input.id ?? newCommentId();
  const now = input.now ?? Date.now();
  doc.transact(() => {
    const thread = new Y.Map<unknown>();
    thread.set(ThreadKey.id, id);
    thread.set(ThreadKey.anchor, input.anchor);
    thread.set(ThreadKey.author, { userId: input.author.userId, name: input.author.name });
    thread.set(ThreadKey.createdAt, now);
    thread.set(ThreadKey.resolved, false);
    const comments = new Y.Array<Y.Map<unknown>>();
    comments.push([createComment(newCommentId(), input.author, input.body, now, input.mentions ?? [])]);
    thread.set(ThreadKey.comments, comments);
    commentsOf(doc).set(id, thread);
  }, origin);
  return id;
}

function threadMap(doc: Y.Doc, threadId: string): YThread {
  const thread = commentsOf(doc).get(threadId);
  if (!(thread instanceof Y.Map)) throw new Error(`no thread ${threadId}`);
  return thread;
}

function commentList(thread: YThread): Y.Array<Y.Map<unknown>> {
  return thread.get(ThreadKey.comments) as Y.Array<Y.Map<unknown>>;
}

function commentMap(doc: Y.Doc, threadId: string, commentId: string): Y.Map<unknown> {
  const comment = commentList(threadMap(doc, threadId)).toArray().find((c) => c.get(CommentKey.id) === commentId);
  if (!comment) throw new Error(`no comment ${commentId} in thread ${threadId}`);
  return comment;
}

/** Adds a reply to a thread; returns the comment's id. */
export function replyToThread(doc: Y.Doc, threadId: string, author: CommentAuthor, body: string, origin?: unknown, mentions: readonly string[] = []): string {
  const id = newCommentId();
  doc.transact(() => commentList(threadMap(doc, threadId)).push([createComment(id, author, body, Date.now(), mentions)]), origin);
  return id;
}

export function editComment(doc: Y.Doc, threadId: string, commentId: string, body: string, origin?: unknown, mentions?: readonly string[]): void {
  doc.transact(() => {
    const comment = commentMap(doc, threadId, commentId);
    comment.set(CommentKey.body, body);
    if (mentions) comment.set(CommentKey.mentions, [...new Set(mentions)]);
    comment.set(CommentKey.editedAt, Date.now());
  }, origin);
}

/** Marks a comment deleted and empties it (it keeps its place in the thread). */
export function deleteComment(doc: Y.Doc, threadId: string, commentId: string, origin?: unknown): void {
  doc.transact(() => {
    const comment = commentMap(doc, threadId, commentId);
    comment.set(CommentKey.body, '');
    comment.set(CommentKey.deleted, true);
  }, origin);
}

export function setThreadResolved(doc: Y.Doc, threadId: string, resolved: boolean, origin?: unknown): void {
  doc.transact(() => threadMap(doc, threadId).set(ThreadKey.resolved, resolved), origin);
}

/** Adds `userId`'s reaction with `emoji`, or takes it back when it is there. */
export function toggleReaction(doc: Y.Doc, threadId: string, commentId: string, emoji: ReactionEmoji, userId: string, origin?: unknown): void {
  doc.transact(() => {
    const reactions = commentMap(doc, threadId, commentId).get(CommentKey.reactions) as Y.Map<true>;
    const key = reactionKey(emoji, userId);
    if (reactions.has(key)) reactions.delete(key);
    else reactions.set(key, true);
  }, origin);
}

/** A thread as plain data, or null when the map is not a well-formed thread. */
export function threadView(thread: unknown): ThreadView | null {
  if (!(thread instanceof Y.Map)) return null;
  const comments = thread.get(ThreadKey.comments);
  if (!(comments instanceof Y.Array)) return null;
  return {
    id: String(thread.get(ThreadKey.id)),
    anchor: thread.get(ThreadKey.anchor) as CommentAnchor,
    author: thread.get(ThreadKey.author) as CommentAuthor,
    createdAt: Number(thread.get(ThreadKey.createdAt)),
    resolved: thread.get(ThreadKey.resolved) === true,
    comments: comments.toArray().filter((c): c is Y.Map<unknown> => c instanceof Y.Map).map(commentView),
  };
}

function commentView(comment: Y.Map<unknown>): CommentView {
  const reactions: Partial<Record<ReactionEmoji, string[]>> = {};
  const map = comment.get(CommentKey.reactions);
  if (map instanceof Y.Map) {
    for (const key of [...map.keys()].sort()) {
      const parsed = parseReactionKey(key);
      if (parsed) (reactions[parsed.emoji] ??= []).push(parsed.userId);
    }
  }
  const editedAt = comment.get(CommentKey.editedAt);
  const mentions = comment.get(CommentKey.mentions);
  return {
    id: String(comment.get(CommentKey.id)),
    author: comment.get(CommentKey.author) as CommentAuthor,
    body: String(comment.get(CommentKey.body) ?? ''),
    createdAt: Number(comment.get(CommentKey.createdAt)),
    editedAt: typeof editedAt === 'number' ? editedAt : null,
    deleted: comment.get(CommentKey.deleted) === true,
    mentions: Array.isArray(mentions) ? mentions.filter((m): m is string => typeof m === 'string') : [],
    reactions,
  };
}

/** Every thread of the notebook, oldest first. */
export function readThreads(doc: Y.Doc): ThreadView[] {
  const threads: ThreadView[] = [];
  for (const thread of commentsOf(doc).values()) {
    const view = threadView(thread);
    if (view) threads.push(view);
  }
  return threads.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

/** A person who may be mentioned: someone with access to the notebook. */
export interface Mentionable {
  userId: string;
  name: string;
}

/**
 * The people `body` mentions: each `@Name` naming one of `people` (longest
 * names first, so "@Ada Lovelace" is not taken for "@Ada"), in order, once each.
 */
export function mentionsIn(body: string, people: readonly Mentionable[]): string[] {
  const byLength = [...people].filter((p) => p.name).sort((a, b) => b.name.length - a.name.length);
  const found: string[] = [];
  for (let at = body.indexOf('@'); at >= 0; at = body.indexOf('@', at + 1)) {
    if (at > 0 && /[\w.]/.test(body[at - 1])) continue; // an e-mail address, not a mention
    const rest = body.slice(at + 1);
    const person = byLength.find((p) => rest.startsWith(p.name) && !/[\w]/.test(rest.charAt(p.name.length)));
    if (person && !found.includes(person.userId)) found.push(person.userId);
  }
  return found.slice(0, maxMentionsPerComment);
}

/** A new thread map holding everything of `view` (ids, authors, times, reactions, mentions kept). */
function threadFromView(view: ThreadView): YThread {
  const thread = new Y.Map<unknown>();
  thread.set(ThreadKey.id, view.id);
  thread.set(ThreadKey.anchor, view.anchor);
  thread.set(ThreadKey.author, view.author);
  thread.set(ThreadKey.createdAt, view.createdAt);
  thread.set(ThreadKey.resolved, view.resolved);
  const comments = new Y.Array<Y.Map<unknown>>();
  comments.push(view.comments.map((c) => {
    // A type not yet in a document cannot be read back (Yjs), so the reactions are filled before the comment holds them.
    const reactions = new Y.Map<true>();
    for (const [emoji, userIds] of Object.entries(c.reactions)) for (const userId of userIds ?? []) reactions.set(reactionKey(emoji, userId), true);
    const comment = createComment(c.id, c.author, c.body, c.createdAt, c.mentions, reactions);
    comment.set(CommentKey.editedAt, c.editedAt);
    comment.set(CommentKey.deleted, c.deleted);
    return comment;
  }));
  thread.set(ThreadKey.comments, comments);
  return thread;
}

/**
 * Copies every thread of `from` into `into`, replacing a thread of the same id
 * there (`from` is taken as the newer). Used where a document is rebuilt from
 * another (a restored version, a fork asked to carry its comments): anchors
 * into text `into` also holds keep resolving; the others fall back to their
 * quote or say their text is gone.
 */
export function copyThreads(from: Y.Doc, into: Y.Doc, origin?: unknown): number {
  const threads = readThreads(from);
  into.transact(() => {
    const target = commentsOf(into);
    for (const view of threads) target.set(view.id, threadFromView(view));
  }, origin);
  return threads.length;
}
