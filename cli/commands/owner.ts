// Whose a notebook made on the command line is. The web app shows a person only
// the notebooks they have a role on, so a notebook nobody owns would be
// unreachable there: `--owner EMAIL` names the account, and on a machine with a
// single account that account is the owner without asking.
import type { Storage } from '../../storage';
import { UsageError } from './command';

export interface Owner {
  userId: string;
  email: string;
}

export async function resolveOwner(storage: Storage, email: string | undefined): Promise<Owner | null> {
  if (email) {
    const user = await storage.users.findByEmail(email);
    if (!user) throw new UsageError(`nb: no account with the email ${email}; sign up in the web app first`);
    return { userId: user.id, email: user.email };
  }
  const accounts = await storage.users.first(2);
  if (accounts.length === 1) return { userId: accounts[0].id, email: accounts[0].email };
  if (accounts.length > 1) throw new UsageError('nb: several accounts exist; say whose notebook this is with --owner EMAIL');
  return null;
}

/** Makes `owner` the notebook's owner (nothing to do without one). */
export async function grantOwner(storage: Storage, notebookId: string, owner: Owner | null): Promise<void> {
  if (owner) await storage.members.grant(notebookId, owner.userId, 'owner');
}

/** Printed once when notebooks were made before any account existed. */
export const noAccountYet =
  'nb: note: there is no account yet; the first account to sign up in the web app becomes the owner of these notebooks';
