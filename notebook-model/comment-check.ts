// Whether one transaction's changes to the `comments` root (comments.ts) are
// well-formed and allowed for the person who sent them: pure checks, no changes.
// The collab server's schema gate calls it for every client update, next to the
// cell schema check.
//
// Invariants it keeps, whatever a client sends:
// - a thread or comment is created with the sender as author ({userId, name}
//   exactly as their token says), and its author, id, anchor and creation time
//   never change afterwards;
// - only a comment's author edits or deletes it; an owner (`mayModerate`) may
//   also delete anyone's comment (body emptied, `deleted` set) and remove a
//   whole thread; nobody removes a comment from its thread's list;
// - anyone who may comment may resolve or reopen a thread, and add or take back
//   their own reactions (one key per person and emoji, from a fixed set);
// - sizes stay bounded (body, quote, comments per thread, threads per notebook).
// Reading what changed costs a walk over the transaction's changed types, so a
// keystroke in a cell costs nothing here.
import * as Y from 'yjs';
import { isEncodedPosition } from './comment-anchors';
import {
  maxCommentBodyChars, maxCommentsPerThread, maxMentionsPerComment, maxQuoteChars, maxThreadsPerNotebook, parseReactionKey, type CommentAuthor,
} from './comments';
import { CELL_ID_PATTERN } from './nbformat/cell-ids';
import { createdIn, rootOf, type SchemaProblem } from './schema-check';
import { CommentKey, commentsOf, ThreadKey } from './schema';

