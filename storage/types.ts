// The storage layer's public shapes. Callers (app routes, collab server, CLI)
// depend on these only, never on Prisma types, so the database stays swappable.

export interface NotebookRecord {
  id: string;
  title: string;
  /** Names the current lineage of the document; changes when it is replaced wholesale. */
  epoch: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A notebook's Yjs document as stored: apply `snapshot`, then `updates` in order. */
export interface StoredDocument {
  epoch: string;
  snapshot: Uint8Array | null;
  updates: Uint8Array[];
  /** The highest update id folded into the snapshot or present in `updates`; 0 when none. */
  lastUpdateId: number;
}

/** Where a forked notebook came from. */
export interface NotebookOrigin {
  notebookId: string;
  /** Set when a version (for instance a published one) was forked rather than the live notebook. */
  versionId: string | null;
}

/** A workshop guest who owns a fork (they have no account): their Guest id and display name. */
export interface GuestOwner {
  guestId: string;
  name: string;
}

/** The guest owner of a guest-owned fork, and until when it is kept. */
export interface GuestOwnership extends GuestOwner {
  /** The workshop the fork was made in. */
  workshopId: string | null;
  /** Null while its workshop is live; the fork is deleted once this has passed. */
  expiresAt: Date | null;
}

export interface NotebookStore {
  /**
   * `workshopId`: the workshop a fork was made in. `guestOwner`: a workshop
   * guest owns the new notebook (it gets no members; see guestOwnerRole).
   */
  create(input: {
    title: string; id?: string; forkedFrom?: NotebookOrigin; workshopId?: string; guestOwner?: GuestOwner;
  }): Promise<NotebookRecord>;
  /** The source of a forked notebook; null for a notebook that is not a fork (or unknown). */
  originOf(id: string): Promise<NotebookOrigin | null>;
  /** How many notebooks were forked from this one (from it live or from any of its versions). */
  forkCount(id: string): Promise<number>;
  get(id: string): Promise<NotebookRecord | null>;
  /** Newest updated first. */
  list(): Promise<NotebookRecord[]>;
  /** Throws NotFoundError. */
  rename(id: string, title: string): Promise<NotebookRecord>;
  /** Removes the notebook and its document. Throws NotFoundError. */
  delete(id: string): Promise<void>;
  /** Bumps updatedAt; does nothing if the notebook is gone (a late flush after a delete is normal). */
  touch(id: string): Promise<void>;
  /** The guest owner of a guest-owned fork (expired or not); null for any other notebook. */
  guestOwnership(id: string): Promise<GuestOwnership | null>;
  /**
   * 'owner' when guest `guestId` owns this notebook and it has not expired at
   * `now`; null otherwise. Independent of any share link, so it holds after the
   * workshop's links are revoked.
   */
  guestOwnerRole(notebookId: string, guestId: string, now?: Date): Promise<NotebookRole | null>;
  /** The notebooks whose expiry has passed at `now` (guests' workshop forks, due for deletion). */
  expired(now?: Date): Promise<string[]>;
  /** The copies made in workshop `workshopId` ("Try it myself") that `owner` owns, newest first. */
  workshopForks(workshopId: string, owner: { userId: string } | { guestId: string }): Promise<NotebookRecord[]>;
}

export interface DocumentStore {
  /** Snapshot plus every update after it, in order. Throws NotFoundError. */
  load(notebookId: string): Promise<StoredDocument>;
  /**
   * Appends updates in one transaction, durable when resolved; returns the id of
   * the last one. Throws EpochMismatchError if the document was replaced,
   * NotFoundError if the notebook is gone.
   */
  append(notebookId: string, epoch: string, updates: Uint8Array[]): Promise<number>;
  /**
   * Stores `snapshot` (the document with every update up to `upToUpdateId`) and
   * drops those updates. A no-op if the epoch changed meanwhile or a newer
   * snapshot is already stored.
   */
  compact(notebookId: string, epoch: string, snapshot: Uint8Array, upToUpdateId: number): Promise<void>;
  /**
   * Compaction when several writers append to one notebook (collab servers on
   * many nodes): reads the stored snapshot and log while holding the notebook's
   * write lock (every append in flight has committed, new ones wait), stores
   * `fold(snapshot, updates)` as the snapshot and drops the updates it folded.
   * Reading outside the lock could miss an update with a lower id still being
   * committed by another writer, then delete it. A no-op if the epoch changed
   * or there is nothing to fold. `fold` runs inside the transaction: keep it quick.
   */
  foldLog(notebookId: string, epoch: string, fold: (snapshot: Uint8Array | null, updates: Uint8Array[]) => Uint8Array): Promise<void>;
  /** Replaces the whole document with `state` under a new epoch, which it returns. Throws NotFoundError. */
  replace(notebookId: string, state: Uint8Array): Promise<string>;
}

export interface Storage {
  readonly provider: 'sqlite' | 'postgresql';
  notebooks: NotebookStore;
  documents: DocumentStore;
  users: UserStore;
  members: MemberStore;
  shareLinks: ShareLinkStore;
  versions: VersionStore;
  workshops: WorkshopStore;
  mentions: MentionStore;
  /**
   * The Prisma client itself, for the one library that brings its own data
   * layer (the auth library's Prisma adapter). Everything else uses the stores.
   */
  readonly prismaClient: unknown;
  close(): Promise<void>;
}

/** One of auth/roles.ts's roles, as stored. */
export type NotebookRole = 'owner' | 'editor' | 'commenter' | 'viewer';

/** An account as other people see it (in the share dialog). */
export interface UserRecord {
  id: string;
  name: string;
  email: string;
}

export interface MemberRecord {
  notebookId: string;
  userId: string;
  role: NotebookRole;
  /** The member's account, for display. */
  name: string;
  email: string;
  createdAt: Date;
}

/** A notebook together with the role of the user it was listed for. */
export interface SharedNotebookRecord extends NotebookRecord {
  role: NotebookRole;
}

export interface MemberStore {
  /** Gives `userId` `role` on the notebook, or changes the role they have. Throws NotFoundError (notebook). */
  grant(notebookId: string, userId: string, role: NotebookRole): Promise<MemberRecord>;
  /** True when the user had a role and lost it. */
  revoke(notebookId: string, userId: string): Promise<boolean>;
  /** The user's role on the notebook, or null when they have none. */
  roleOf(notebookId: string, userId: string): Promise<NotebookRole | null>;
  /** Everyone with a role on the notebook, owners first, then by email. */
  list(notebookId: string): Promise<MemberRecord[]>;
  /** The notebooks the user has a role on, newest updated first. */
  notebooksOf(userId: string): Promise<SharedNotebookRecord[]>;
}

export interface ShareLinkRecord {
  id: string;
  notebookId: string;
  role: NotebookRole;
  /** Null: never expires. */
  expiresAt: Date | null;
  revokedAt: Date | null;
  /** The user id of the owner who made it. */
  createdBy: string;
  createdAt: Date;
}

export interface GuestRecord {
  id: string;
  shareLinkId: string;
  name: string;
  createdAt: Date;
}

export interface ShareLinkStore {
  /**
   * Makes a link and returns it with its secret, which is shown once and stored
   * only as a hash. Throws NotFoundError (notebook).
   */
  create(input: { notebookId: string; role: NotebookRole; expiresAt: Date | null; createdBy: string }): Promise<{ link: ShareLinkRecord; secret: string }>;
  /** The link a secret opens, when it is neither revoked nor expired at `now`. */
  resolve(secret: string, now?: Date): Promise<ShareLinkRecord | null>;
  /** A link by id, whatever its state. */
  get(id: string): Promise<ShareLinkRecord | null>;
  /** The role link `id` gives on this notebook at `now`, or null when it is revoked, expired, gone or another notebook's. */
  activeRole(notebookId: string, id: string, now?: Date): Promise<NotebookRole | null>;
  /** Changes the role the link (and every guest on it) has. False when no such link on this notebook. */
  setRole(notebookId: string, id: string, role: NotebookRole): Promise<boolean>;
  /** Revokes the link; its guests lose access. False when no such live link on this notebook. */
  revoke(notebookId: string, id: string): Promise<boolean>;
  /** The notebook's links, newest first, revoked ones included. */
  list(notebookId: string): Promise<ShareLinkRecord[]>;
  /** Records a guest who joined through a link. */
  addGuest(shareLinkId: string, name: string): Promise<GuestRecord>;
  getGuest(id: string): Promise<GuestRecord | null>;
  guestsOf(shareLinkId: string): Promise<GuestRecord[]>;
}

export interface UserStore {
  get(id: string): Promise<UserRecord | null>;
  /** Case-insensitive on the address. */
  findByEmail(email: string): Promise<UserRecord | null>;
  /** The oldest accounts, at most `limit` of them. */
  first(limit: number): Promise<UserRecord[]>;
}

/** quick: the document as it stood; fresh-run: executed top to bottom in a fresh kernel. */
export type VersionKind = 'quick' | 'fresh-run';

/** A saved version, without its (possibly large) content. */
export interface VersionRecord {
  id: string;
  notebookId: string;
  name: string;
  /** The account that saved it; null for a guest. */
  authorId: string | null;
  authorName: string;
  kind: VersionKind;
  /** A fresh run's summary as its maker stored it (JSON); null for quick saves. */
  runResult: unknown;
  createdAt: Date;
  /** The public slug while the version is published. */
  publishedSlug: string | null;
  /** Signed-in readers of the published page may comment (false when unpublished). */
  readerComments: boolean;
}

export interface VersionContent {
  /** The notebook as nbformat JSON text; null when it is to be derived from the Yjs state (stored changes). */
  nbformat: string | null;
  /**
   * The Yjs state: the whole document (Y.encodeStateAsUpdate) when
   * `ydocBaseId` is null, else only what changed since that version's document.
   */
  ydoc: Uint8Array;
  ydocBaseId: string | null;
}

export interface VersionStore {
  /** Writes a new immutable version. Throws NotFoundError (notebook). */
  create(input: {
    notebookId: string; name: string; authorId: string | null; authorName: string; kind: VersionKind;
    nbformat: string | null; ydoc: Uint8Array; ydocBaseId?: string | null; runResult?: unknown;
  }): Promise<VersionRecord>;
  get(id: string): Promise<VersionRecord | null>;
  /** The notebook's versions, newest first. */
  list(notebookId: string): Promise<VersionRecord[]>;
  content(id: string): Promise<VersionContent | null>;
  /** Publishes the version and returns its slug (the same slug when already published). Throws NotFoundError. */
  publish(versionId: string, input: { publishedBy: string; slugPrefix: string }): Promise<string>;
  /** False when it was not published. */
  unpublish(versionId: string): Promise<boolean>;
  /** Lets signed-in readers of the published page comment, or stops them; false when the version is not published. */
  setReaderComments(versionId: string, allowed: boolean): Promise<boolean>;
  /** The published version a slug names, or null (unknown, or unpublished). */
  bySlug(slug: string): Promise<VersionRecord | null>;
}

/** A workshop: its two share links, who started it and when, and its end. */
export interface WorkshopRecord {
  id: string;
  notebookId: string;
  /** The link attendees join through (viewer or editor). */
  attendeeLinkId: string;
  /** The co-host link (editor); its guests are presenters. */
  presenterLinkId: string;
  /** The account that started it. */
  startedBy: string;
  startedAt: Date;
  /** Null while live. */
  endedAt: Date | null;
  /** Set at the end: guests' forks made during the workshop are deleted after this. */
  forksExpireAt: Date | null;
}

/** A share link to make, with its id and secret chosen by the caller (see app/server/workshop-links.ts). */
export interface NewLinkSecret {
  id: string;
  secret: string;
}

export interface WorkshopStore {
  /**
   * Starts a workshop: its attendee link (`attendeeRole`), its presenter link
   * (editor) and its row, in one transaction. Throws WorkshopLiveError when the
   * notebook already has a live workshop, NotFoundError (notebook).
   */
  start(input: {
    notebookId: string; startedBy: string; attendeeRole: 'viewer' | 'commenter' | 'editor';
    attendeeLink: NewLinkSecret; presenterLink: NewLinkSecret;
  }): Promise<WorkshopRecord>;
  /** The notebook's live workshop, or null. */
  live(notebookId: string): Promise<WorkshopRecord | null>;
  get(id: string): Promise<WorkshopRecord | null>;
  /** The notebook's workshops, newest first, ended ones included. */
  list(notebookId: string): Promise<WorkshopRecord[]>;
  /**
   * Ends the notebook's live workshop in one transaction: both links revoked,
   * the end and the forks' expiry (`now` + `forkRetentionMs`) recorded, and that
   * expiry set on the guests' forks made during it. Null when none was live.
   */
  end(notebookId: string, options: { forkRetentionMs: number; now?: Date }): Promise<WorkshopRecord | null>;
  /**
   * Gives the ended workshop's guest forks that have no expiry yet the
   * workshop's (a fork made while the workshop was ending). A no-op while live.
   */
  settleForkExpiry(workshopId: string): Promise<void>;
}

/** One person named in one comment. */
export interface NewMention {
  userId: string;
  threadId: string;
  commentId: string;
  /** The display name of the comment's author. */
  byName: string;
}

export interface MentionStore {
  /** Records mentions of the notebook's members (others are ignored); returns how many were new. */
  record(notebookId: string, mentions: NewMention[]): Promise<number>;
  /** Unseen mentions of `userId`, counted per notebook id. */
  unseenByNotebook(userId: string): Promise<Map<string, number>>;
  /** Marks every mention of `userId` in the notebook seen. */
  markSeen(notebookId: string, userId: string): Promise<void>;
}
