// The first account of an installation inherits the notebooks made before any
// account existed (imported or created on the command line), so they do not
// stay unreachable: the web app shows people only notebooks they have a role on.
import type { Storage } from '../../storage';

/** Makes `userId` owner of every notebook nobody has a role on, if it is the only account. Returns how many. */
export async function adoptOwnerlessNotebooks(storage: Storage, userId: string): Promise<number> {
  const accounts = await storage.users.first(2);
  if (accounts.length !== 1 || accounts[0].id !== userId) return 0;
  let adopted = 0;
  for (const notebook of await storage.notebooks.list()) {
    if ((await storage.members.list(notebook.id)).length > 0) continue;
    await storage.members.grant(notebook.id, userId, 'owner');
    adopted++;
  }
  return adopted;
}
