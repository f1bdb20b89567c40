// Runs the collab server on COLLAB_PORT against the configured database
// (DATABASE_URL, or the embedded SQLite file in the data folder).
import { openStorage } from '../storage';
import { databaseUrl, ports } from '../config/env';
import { startCollabServer } from './collab-server';

/** COLLAB_AWARENESS_THROTTLE_MS: fan presence out at most once per this many ms (see README). */
function awarenessThrottleMs(): number {
  const raw = process.env.COLLAB_AWARENESS_THROTTLE_MS;
  if (raw === undefined || raw === '') return 50;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 10_000) throw new Error(`COLLAB_AWARENESS_THROTTLE_MS must be 0..10000, got "${raw}"`);
  return n;
}

const storage = await openStorage({ databaseUrl: databaseUrl() });
const server = await startCollabServer({
  storage,
  port: ports.collab,
  host: process.env.COLLAB_HOST,
  awarenessThrottleMs: awarenessThrottleMs(),
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
