// The notebook model shared by the app, the collab server and the kernel bridge:
// the Yjs document schema and its operations, and nbformat conversion.
export * from './schema';
export * from './origins';
export * from './cells';
export * from './outputs';
export * from './stream-text';
export * from './notebook-doc';
export * from './upstream';
export * from './run-record';
export * from './stale-marks';
