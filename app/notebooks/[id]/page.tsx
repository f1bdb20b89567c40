// `/notebooks/:id`: looks the notebook up (404 when unknown or when this person
// has no role on it; sign-in first when nobody is signed in), mints a notebook token and hands everything the
// collaborative editor needs to the client. Nothing of the document is rendered
// here: the browser loads it from the collab server, the one source of truth.
import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import type { JSX } from 'react';
import { ports, publicServiceUrls, workshopForkRetentionDays } from '../../../config/env';
import { accessEnded } from '../../server/access-ended';
import { currentUser } from '../../server/accounts';
import { colorFor } from '../../server/holder-color';
import { notebookAccess } from '../../server/notebook-access';
import { NotebookEditor } from '../../notebook/NotebookEditor';
import { grantForPage } from '../../server/notebook-grant';
import { getStorage } from '../../server/storage';
import { isWorkshopAttendee } from '../../server/workshops';
import { AccessEndedNotice } from '../../workshop/AccessEndedNotice';
import { GuestCopyNotice } from '../../workshop/GuestCopyNotice';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { id } = await params;
  const record = await (await getStorage()).notebooks.get(id);
  // The title is the notebook's content too: only for people with a role on it.
  const visible = record && (await notebookAccess(id));
  return { title: visible ? `${record.title} · Cellmate` : 'Notebook not found · Cellmate' };
}

/** The host name this page was requested on, without its port. */
function hostnameOf(hostHeader: string | null): string {
  const host = hostHeader ?? 'localhost';
  // Strip the port; keep IPv6 brackets ("[::1]:3000" → "[::1]").
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
}

/** The collab server as the browser reaches it: the host this page came from, on the collab port. */
function collabUrlFor(hostHeader: string | null): string {
  return publicServiceUrls().collab ?? `ws://${hostnameOf(hostHeader)}:${ports.collab}`;
}

/** The kernel bridge as the browser reaches it: the same host, on the bridge port. */
function bridgeUrlFor(hostHeader: string | null): string {
  return publicServiceUrls().bridge ?? `http://${hostnameOf(hostHeader)}:${ports.bridge}`;
}

export default async function NotebookPage({ params }: Params): Promise<JSX.Element> {
  const { id } = await params;
  const storage = await getStorage();
  const record = await storage.notebooks.get(id);

  // Members by their account, guests by their share link or as owners of their
  // workshop copy; anyone else is told nothing about this notebook (sign in
  // first, or not found) — except a workshop guest whose copy expired or whose
  // workshop ended, who is told just that.
  const access = record && (await notebookAccess(id));
  if (!record || !access) {
    const ended = await accessEnded(storage, id, await headers());
    if (ended) return <AccessEndedNotice ended={ended} />;
    if (!record) notFound();
    if (!(await currentUser())) redirect(`/sign-in?next=${encodeURIComponent(`/notebooks/${id}`)}`);
    notFound();
  }

  const grant = await grantForPage(record, access);
  const origin = await (await getStorage()).notebooks.originOf(record.id);
  const requestHeaders = await headers();
  const host = requestHeaders.get('x-forwarded-host') ?? requestHeaders.get('host');
  const live = await storage.workshops.live(id);
  const signedIn = access.user ?? (await currentUser());
  const guestCopy = access.via.kind === 'guest-owner' ? await storage.notebooks.guestOwnership(id) : null;
  const keptDays = workshopForkRetentionDays();
  // Opening the notebook is seeing its mentions of you (the list stops counting them).
  if (access.user) await storage.mentions.markSeen(id, access.user.id);
  const mentionable = (await storage.members.list(id)).map((m) => ({ userId: m.userId, name: m.name }));
  return (
    <NotebookEditor
      notebookId={record.id}
      title={record.title}
      epoch={grant.epoch}
      token={grant.token}
      role={grant.role}
      collabUrl={collabUrlFor(host)}
      bridgeUrl={bridgeUrlFor(host)}
      user={{ name: access.name, color: colorFor(access.holderId) }}
      userId={access.holderId}
      canShare={access.user !== null}
      workshop={live && {
        attendee: isWorkshopAttendee(access, live),
        // Accounts fork into their account; guests only through the workshop's own links.
        canFork: signedIn !== null || (access.via.kind === 'link' && [live.attendeeLinkId, live.presenterLinkId].includes(access.via.linkId)),
        keptDays,
      }}
      notice={guestCopy ? <GuestCopyNotice expiresAt={guestCopy.expiresAt?.toISOString() ?? null} keptDays={keptDays} /> : undefined}
      isFork={origin !== null}
      mentionable={mentionable}
    />
  );
}
