// Runs the collab server on COLLAB_PORT against the configured database
// (DATABASE_URL, or the embedded SQLite file in the data folder), with the
// limits and presence throttle of config/limits.ts. With REDIS_URL set
// (config/cluster.ts) it is one of several collab servers sharing that Redis.
import { openStorage } from '../storage';
import { collabListenHost, databaseUrl, ports } from '../config/env';
import { awarenessThrottleMs, collabLimits } from '../config/limits';
import { clusterSettings } from '../config/cluster';
import { ClusterLink } from './cluster-link';
import { startCollabServer } from './collab-server';

const log = (message: string) => console.error(message);
const storage = await openStorage({ databaseUrl: databaseUrl() });
const cluster = clusterSettings();
const peers = cluster ? await ClusterLink.connect(cluster, log) : undefined;
const server = await startCollabServer({
  storage,
  port: ports.collab,
  host: collabListenHost(),
  awarenessThrottleMs: awarenessThrottleMs(),
  limits: collabLimits(),
  log,
  peers,
});
console.log(`collab server listening on ws://localhost:${server.port}${peers ? ` (node ${peers.nodeId})` : ''}`);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: storing open documents and closing`);
  await server.close();
  await peers?.close();
  await storage.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
