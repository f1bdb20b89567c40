// Cellmate's storage layer: notebooks and their Yjs documents in SQLite (the
// default, one file) or PostgreSQL, behind one interface. See open-storage.ts.
export { openStorage, type OpenStorageOptions } from './open-storage';
export { migrateDatabase } from './migrations';
export { NotFoundError, EpochMismatchError, WorkshopLiveError } from './errors';
export type {
  Storage, NotebookRecord, StoredDocument, NotebookStore, DocumentStore, NotebookRole, UserRecord, UserStore,
  MemberRecord, MemberStore, SharedNotebookRecord, ShareLinkRecord, ShareLinkStore, GuestRecord,
  NotebookOrigin, VersionKind, VersionRecord, VersionContent, VersionStore,
  GuestOwner, GuestOwnership, WorkshopRecord, WorkshopStore, NewLinkSecret,
} from './types';
