// The web server's connection to the installation's Redis (REDIS_URL,
// config/cluster.ts), created once per process, or null on a single node.
// What lives there: the sign-in throttle's counts (auth/sign-in-throttle.ts).
import { Redis } from 'ioredis';
import { clusterSettings } from '../../config/cluster';

const key = Symbol.for('cellmate.redis');
type Holder = { [key]?: { redis: Redis; prefix: string } | null };

export function sharedRedis(): { redis: Redis; prefix: string } | null {
  const holder = globalThis as Holder;
  if (holder[key] === undefined) {
    const settings = clusterSettings();
    holder[key] = settings && { redis: new Redis(settings.redisUrl, { maxRetriesPerRequest: 3 }), prefix: settings.prefix };
    holder[key]?.redis.on('error', (err) => console.error(`redis: ${err.message}`));
  }
  return holder[key];
}
