// What the route tests share: the app pointed at a data folder of its own (so
// a SQLite database of its own), people signed up through the real auth
// library, and Requests as a browser on http://localhost:3000 sends them to a
// route handler. For tests only.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage, type Storage } from '../../storage';
import { getAccounts } from '../server/accounts';
import { getStorage } from '../server/storage';

/**
 * Makes a temporary data folder and points the app at it, its SQLite database
 * included (DATABASE_URL would override that, so it is unset). Call it at the
 * top of the test file, before anything opens the app's storage; returns the
 * folder, for the test to remove at the end.
 */
export function setUpTemporaryDataDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `cellmate-${label}-`));
  process.env.CELLMATE_DATA_DIR = dir;
  delete process.env.DATABASE_URL;
  return dir;
}

/** Migrates the database, as `npm start` does before the app starts, then opens the app's storage. */
export async function migrateAndOpenAppStorage(): Promise<Storage> {
  await (await openStorage()).close();
  return getStorage();
}

/** People with real accounts, by name: the Cookie header their browser sends, and their user id. */
export class TestPeople {
  readonly cookieOf: Record<string, string> = {};
  readonly idOf: Record<string, string> = {};

  /** Signs each one up as `<name>@example.test`, keeping the session cookie the app sets. */
  async signUp(storage: Storage, names: string[]): Promise<void> {
    for (const name of names) {
      const res = await (await getAccounts()).api.signUpEmail({
        body: { email: `${name}@example.test`, password: `${name} password`, name },
        asResponse: true,
      });
      this.cookieOf[name] = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      this.idOf[name] = (await storage.users.findByEmail(`${name}@example.test`))!.id;
    }
  }
}

/** The absolute URL of `path` on the app, as the tests' browser sees it. */
export const appUrl = (path: string) => `http://localhost:3000${path}`;

/** The headers a browser adds to a request from one of the app's own pages. */
export const sameSiteHeaders = { origin: 'http://localhost:3000', host: 'localhost:3000', 'sec-fetch-site': 'same-origin' };

/** A request to the app; `body`, if any, is sent as JSON, and `cookie` only if not empty. */
export function appRequest(path: string, init: { method?: string; cookie?: string; body?: unknown; headers?: Record<string, string> } = {}): Request {
  return new Request(appUrl(path), {
    method: init.method ?? 'GET',
    headers: { ...(init.cookie ? { cookie: init.cookie } : {}), ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

/** A GET request to the app, carrying `cookie` if it is not empty. */
export function get(path: string, cookie = ''): Request {
  return appRequest(path, { cookie });
}

/** The second argument Next passes a route handler: the route's dynamic segments. */
export function routeParams<P>(values: P): { params: Promise<P> } {
  return { params: Promise.resolve(values) };
}