/** Who sent a transaction, as the server knows them (from their token and role). */
export interface CommentActor {
  userId: string;
  name: string;
  /** May add, edit and delete own comments, resolve threads, react. */
  mayComment: boolean;
  /** May delete anyone's comment and remove threads (the owner). */
  mayModerate: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyType = Y.AbstractType<any>;

const threadKeys = new Set<string>(Object.values(ThreadKey));
const commentKeys = new Set<string>(Object.values(CommentKey));
const idPattern = /^[a-z0-9]{1,64}$/;

/** True when `transaction` changed anything outside the `comments` root (cells, meta, or another root). */
export function changesOutsideComments(doc: Y.Doc, transaction: Y.Transaction): boolean {
  const comments = commentsOf(doc);
  for (const type of transaction.changed.keys()) if (rootOf(type)[0] !== comments) return true;
  return false;
}

/** Problems with what `transaction` did to the comments, sent by `actor`. */
export function commentTransactionProblems(doc: Y.Doc, transaction: Y.Transaction, actor: CommentActor): SchemaProblem[] {
  const root: AnyType = commentsOf(doc);
  const problems: SchemaProblem[] = [];
  const checkWhole = new Set<Y.Map<unknown>>();
  for (const [type, keys] of transaction.changed) {
    const [top, thread] = rootOf(type);
    if (top !== root) continue;
    if (!actor.mayComment) {
      problems.push({ path: 'comments', problem: 'your role on this notebook cannot comment' });
      break;
    }
    if (type === root) {
      if (keys.has(null)) problems.push({ path: 'comments', problem: 'holds list items' });
      for (const key of keys) {
        if (key === null) continue;
        const value = commentsOf(doc).get(key);
        if (value === undefined) {
          if (!actor.mayModerate) problems.push({ path: `comments.${key}`, problem: 'only the owner can remove a thread' });
        } else if (!(value instanceof Y.Map) || !createdIn(value, transaction)) {
          problems.push({ path: `comments.${key}`, problem: 'is not a thread' });
        } else {
          problems.push(...newThreadProblems(value, key, actor));
          if (commentsOf(doc).size > maxThreadsPerNotebook) problems.push({ path: 'comments', problem: `holds more than ${maxThreadsPerNotebook} threads` });
        }
      }
      continue;
    }
    if (!(thread instanceof Y.Map) || thread._item?.deleted || createdIn(thread, transaction)) continue; // checked whole where it was added
    const path = `comments.${String(thread.get(ThreadKey.id))}`;
    checkWhole.add(thread);
    problems.push(...threadChangeProblems(type, keys, thread, path, transaction, actor));
  }
  for (const thread of checkWhole) problems.push(...threadShapeProblems(thread, `comments.${String(thread.get(ThreadKey.id))}`));
  return problems;
}

/** A change inside an existing thread (its own keys, its comment list, a comment, a comment's reactions). */
function threadChangeProblems(
  type: AnyType, keys: Set<string | null>, thread: Y.Map<unknown>, path: string, transaction: Y.Transaction, actor: CommentActor,
): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const list = thread.get(ThreadKey.comments);
  if (type === thread) {
    for (const key of keys) if (key !== ThreadKey.resolved) problems.push({ path: `${path}.${String(key)}`, problem: 'cannot change once the thread exists' });
    return problems;
  }
  if (type === list && list instanceof Y.Array) {
    for (let item = list._start; item; item = item.right) {
      const added = item.id.clock >= (transaction.beforeState.get(item.id.client) ?? 0);
      if (added) {
        const comment = item.content.getContent()[0];
        if (!item.deleted) problems.push(...newCommentProblems(comment, `${path}.comments[+]`, actor));
      } else if (item.deleted && Y.isDeleted(transaction.deleteSet, item.id)) {
        problems.push({ path: `${path}.comments`, problem: 'a comment is deleted by marking it, not removed from its thread' });
      }
    }
    return problems;
  }
  const comment = type._item?.parent === list ? type : type._item?.parent;
  if (!(comment instanceof Y.Map) || comment._item?.parent !== list) return [{ path, problem: 'changed something a thread does not hold' }];
  if (createdIn(comment, transaction)) return problems; // a new comment: checked with the list
  const commentPath = `${path}.comments.${String(comment.get(CommentKey.id))}`;
  const author = comment.get(CommentKey.author) as CommentAuthor | undefined;
  const own = author?.userId === actor.userId;
  if (type === comment) {
    // A deletion empties the body too: say what was refused, the deletion.
    if (keys.has(CommentKey.deleted) && !own && !actor.mayModerate) {
      return [{ path: `${commentPath}.deleted`, problem: 'only its author or the owner can delete a comment' }];
    }
    for (const key of keys) {
      if (key === CommentKey.body || key === CommentKey.editedAt || key === CommentKey.mentions) {
        if (!own && !(actor.mayModerate && key === CommentKey.body && comment.get(CommentKey.deleted) === true && comment.get(CommentKey.body) === '')) {
          problems.push({ path: `${commentPath}.${key}`, problem: 'only its author can edit a comment' });
        }
      } else if (key !== CommentKey.deleted) {
        problems.push({ path: `${commentPath}.${String(key)}`, problem: 'cannot change once the comment exists' });
      }
    }
    return problems;
  }
  if (type === comment.get(CommentKey.reactions)) {
    for (const key of keys) {
      const reaction = key === null ? null : parseReactionKey(key);
      if (!reaction) problems.push({ path: `${commentPath}.reactions`, problem: 'holds something that is not a reaction' });
      else if (reaction.userId !== actor.userId) problems.push({ path: `${commentPath}.reactions`, problem: 'you can only add or take back your own reactions' });
    }
    return problems;
  }
  return [{ path: commentPath, problem: 'changed something a comment does not hold' }];
}

function newThreadProblems(thread: Y.Map<unknown>, key: string, actor: CommentActor): SchemaProblem[] {
  const path = `comments.${key}`;
  const problems = threadShapeProblems(thread, path);
  if (problems.length) return problems;
  if (thread.get(ThreadKey.id) !== key) problems.push({ path: `${path}.id`, problem: 'must equal the thread\'s key' });
  if (!isAuthor(thread.get(ThreadKey.author), actor)) problems.push({ path: `${path}.author`, problem: 'must be you, as your sign-in names you' });
  const comments = thread.get(ThreadKey.comments) as Y.Array<unknown>;
  if (comments.length !== 1) problems.push({ path: `${path}.comments`, problem: 'a new thread holds exactly its first comment' });
  else problems.push(...newCommentProblems(comments.get(0), `${path}.comments[0]`, actor));
  return problems;
}

function newCommentProblems(comment: unknown, path: string, actor: CommentActor): SchemaProblem[] {
  const problems = commentShapeProblems(comment, path);
  if (problems.length) return problems;
  const map = comment as Y.Map<unknown>;
  if (!isAuthor(map.get(CommentKey.author), actor)) problems.push({ path: `${path}.author`, problem: 'must be you, as your sign-in names you' });
  if (map.get(CommentKey.deleted) !== false || map.get(CommentKey.editedAt) !== null) problems.push({ path, problem: 'a new comment is neither edited nor deleted' });
  if ((map.get(CommentKey.reactions) as Y.Map<unknown>).size) problems.push({ path: `${path}.reactions`, problem: 'a new comment has no reactions' });
  return problems;
}

