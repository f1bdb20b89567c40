// `/share/<id>`: the notebook's share dialog, for its owners only: people with
// their roles, share links with their role, expiry and guests (a workshop's
// links labelled as its attendee and presenter links), and the notebook's
// workshop (start it, copy its links, end it).
import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import type { JSX } from 'react';
import { workshopForkRetentionDays } from '../../../config/env';
import { currentUser } from '../../server/accounts';
import { notebookAccess } from '../../server/notebook-access';
import { getStorage } from '../../server/storage';
import { workshopView } from '../../server/workshops';
import { formatTimestamp } from '../../../library/timestamps';
import { WorkshopControls } from '../../workshop/WorkshopControls';
import { ShareDialog, type ShareLinkView } from '../ShareDialog';
import Link from 'next/link';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Share · Cellmate' };

export default async function SharePage({ params }: { params: Promise<{ id: string }> }): Promise<JSX.Element> {
  const { id } = await params;
  const access = await notebookAccess(id);
  if (!access) {
    if (!(await currentUser())) redirect(`/sign-in?next=${encodeURIComponent(`/share/${id}`)}`);
    notFound();
  }
  const storage = await getStorage();
  const notebook = await storage.notebooks.get(id);
  if (!notebook) notFound();
  if (access.role !== 'owner' || !access.user) {
    const why = access.role === 'owner'
      ? `“${notebook.title}” is your own guest copy: it cannot be shared without an account. Download it, or sign up and make your copy with your account.`
      : `Only an owner of “${notebook.title}” can share it.`;
    return (
      <main className="share-page">
        <p role="alert">{why} <a href={`/notebooks/${encodeURIComponent(id)}`}>Back to the notebook</a></p>
      </main>
    );
  }
  const members = await storage.members.list(id);
  const live = await storage.workshops.live(id);
  // A workshop's two links are named for what they are, not listed as bare links.
  const workshopLinks = new Map<string, ShareLinkView['workshop']>();
  for (const workshop of await storage.workshops.list(id)) {
    const name = `workshop of ${formatTimestamp(workshop.startedAt)}`;
    workshopLinks.set(workshop.attendeeLinkId, { kind: 'attendee', name });
    workshopLinks.set(workshop.presenterLinkId, { kind: 'presenter', name });
  }
  const links: ShareLinkView[] = await Promise.all((await storage.shareLinks.list(id)).map(async (link) => ({
    id: link.id,
    workshop: workshopLinks.get(link.id) ?? null,
    role: link.role,
    expiresAt: link.expiresAt?.toISOString() ?? null,
    revoked: link.revokedAt !== null,
    expired: link.expiresAt !== null && link.expiresAt <= new Date(),
    guests: (await storage.shareLinks.guestsOf(link.id)).map((g) => g.name),
  })));
  return (
    <main className="share-page">
      <p><a href={`/notebooks/${encodeURIComponent(id)}`} data-testid="back-to-notebook">← {notebook.title}</a> · <Link href="/">All notebooks</Link></p>
      <h1>Share “{notebook.title}”</h1>
      <ShareDialog
        notebookId={id}
        me={access.user!.id}
        members={members.map((m) => ({ userId: m.userId, name: m.name, email: m.email, role: m.role }))}
        links={links}
      />
      <WorkshopControls notebookId={id} workshop={live && (await workshopView(storage, live))} keptDays={workshopForkRetentionDays()} />
    </main>
  );
}
