// The web server's one storage connection, opened on first use and shared by
// every route for the life of the process. Migrations are applied by
// `npm start` before the server starts, so the app never migrates itself.
// Cached on globalThis so that module re-evaluation in development reuses it.
import { openStorage, type Storage } from '../../storage';

const key = Symbol.for('cellmate.storage');
type Holder = { [key]?: Promise<Storage> };

export function getStorage(): Promise<Storage> {
  const holder = globalThis as Holder;
  if (!holder[key]) {
    holder[key] = openStorage({ migrate: false });
    holder[key].catch(() => { delete holder[key]; }); // retry on the next request after a failed open
  }
  return holder[key];
}
