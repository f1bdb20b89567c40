// Drives Prisma's schema engine (the WebAssembly build) over our own driver
// adapters. Why this route: Prisma's CLI needs a native schema-engine binary
// that it downloads on first use, which an offline install cannot do, while the
// WebAssembly engine ships as an npm package and runs the very same migration
// logic (the `_prisma_migrations` table, checksums, diffing) through a driver
// adapter. So `prisma migrate deploy` stays valid wherever the binary exists,
// and the product needs neither the binary nor a manual migration step.
//
// Node 20 loads the engine only with --experimental-wasm-modules; it is
// imported lazily so code paths that never migrate do not need the flag.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm';
import pg from 'pg';
import { projectRoot } from '../config/env';
import type { DatabaseTarget } from './database-url';

export type Provider = DatabaseTarget['provider'];

/** The folder holding the Prisma schema and migrations of one provider. */
export function prismaDir(provider: Provider): string {
  const candidates = [join(projectRoot, 'prisma'), join(process.cwd(), 'prisma')];
  const base = candidates.find((dir) => existsSync(join(dir, 'schema.prisma'))) ?? candidates[0];
  return provider === 'sqlite' ? base : join(base, 'postgresql');
}

export function schemaFile(provider: Provider): { path: string; content: string } {
  const path = join(prismaDir(provider), 'schema.prisma');
  if (!existsSync(path)) {
    throw new Error(`Prisma schema ${path} is missing; run "npm run db:generate" to derive it.`);
  }
  return { path, content: readFileSync(path, 'utf8') };
}

/** The migrations folder read the way Prisma's engine expects it, oldest first. */
export function readMigrations(provider: Provider): MigrationList {
  const baseDir = join(prismaDir(provider), 'migrations');
  const lockPath = join(baseDir, 'migration_lock.toml');
  const names = existsSync(baseDir)
    ? readdirSync(baseDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
    : [];
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: names.map((name) => {
      const file = join(baseDir, name, 'migration.sql');
      return {
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: existsSync(file)
            ? { tag: 'ok' as const, value: readFileSync(file, 'utf8') }
            : { tag: 'error' as const, value: `${file} is missing` },
        },
      };
    }),
  };
}

export const noFilter = { externalTables: [], externalEnums: [] };

/**
 * Runs `work` with a schema engine connected to `target`, then releases every
 * connection the engine opened (it does not close them itself).
 */
export async function withSchemaEngine<T>(target: DatabaseTarget, work: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const wasm = await loadEngineModule();
  const pool = target.provider === 'postgresql' ? new pg.Pool({ ...target.pool, max: 2 }) : undefined;
  const inner: SqlMigrationAwareDriverAdapterFactory =
    target.provider === 'postgresql'
      ? new PrismaPg(pool!, { schema: target.schema })
      : new PrismaBetterSqlite3({ url: target.file, timeout: 30_000 });
  const opened: SqlDriverAdapter[] = [];
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => remember(await inner.connect()),
    connectToShadowDb: async () => remember(await inner.connectToShadowDb()),
  };
  function remember(adapter: SqlDriverAdapter): SqlDriverAdapter {
    opened.push(adapter);
    return adapter;
  }
  const schema = schemaFile(target.provider);
  const errors: string[] = [];
  let engine: SchemaEngine | undefined;
  try {
    engine = await wasm.SchemaEngine.new(
      { datamodels: [[schema.path, schema.content]] },
      (line: string) => collectError(line, errors),
      bindMigrationAwareSqlAdapterFactory(tracked),
    );
    return await work(engine);
  } catch (err) {
    throw new Error(`Prisma schema engine failed: ${describe(err)}${errors.length ? `\n${errors.join('\n')}` : ''}`, { cause: err });
  } finally {
    engine?.free();
    for (const adapter of opened) await adapter.dispose().catch(() => undefined);
    await pool?.end();
  }
}

async function loadEngineModule(): Promise<typeof import('@prisma/schema-engine-wasm')> {
  try {
    return await import('@prisma/schema-engine-wasm');
  } catch (err) {
    throw new Error(
      'Cannot load the database migration engine. On Node 20 run node with --experimental-wasm-modules ' +
        `(npm start and npm test do). Cause: ${describe(err)}`,
      { cause: err },
    );
  }
}

function collectError(line: string, errors: string[]): void {
  try {
    const entry = JSON.parse(line) as { level?: string; fields?: { message?: string } };
    if (entry.level === 'ERROR' || entry.level === 'WARN') errors.push(entry.fields?.message ?? line);
  } catch {
    errors.push(line);
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'object' && err !== null) return JSON.stringify(err);
  return String(err);
}
