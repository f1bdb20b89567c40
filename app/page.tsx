// `/`: the signed-in user's notebooks (their own and those shared with them),
// newest change first, with create / rename / delete / share and file import.
// Someone not signed in is sent to sign in.
import { redirect } from 'next/navigation';
import type { JSX } from 'react';
import { SignOutButton } from './(account)/SignOutButton';
import { ImportDropZone } from './files/ImportDropZone';
import { CreateNotebookForm } from './notebook-list/CreateNotebookForm';
import { NotebookRow } from './notebook-list/NotebookRow';
import { currentUser } from './server/accounts';
import { getStorage } from './server/storage';

export const dynamic = 'force-dynamic';

export default async function NotebookListPage(): Promise<JSX.Element> {
  const user = await currentUser();
  if (!user) redirect('/sign-in');
  const storage = await getStorage();
  const notebooks = await storage.members.notebooksOf(user.id);
  const mentions = await storage.mentions.unseenByNotebook(user.id);
  return (
    <main className="list-page">
      <header className="list-header">
        <h1>Cellmate</h1>
        <p className="subtitle">Notebooks you can edit together, live.</p>
        <span className="account-bar">
          <span data-testid="signed-in-as">{user.name} ({user.email})</span>
          <SignOutButton />
        </span>
      </header>
      <CreateNotebookForm />
      <ImportDropZone />
      {notebooks.length === 0 && <p className="empty-list">No notebooks yet. Create one above or import a file.</p>}
      <ul className="notebook-list" data-testid="notebook-list">
        {notebooks.map((n) => (
          <NotebookRow key={n.id} id={n.id} title={n.title} updatedAt={n.updatedAt.toISOString()} role={n.role} mentions={mentions.get(n.id)} />
        ))}
      </ul>
    </main>
  );
}
