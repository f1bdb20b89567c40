// Latency of `documents.append` — the write behind every keystroke — on the
// embedded SQLite file (both CELLMATE_SQLITE_SYNC modes) and on PostgreSQL, one
// small Yjs-sized update per call, measured two ways: back to back, and at
// typing pace (a 20 ms pause between appends, so caches are cold as they are
// for a real keystroke). On SQLite the same statement is also timed through the
// Prisma client, the path the keystroke appender replaces
// (storage/sqlite-update-appender.ts says why).
//   npm run bench:storage [-- iterations]     (PostgreSQL from TEST_POSTGRES_URL)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { PrismaClient } from '../generated/prisma-sqlite/client';
import { openStorage } from '../storage';
import { appendStatement } from '../storage/append-statement';

const iterations = Number(process.argv[2] ?? 300);
const pgBase = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const typingPauseMs = 20;

async function timeCalls(call: () => Promise<unknown>, pauseMs: number): Promise<string> {
  for (let i = 0; i < 20; i++) await call(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await call();
    times.push(performance.now() - t0);
    if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(3);
  return `p50 ${at(0.5)} ms  p99 ${at(0.99)} ms`;
}

async function measure(label: string, databaseUrl: string, viaPrismaClient: boolean): Promise<void> {
  const storage = await openStorage({ databaseUrl });
  try {
    const nb = await storage.notebooks.create({ title: 'bench' });
    const update = randomBytes(40);
    const prisma = storage.prismaClient as PrismaClient;
    const paths: [string, () => Promise<unknown>][] = [['documents.append', () => storage.documents.append(nb.id, nb.epoch, [update])]];
    if (viaPrismaClient) {
      paths.push(['same SQL via the Prisma client', () => {
        const { sql, params } = appendStatement(storage.provider, nb.id, nb.epoch, [update], new Date());
        return prisma.$queryRawUnsafe(sql, ...params);
      }]);
    }
    for (const [path, call] of paths) {
      const backToBack = await timeCalls(call, 0);
      const typingPace = await timeCalls(call, typingPauseMs);
      console.log(`${label.padEnd(20)} ${path.padEnd(31)} back to back: ${backToBack}   every ${typingPauseMs} ms: ${typingPace}`);
    }
  } finally {
    await storage.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'cellmate-bench-'));
const schema = `bench_${randomBytes(4).toString('hex')}`;
try {
  console.log(`${iterations} appends of 40 bytes per path\n`);
  for (const sync of ['normal', 'full']) {
    process.env.CELLMATE_SQLITE_SYNC = sync;
    await measure(`SQLite sync=${sync}`, `file:${join(dir, `bench-${sync}.db`)}`, true);
  }
  await measure('PostgreSQL', `${pgBase}${pgBase.includes('?') ? '&' : '?'}schema=${schema}`, false);
} finally {
  rmSync(dir, { recursive: true, force: true });
  const admin = new pg.Client({ connectionString: pgBase });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.end();
}
