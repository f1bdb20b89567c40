// The collab server: y-websocket rooms for notebooks, persisted before broadcast.
export { startCollabServer, type CollabServer, type CollabServerOptions } from './collab-server';
export { closeCodes } from '../notebook-model/service-protocol';
