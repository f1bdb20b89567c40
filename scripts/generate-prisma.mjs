#!/usr/bin/env node
// Generates the Prisma clients, one per database provider, from the one model in
// prisma/schema.prisma (SQLite). The PostgreSQL schema is derived here by
// swapping the provider and the client's output folder, so the two can never
// drift apart. Runs on `npm install` (postinstall) and after editing the model.
//
// The Prisma CLI wants its native schema-engine binary even though `generate`
// never calls it; where the binary cannot be downloaded we point it at an
// existing file so generation still works offline.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const sqliteSchema = join(root, 'prisma', 'schema.prisma');
const postgresSchema = join(root, 'prisma', 'postgresql', 'schema.prisma');

/** The PostgreSQL twin of the SQLite schema: same models, other provider and output. */
export function derivePostgresSchema(source) {
  const provider = /(datasource\s+db\s*\{[^}]*?provider\s*=\s*)"sqlite"/;
  const output = /(generator\s+client\s*\{[^}]*?output\s*=\s*)"\.\.\/generated\/prisma-sqlite"/;
  if (!provider.test(source) || !output.test(source)) {
    throw new Error('prisma/schema.prisma must keep provider = "sqlite" and output = "../generated/prisma-sqlite"; the PostgreSQL schema is derived from them');
  }
  const body = source.replace(provider, '$1"postgresql"').replace(output, '$1"../../generated/prisma-postgresql"');
  return '// GENERATED from prisma/schema.prisma by scripts/generate-prisma.mjs. Do not edit.\n' + body;
}

export function writePostgresSchema() {
  mkdirSync(join(root, 'prisma', 'postgresql'), { recursive: true });
  const next = derivePostgresSchema(readFileSync(sqliteSchema, 'utf8'));
  if (!existsSync(postgresSchema) || readFileSync(postgresSchema, 'utf8') !== next) writeFileSync(postgresSchema, next);
}

function generate(schema) {
  const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
  if (!env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
  const cli = join(root, 'node_modules', 'prisma', 'build', 'index.js');
  const r = spawnSync(process.execPath, [cli, 'generate', '--schema', schema], { cwd: root, env, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`prisma generate failed for ${schema} (exit ${r.status ?? r.signal})`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writePostgresSchema();
  generate(sqliteSchema);
  generate(postgresSchema);
}
