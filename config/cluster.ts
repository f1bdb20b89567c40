// Settings of a Cellmate installation that runs on more than one machine. With
// no REDIS_URL every process works alone, exactly as a single-node install
// (SQLite by default); with it, collab servers exchange updates, presence and
// room events through Redis (collab-server/README.md, "Many nodes"), and the
// web app keeps its sign-in throttle and rate limits there.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { isBetween, numberSetting, rawSetting, type Env } from './setting';

export interface ClusterSettings {
  /** REDIS_URL: the Redis every node of the installation shares. */
  redisUrl: string;
  /** CELLMATE_NODE_ID: this process's name among the nodes (in logs and in messages between nodes). */
  nodeId: string;
  /** Prefix of every Redis key and channel, so installations can share one Redis (CELLMATE_REDIS_PREFIX, default `cellmate:`). */
  prefix: string;
}

/** The cluster settings, or null when REDIS_URL is not set (one node). Throws on a malformed setting. */
export function clusterSettings(env: Env = process.env): ClusterSettings | null {
  const redisUrl = rawSetting('REDIS_URL', env);
  if (!redisUrl) return null;
  if (!/^rediss?:\/\//.test(redisUrl)) throw new Error(`REDIS_URL must start with redis:// or rediss://, got "${redisUrl}"`);
  const nodeId = rawSetting('CELLMATE_NODE_ID', env) ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  if (!/^[\w.:-]{1,100}$/.test(nodeId)) throw new Error(`CELLMATE_NODE_ID must be 1-100 letters, digits, '.', ':', '_' or '-', got "${nodeId}"`);
  const prefix = env.CELLMATE_REDIS_PREFIX ?? 'cellmate:';
  if (!/^[\w.:-]{0,60}$/.test(prefix)) throw new Error(`CELLMATE_REDIS_PREFIX must be at most 60 letters, digits, '.', ':', '_' or '-', got "${prefix}"`);
  return { redisUrl, nodeId, prefix };
}

/** CELLMATE_KERNEL_LEASE_SECONDS: how long a dead bridge's notebooks wait for another bridge (default 10). */
export function kernelLeaseMs(env: Env = process.env): number {
  return numberSetting('CELLMATE_KERNEL_LEASE_SECONDS', 10, isBetween(1, 600), '1..600', env) * 1000;
}
