// Every setting Cellmate reads from the environment, in one place, with its default.
// Services, the CLI and tests all take their ports, paths and secrets from here.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { choiceSetting, isWhole, numberSetting, rawSetting } from './setting';

/** The project's root folder (where package.json lives). */
// (dirname of this file rather than `new URL('..', import.meta.url)`, which the web
// app's bundler would try to resolve as an asset at build time.)
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const port = (name: string, fallback: number) => numberSetting(name, fallback, isWhole(0, 65535), 'a port number');

/** Folder for the embedded database, the signing secret and other local state. */
export function dataDir(): string {
  const dir = resolve(/*turbopackIgnore: true*/ process.env.CELLMATE_DATA_DIR ?? join(projectRoot, 'data'));
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** `DATABASE_URL`, or an SQLite file in the data folder. */
export function databaseUrl(): string {
  return process.env.DATABASE_URL || `file:${join(dataDir(), 'cellmate.db')}`;
}

/** Which installation this process works on, as a person reads it (never the database's password). */
export function installationDescription(): string {
  return `the installation at ${dataDir()}${process.env.DATABASE_URL ? ' (database from DATABASE_URL)' : ''}`;
}

export const ports = {
  get app() { return port('PORT', 3000); },
  get collab() { return port('COLLAB_PORT', 1234); },
  get bridge() { return port('BRIDGE_PORT', 8765); },
};

/**
 * Where the kernel bridge is reached from inside the installation: by the web
 * app's server ("Save & run all" runs there) and, with several bridges, by the
 * other bridges (forwarded runs): `CELLMATE_BRIDGE_INTERNAL_URL`, or `port`
 * (BRIDGE_PORT by default) on loopback.
 */
export function bridgeInternalUrl(port: number = ports.bridge): string {
  const url = (process.env.CELLMATE_BRIDGE_INTERNAL_URL?.trim() || `http://127.0.0.1:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+$/.test(url)) throw new Error(`CELLMATE_BRIDGE_INTERNAL_URL must be http(s)://host[:port], got "${url}"`);
  return url;
}

/**
 * Where the web app's server reaches the collab server to announce an access
 * change: `CELLMATE_COLLAB_INTERNAL_URL` (any collab node or the internal
 * balancer), or COLLAB_PORT on loopback.
 */
export function collabInternalUrl(): string {
  return (process.env.CELLMATE_COLLAB_INTERNAL_URL || `http://127.0.0.1:${ports.collab}`).replace(/\/+$/, '');
}

/**
 * The collab server and the kernel bridge as browsers reach them, when set
 * (`CELLMATE_COLLAB_URL`, `CELLMATE_BRIDGE_URL`, e.g. behind a proxy); unset,
 * the notebook page points the browser at the host it was requested on.
 */
export function publicServiceUrls(): { collab?: string; bridge?: string } {
  const trimmed = (raw: string | undefined) => (raw ? raw.replace(/\/+$/, '') : undefined);
  return { collab: trimmed(process.env.CELLMATE_COLLAB_URL), bridge: trimmed(process.env.CELLMATE_BRIDGE_URL) };
}

/** The origin people reach the app at: `CELLMATE_PUBLIC_URL` in a deployment (https there), else the public host on PORT. */
export function publicAppUrl(): string {
  return (rawSetting('CELLMATE_PUBLIC_URL') ?? `http://${publicHost()}:${ports.app}`).replace(/\/+$/, '');
}

/** `COLLAB_HOST`: the address the collab server listens on (unset: every address, as Node's default). */
export function collabListenHost(): string | undefined {
  return rawSetting('COLLAB_HOST');
}

/** `CELLMATE_SQLITE_SYNC`: how hard the embedded database flushes ('normal', the default, or 'full'). */
export function sqliteSyncSetting(): 'full' | 'normal' {
  return choiceSetting('CELLMATE_SQLITE_SYNC', ['full', 'normal'] as const, 'normal');
}

/** Host name the browser uses to reach the collab server and the bridge. */
export function publicHost(): string {
  return process.env.CELLMATE_PUBLIC_HOST ?? 'localhost';
}

let cachedSecret: Uint8Array | undefined;
/**
 * The key that signs notebook-scoped tokens. `CELLMATE_SECRET` wins; otherwise a
 * random key is created once in the data folder, so the app, the collab server,
 * the bridge and the CLI of one installation share it without configuration.
 */
export function tokenSecret(): Uint8Array {
  if (cachedSecret) return cachedSecret;
  const fromEnv = process.env.CELLMATE_SECRET;
  if (fromEnv) return (cachedSecret = new TextEncoder().encode(fromEnv));
  const file = join(dataDir(), 'secret.key');
  if (!existsSync(file)) {
    try {
      writeFileSync(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; // another process won the race
    }
  }
  return (cachedSecret = new TextEncoder().encode(readFileSync(file, 'utf8').trim()));
}

/**
 * `WORKSHOP_FORK_RETENTION_DAYS`: how long guests' "Try it myself" forks are
 * kept after their workshop ends (default 30; fractions allowed, at most 365).
 */
export function workshopForkRetentionDays(): number {
  return numberSetting('WORKSHOP_FORK_RETENTION_DAYS', 30, (n) => n > 0 && n <= 365, 'a number of days above 0 and at most 365');
}
