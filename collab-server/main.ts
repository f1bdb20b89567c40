// Runs the collab server on COLLAB_PORT against the configured database
// (DATABASE_URL, or the embedded SQLite file in the data folder), with the
// limits and presence throttle of config/limits.ts.
import { openStorage } from '../storage';
import { databaseUrl, ports } from '../config/env';
import { awarenessThrottleMs, collabLimits } from '../config/limits';
import { startCollabServer } from './collab-server';

const storage = await openStorage({ databaseUrl: databaseUrl() });
const server = await startCollabServer({
  storage,
  port: ports.collab,
  host: process.env.COLLAB_HOST,
  awarenessThrottleMs: awarenessThrottleMs(),
  limits: collabLimits(),
  log: (message) => console.error(message),
});
console.log(`collab server listening on ws://localhost:${server.port}`);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: storing open documents and closing`);
  await server.close();
  await storage.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
