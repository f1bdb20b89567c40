// `/join/<secret>`: the page a share link opens. A live link shows the
// notebook's title and the role it gives, and asks for a display name; a
// revoked, expired or made-up one says so and shows nothing of the notebook.
// A signed-in member of the notebook goes straight to it.
import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import type { JSX } from 'react';
import { currentUser } from '../../server/accounts';
import { getStorage } from '../../server/storage';
import { JoinForm } from '../JoinForm';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Join a notebook · Cellmate', referrer: 'no-referrer' };

export default async function JoinPage({ params }: { params: Promise<{ secret: string }> }): Promise<JSX.Element> {
  const { secret } = await params;
  const storage = await getStorage();
  const link = await storage.shareLinks.resolve(secret);
  const notebook = link && (await storage.notebooks.get(link.notebookId));
  if (!link || !notebook) {
    return (
      <main className="name-page">
        <div className="name-form" data-testid="join-invalid">
          <h1>This link does not work</h1>
          <p>It was revoked, has expired, or was copied incompletely. Ask the notebook&apos;s owner for a new one.</p>
        </div>
      </main>
    );
  }
  const user = await currentUser();
  if (user && (await storage.members.roleOf(notebook.id, user.id))) redirect(`/notebooks/${encodeURIComponent(notebook.id)}`);
  return (
    <main className="name-page">
      <JoinForm secret={secret} title={notebook.title} role={link.role} suggestedName={user?.name ?? ''} />
    </main>
  );
}
