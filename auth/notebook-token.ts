// Notebook-scoped tokens: short-lived HS256 JWTs minted by the app (and the CLI)
// and checked by the collab server and the kernel bridge. A token names one
// notebook, one role and the display name of its holder.
import { SignJWT, jwtVerify, errors } from 'jose';
import { tokenSecret } from '../config/env';
import { isRole, type Role } from './roles';

export interface NotebookGrant {
  notebookId: string;
  role: Role;
  /** Display name shown to collaborators. */
  name: string;
  /** Stable id of the holder (an account id, or a guest/session id). */
  userId: string;
  /**
   * How the holder has access, so servers can ask the database for the role
   * the holder has NOW (it may have changed since the token was minted):
   * a membership of account `userId`, share link `linkId`, or guest `guestId`
   * owning the notebook (a workshop fork). Absent for services (the kernel
   * bridge's own peer, the CLI), whose role is the token's.
   */
  via?: AccessPath;
}

export type AccessPath =
  | { kind: 'member'; userId: string }
  | { kind: 'link'; linkId: string }
  | { kind: 'guest-owner'; guestId: string };

function accessPathFrom(value: unknown): AccessPath | undefined | null {
  if (value === undefined) return undefined;
  const v = value as Record<string, unknown> | null;
  if (v?.kind === 'member' && typeof v.userId === 'string') return { kind: 'member', userId: v.userId };
  if (v?.kind === 'link' && typeof v.linkId === 'string') return { kind: 'link', linkId: v.linkId };
  if (v?.kind === 'guest-owner' && typeof v.guestId === 'string') return { kind: 'guest-owner', guestId: v.guestId };
  return null;
}

/** The userId the kernel bridge's own peer carries; only its presence may hold kernel state. */
export const kernelBridgeUserId = 'kernel-bridge';

const issuer = 'cellmate';
const audience = 'cellmate-notebook';

export async function signNotebookToken(grant: NotebookGrant, ttlSeconds = 12 * 3600): Promise<string> {
  return new SignJWT({ role: grant.role, name: grant.name, uid: grant.userId, ...(grant.via ? { via: grant.via } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(grant.notebookId)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(tokenSecret());
}

export class TokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenError';
  }
}

/** Verifies signature, expiry and shape; throws TokenError with a readable reason. */
export async function verifyNotebookToken(token: string | null | undefined): Promise<NotebookGrant> {
  if (!token) throw new TokenError('missing token');
  let payload;
  try {
    ({ payload } = await jwtVerify(token, tokenSecret(), { issuer, audience, algorithms: ['HS256'] }));
  } catch (err) {
    if (err instanceof errors.JWTExpired) throw new TokenError('token expired');
    throw new TokenError('invalid token');
  }
  const { sub, role, name, uid, via } = payload as Record<string, unknown>;
  const path = accessPathFrom(via);
  if (typeof sub !== 'string' || !isRole(role) || typeof name !== 'string' || typeof uid !== 'string' || path === null) {
    throw new TokenError('malformed token');
  }
  return { notebookId: sub, role, name, userId: uid, ...(path ? { via: path } : {}) };
}