function isAuthor(value: unknown, actor: CommentActor): boolean {
  const author = value as Record<string, unknown> | null;
  return isPlainObject(author) && Object.keys(author).length === 2 && author.userId === actor.userId && author.name === actor.name;
}

/** Problems of a thread's shape and sizes (not who may have written it). */
export function threadShapeProblems(thread: Y.Map<unknown>, path: string): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  for (const key of thread.keys()) if (!threadKeys.has(key)) problems.push({ path: `${path}.${key}`, problem: 'is not a field of a thread' });
  const id = thread.get(ThreadKey.id);
  if (typeof id !== 'string' || !idPattern.test(id)) problems.push({ path: `${path}.id`, problem: 'must be 1–64 lowercase letters or digits' });
  problems.push(...anchorProblems(thread.get(ThreadKey.anchor), `${path}.anchor`));
  if (!isAuthorShape(thread.get(ThreadKey.author))) problems.push({ path: `${path}.author`, problem: 'must be {userId, name}' });
  if (!isTime(thread.get(ThreadKey.createdAt))) problems.push({ path: `${path}.createdAt`, problem: 'must be a time in ms' });
  if (typeof thread.get(ThreadKey.resolved) !== 'boolean') problems.push({ path: `${path}.resolved`, problem: 'must be true or false' });
  const comments = thread.get(ThreadKey.comments);
  if (!(comments instanceof Y.Array)) return [...problems, { path: `${path}.comments`, problem: 'must be a list (Y.Array)' }];
  if (comments.length > maxCommentsPerThread) problems.push({ path: `${path}.comments`, problem: `holds more than ${maxCommentsPerThread} comments` });
  comments.forEach((comment, i) => problems.push(...commentShapeProblems(comment, `${path}.comments[${i}]`)));
  return problems;
}

function commentShapeProblems(comment: unknown, path: string): SchemaProblem[] {
  if (!(comment instanceof Y.Map)) return [{ path, problem: 'is not a map' }];
  const problems: SchemaProblem[] = [];
  for (const key of comment.keys()) if (!commentKeys.has(key)) problems.push({ path: `${path}.${key}`, problem: 'is not a field of a comment' });
  const id = comment.get(CommentKey.id);
  if (typeof id !== 'string' || !idPattern.test(id)) problems.push({ path: `${path}.id`, problem: 'must be 1–64 lowercase letters or digits' });
  if (!isAuthorShape(comment.get(CommentKey.author))) problems.push({ path: `${path}.author`, problem: 'must be {userId, name}' });
  const body = comment.get(CommentKey.body);
  const deleted = comment.get(CommentKey.deleted);
  if (typeof body !== 'string') problems.push({ path: `${path}.body`, problem: 'must be text' });
  else if (body.length > maxCommentBodyChars) problems.push({ path: `${path}.body`, problem: `is longer than ${maxCommentBodyChars} characters` });
  else if (!body.trim() && deleted !== true) problems.push({ path: `${path}.body`, problem: 'is empty' });
  if (typeof deleted !== 'boolean') problems.push({ path: `${path}.deleted`, problem: 'must be true or false' });
  else if (deleted && body !== '') problems.push({ path: `${path}.body`, problem: 'a deleted comment keeps no text' });
  if (!isTime(comment.get(CommentKey.createdAt))) problems.push({ path: `${path}.createdAt`, problem: 'must be a time in ms' });
  const editedAt = comment.get(CommentKey.editedAt);
  if (editedAt !== null && !isTime(editedAt)) problems.push({ path: `${path}.editedAt`, problem: 'must be a time in ms or null' });
  const mentions = comment.get(CommentKey.mentions);
  if (mentions !== undefined && !(Array.isArray(mentions) && mentions.length <= maxMentionsPerComment && mentions.every((m) => typeof m === 'string' && m.length > 0 && m.length <= 200))) {
    problems.push({ path: `${path}.mentions`, problem: `must list at most ${maxMentionsPerComment} user ids` });
  }
  const reactions = comment.get(CommentKey.reactions);
  if (!(reactions instanceof Y.Map)) problems.push({ path: `${path}.reactions`, problem: 'must be a map (Y.Map)' });
  else {
    for (const [key, value] of reactions.entries()) {
      if (value !== true || !parseReactionKey(key) || key.length > 200) problems.push({ path: `${path}.reactions`, problem: 'holds something that is not a reaction' });
    }
  }
  return problems;
}

