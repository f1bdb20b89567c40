// A guest's pass: who joined a notebook through a share link, kept in an
// httpOnly cookie signed with the installation's secret (one cookie per
// notebook). The pass only names the Guest row; whether the link still gives
// access, and which role, is decided from the database on every request.
import { SignJWT, jwtVerify } from 'jose';
import { tokenSecret } from '../../config/env';

const audience = 'cellmate-guest';
/** How long a browser keeps a guest pass (the link's own expiry still applies). */
export const GUEST_PASS_SECONDS = 30 * 24 * 3600;

export function guestCookieName(notebookId: string): string {
  return `cellmate_guest_${notebookId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

export async function signGuestPass(guestId: string, notebookId: string): Promise<string> {
  return new SignJWT({ gid: guestId })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(notebookId)
    .setIssuer('cellmate')
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + GUEST_PASS_SECONDS)
    .sign(tokenSecret());
}

/** The guest id in a pass for this notebook, or null when the pass is missing, forged, expired or another notebook's. */
export async function readGuestPass(pass: string | undefined, notebookId: string): Promise<string | null> {
  if (!pass) return null;
  try {
    const { payload } = await jwtVerify(pass, tokenSecret(), { issuer: 'cellmate', audience, algorithms: ['HS256'] });
    return payload.sub === notebookId && typeof payload.gid === 'string' ? payload.gid : null;
  } catch {
    return null;
  }
}
