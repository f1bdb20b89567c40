// Latency of `documents.append` — the write behind every keystroke — on the
// embedded SQLite file and on PostgreSQL, one small Yjs-sized update per call.
//   npm run bench:storage [-- iterations]     (PostgreSQL from TEST_POSTGRES_URL)
// Reference: a commit needs one fsync on SQLite (WAL, synchronous=FULL) and
// one WAL flush on PostgreSQL, so expect roughly one disk sync per call.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStorage } from '../storage';

const iterations = Number(process.argv[2] ?? 500);
const pgBase = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

async function measure(label: string, databaseUrl: string): Promise<void> {
  const storage = await openStorage({ databaseUrl });
  try {
    const nb = await storage.notebooks.create({ title: 'bench' });
    const update = randomBytes(40);
    for (let i = 0; i < 20; i++) await storage.documents.append(nb.id, nb.epoch, [update]); // warm-up
    const times: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const t0 = process.hrtime.bigint();
      await storage.documents.append(nb.id, nb.epoch, [update]);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(3);
    console.log(`${label.padEnd(11)} append x${iterations}: p50 ${at(0.5)} ms  p90 ${at(0.9)} ms  p99 ${at(0.99)} ms`);
  } finally {
    await storage.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'cellmate-bench-'));
const schema = `bench_${randomBytes(4).toString('hex')}`;
try {
  await measure('SQLite', `file:${join(dir, 'bench.db')}`);
  await measure('PostgreSQL', `${pgBase}${pgBase.includes('?') ? '&' : '?'}schema=${schema}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
  const admin = new pg.Client({ connectionString: pgBase });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.end();
}
