'use server';
// Joining a notebook through a share link: the link is checked again (it may
// have been revoked while the form was open), a Guest row records the display
// name, and a signed guest pass in an httpOnly cookie lets this browser back in
// while the link stays live.
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { publicAppUrl } from '../../config/env';
import { displayNameSchema } from '../identity/identity';
import { GUEST_PASS_SECONDS, guestCookieName, signGuestPass } from '../server/guest-pass';
import { getStorage } from '../server/storage';

export async function joinAsGuestAction(secret: string, _previous: string | null, form: FormData): Promise<string | null> {
  const name = displayNameSchema.safeParse(form.get('name'));
  if (!name.success) return name.error.issues[0]?.message ?? 'Enter a name.';
  const storage = await getStorage();
  const link = typeof secret === 'string' && secret.length <= 200 ? await storage.shareLinks.resolve(secret) : null;
  if (!link) return 'This link no longer works: it was revoked or has expired. Ask the notebook\'s owner for a new one.';
  const guest = await storage.shareLinks.addGuest(link.id, name.data);
  (await cookies()).set(guestCookieName(link.notebookId), await signGuestPass(guest.id, link.notebookId), {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: publicAppUrl().startsWith('https:'),
    maxAge: GUEST_PASS_SECONDS,
  });
  redirect(`/notebooks/${encodeURIComponent(link.notebookId)}`);
}
