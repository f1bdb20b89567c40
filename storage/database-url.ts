// Reads a database URL into the settings each driver needs. `file:` URLs (and
// bare paths) are the embedded SQLite database; `postgres://` and
// `postgresql://` URLs are PostgreSQL, where a `?schema=` parameter (Prisma's
// convention) selects the schema all tables live in, default `public`.
import { isAbsolute, resolve } from 'node:path';
import type { PoolConfig } from 'pg';

export type DatabaseTarget =
  | { provider: 'sqlite'; file: string }
  | { provider: 'postgresql'; pool: PoolConfig; schema: string };

export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (/^postgres(ql)?:\/\//i.test(url)) return parsePostgres(url);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !url.startsWith('file:')) {
    throw new Error(`Unsupported database URL "${redact(url)}": use file:/path/to/db.sqlite or postgresql://user@host:5432/db`);
  }
  let path = url.startsWith('file:') ? url.slice('file:'.length) : url;
  if (path.startsWith('//')) path = decodeURIComponent(new URL(url).pathname);
  path = path.replace(/\?.*$/, '');
  if (!path || path === ':memory:') throw new Error(`Database URL "${url}" names no file; the notebooks must live in a file.`);
  return { provider: 'sqlite', file: isAbsolute(path) ? path : resolve(path) };
}

function parsePostgres(url: string): DatabaseTarget {
  const u = new URL(url);
  const schema = u.searchParams.get('schema') || 'public';
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`PostgreSQL schema "${schema}" in the database URL must be a plain identifier (letters, digits, underscore).`);
  }
  const pool: PoolConfig = {
    host: decodeURIComponent(u.hostname) || 'localhost',
    port: u.port ? Number(u.port) : 5432,
    user: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || undefined,
    // Unqualified names (migration scripts, raw statements) resolve in our schema.
    options: `-c search_path="${schema}"`,
  };
  const ssl = u.searchParams.get('sslmode');
  if (ssl && ssl !== 'disable') pool.ssl = ssl === 'no-verify' ? { rejectUnauthorized: false } : true;
  return { provider: 'postgresql', pool, schema };
}

/** The URL without its password, for error messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}