function anchorProblems(value: unknown, path: string): SchemaProblem[] {
  if (!isPlainObject(value)) return [{ path, problem: 'must be an anchor object' }];
  const anchor = value as Record<string, unknown>;
  const problems: SchemaProblem[] = [];
  if (typeof anchor.cellId !== 'string' || !CELL_ID_PATTERN.test(anchor.cellId)) problems.push({ path: `${path}.cellId`, problem: 'must be a cell id' });
  if (typeof anchor.quote !== 'string' || anchor.quote.length > maxQuoteChars) problems.push({ path: `${path}.quote`, problem: `must be text of at most ${maxQuoteChars} characters` });
  const allowed: Record<string, string[]> = { source: ['start', 'end'], output: ['outputIndex', 'line'], cell: [] };
  const extra = allowed[anchor.kind as string];
  if (!extra) return [...problems, { path: `${path}.kind`, problem: 'must be source, output or cell' }];
  const expected = new Set(['cellId', 'kind', 'quote', ...extra]);
  for (const key of Object.keys(anchor)) if (!expected.has(key)) problems.push({ path: `${path}.${key}`, problem: `is not a field of a ${String(anchor.kind)} anchor` });
  if (anchor.kind === 'source' && !(isEncodedPosition(anchor.start) && isEncodedPosition(anchor.end))) {
    problems.push({ path, problem: 'start and end must be encoded relative positions' });
  }
  if (anchor.kind === 'output' && !(isIndex(anchor.outputIndex) && isIndex(anchor.line))) problems.push({ path, problem: 'outputIndex and line must be whole numbers' });
  return problems;
}

function isAuthorShape(value: unknown): boolean {
  const author = value as Record<string, unknown> | null;
  return isPlainObject(author) && typeof author.userId === 'string' && typeof author.name === 'string' && author.userId.length <= 200 && author.name.length <= 200;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

const isTime = (value: unknown) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const isIndex = (value: unknown) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value < 1_000_000;

/** People a transaction newly mentions: in comments it added, or in mentions it changed. */
export interface AddedMention {
  threadId: string;
  commentId: string;
  userId: string;
  byName: string;
}

/** The mentions `transaction` adds (call after it passed `commentTransactionProblems`). */
export function addedMentions(doc: Y.Doc, transaction: Y.Transaction): AddedMention[] {
  const root: AnyType = commentsOf(doc);
  const comments = new Set<Y.Map<unknown>>();
  for (const [type, keys] of transaction.changed) {
    const [top, thread] = rootOf(type);
    if (top !== root) continue;
    if (type === root) {
      for (const key of keys) {
        const added = key === null ? undefined : commentsOf(doc).get(key);
        const list = added instanceof Y.Map ? added.get(ThreadKey.comments) : null;
        if (list instanceof Y.Array) for (const comment of list) if (comment instanceof Y.Map) comments.add(comment);
      }
    } else if (thread instanceof Y.Map && type === thread.get(ThreadKey.comments)) {
      for (const comment of (type as Y.Array<unknown>)) if (comment instanceof Y.Map && createdIn(comment, transaction)) comments.add(comment);
    } else if (type instanceof Y.Map && keys.has(CommentKey.mentions)) {
      comments.add(type);
    }
  }
  const mentions: AddedMention[] = [];
  for (const comment of comments) {
    const thread = (comment._item?.parent as AnyType | undefined)?._item?.parent;
    const listed = comment.get(CommentKey.mentions);
    const author = comment.get(CommentKey.author) as CommentAuthor | undefined;
    if (!(thread instanceof Y.Map) || !Array.isArray(listed) || comment.get(CommentKey.deleted) === true) continue;
    for (const userId of listed) {
      if (typeof userId === 'string' && userId !== author?.userId) {
        mentions.push({ threadId: String(thread.get(ThreadKey.id)), commentId: String(comment.get(CommentKey.id)), userId, byName: author?.name ?? '' });
      }
    }
  }
  return mentions;
}
