// A guest's pass: who joined a notebook through a share link, kept in an
// httpOnly cookie signed with the installation's secret (one cookie per
// notebook). The pass only names the Guest row; whether the link still gives
// access, and which role, is decided from the database on every request.
//
// A pass for a guest's own copy ("Try it myself" in a workshop) says so
// (`own`): it opens that fork as its guest owner, whatever became of the link
// the guest joined through, until the fork expires (see notebook-access.ts).
import { SignJWT, jwtVerify } from 'jose';
import { publicAppUrl } from '../../config/env';
import { tokenSecret } from '../../config/env';

const audience = 'cellmate-guest';
/** How long a browser keeps a guest pass (the link's own expiry still applies). */
export const GUEST_PASS_SECONDS = 30 * 24 * 3600;
/**
 * How long a browser keeps the pass of a guest's own copy: longer than the
 * longest fork retention (365 days) plus a workshop, so the browser can still
 * say "this copy expired" afterwards. The fork's expiry is enforced from the
 * database, not by this lifetime. (400 days is also browsers' cap on cookies.)
 */
export const GUEST_COPY_PASS_SECONDS = 400 * 24 * 3600;

export interface GuestPass {
  guestId: string;
  /** A pass for the guest's own fork, not for a notebook they joined through a link. */
  ownCopy: boolean;
}

export function guestCookieName(notebookId: string): string {
  return `cellmate_guest_${notebookId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

export async function signGuestPass(guestId: string, notebookId: string, options: { ownCopy?: boolean } = {}): Promise<string> {
  const seconds = options.ownCopy ? GUEST_COPY_PASS_SECONDS : GUEST_PASS_SECONDS;
  return new SignJWT({ gid: guestId, ...(options.ownCopy ? { own: true } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(notebookId)
    .setIssuer('cellmate')
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + seconds)
    .sign(tokenSecret());
}

/** The pass for this notebook, or null when it is missing, forged, expired or another notebook's. */
export async function readGuestPassOf(pass: string | undefined, notebookId: string): Promise<GuestPass | null> {
  if (!pass) return null;
  try {
    const { payload } = await jwtVerify(pass, tokenSecret(), { issuer: 'cellmate', audience, algorithms: ['HS256'] });
    if (payload.sub !== notebookId || typeof payload.gid !== 'string') return null;
    return { guestId: payload.gid, ownCopy: payload.own === true };
  } catch {
    return null;
  }
}

/** A Set-Cookie header value that stores `pass` for this notebook (for route handlers, which build their own responses). */
export function guestPassCookie(notebookId: string, pass: string, maxAgeSeconds: number): string {
  const secure = publicAppUrl().startsWith('https:') ? '; Secure' : '';
  return `${guestCookieName(notebookId)}=${encodeURIComponent(pass)}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure}`;
}
