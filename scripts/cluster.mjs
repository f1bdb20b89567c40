#!/usr/bin/env node
// `node scripts/cluster.mjs --nodes N`: a local cluster for tests and demos. N
// collab servers and N kernel bridges and one web app, all on the machine's
// PostgreSQL (DATABASE_URL, required) and Redis (REDIS_URL, default
// redis://127.0.0.1:6379). Collab node i listens on COLLAB_PORT+i (1234+i),
// bridge i on BRIDGE_PORT+i (8765+i) and talks to collab node i; the web app
// (PORT, 3000) sends browsers to node 0 (a real installation puts a balancer in
// front: docs/deploy.md). Prints every node's port; a node that dies stays dead
// (to show failover); Ctrl+C or SIGTERM stops them all together. Before that it
// checks the system and migrates the database, as `npm start` does.
// `--no-web` leaves the web app out (no build needed).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { superviseServices } from './supervise.mjs';
import { ensureSystem } from './system-check.mjs';
import { buildWebAppIfStale } from './web-build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsNode = [process.execPath, '--experimental-wasm-modules', '--no-warnings', '--import', 'tsx'];

const { values } = parseArgs({ options: { nodes: { type: 'string', default: '2' }, 'no-web': { type: 'boolean', default: false } } });
const nodes = Number(values.nodes);
if (!Number.isInteger(nodes) || nodes < 1 || nodes > 16) fail(`--nodes must be a whole number from 1 to 16, got "${values.nodes}"`);
const databaseUrl = process.env.DATABASE_URL ?? '';
if (!/^postgres(ql)?:\/\//.test(databaseUrl)) fail('DATABASE_URL must name a PostgreSQL database (postgresql://…): every node shares it');
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const port = (name, fallback) => {
  const n = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(n) || n < 1 || n + nodes > 65535) fail(`${name} must be a port number, got "${process.env[name]}"`);
  return n;
};
const webPort = port('PORT', 3000);
const collabBase = port('COLLAB_PORT', 1234);
const bridgeBase = port('BRIDGE_PORT', 8765);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', DATABASE_URL: databaseUrl, REDIS_URL: redisUrl };

function fail(message) {
  console.error(`cluster: ${message}`);
  process.exit(2);
}

// As `npm start` does: the system check (kernels can run here) and the migration, in one tsx process.
ensureSystem(root, { args: ['--migrate'], env, label: 'cluster', again: 'start the cluster' });
if (!values['no-web']) buildWebAppIfStale(root, env);

const services = [];
for (let i = 0; i < nodes; i++) {
  services.push({ name: `collab-${i}`, port: collabBase + i, argv: [...tsNode, 'collab-server/main.ts'], env: { COLLAB_PORT: String(collabBase + i), CELLMATE_NODE_ID: `collab-${i}` } });
}
for (let i = 0; i < nodes; i++) {
  services.push({
    name: `bridge-${i}`, port: bridgeBase + i, argv: [...tsNode, 'kernel-bridge/main.ts'],
    env: { BRIDGE_PORT: String(bridgeBase + i), COLLAB_PORT: String(collabBase + i), COLLAB_URL: `ws://127.0.0.1:${collabBase + i}`, CELLMATE_NODE_ID: `bridge-${i}` },
  });
}
if (!values['no-web']) {
  services.push({
    name: 'web', port: webPort, argv: [process.execPath, join(root, 'node_modules/next/dist/bin/next'), 'start', '-p', String(webPort)],
    env: { PORT: String(webPort), COLLAB_PORT: String(collabBase), BRIDGE_PORT: String(bridgeBase), CELLMATE_NODE_ID: 'web-0' },
  });
}

superviseServices(services, { root, baseEnv: env, label: 'cluster', restart: false });

console.log(`cluster: ${nodes} node(s) on ${databaseUrl.replace(/\/\/[^@/]*@/, '//…@')} and ${redisUrl}`);
for (const service of services) console.log(`cluster: ${service.name.padEnd(9)} port ${service.port}`);
