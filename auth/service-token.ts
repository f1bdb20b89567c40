// Tokens between Cellmate's own services (never given to a browser): the app
// tells the collab server that access to a notebook changed; the kernel bridge
// proves to the collab server that its socket is the bridge's (the only one
// whose presence may carry kernel state). Same key as the
// notebook tokens, another audience, so neither can stand in for the other.
import { SignJWT, jwtVerify } from 'jose';
import { tokenSecret } from '../config/env';

const issuer = 'cellmate';
const audience = 'cellmate-service';

export type ServicePurpose = 'access-changed' | 'kernel-presence';

export async function signServiceToken(purpose: ServicePurpose, notebookId: string, ttlSeconds = 60): Promise<string> {
  return new SignJWT({ purpose })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(notebookId)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(tokenSecret());
}

/** True when `token` is a valid, unexpired service token for this purpose and notebook. */
export async function verifyServiceToken(token: string | null | undefined, purpose: ServicePurpose, notebookId: string): Promise<boolean> {
  if (!token) return false;
  try {
    const { payload } = await jwtVerify(token, tokenSecret(), { issuer, audience, algorithms: ['HS256'] });
    return payload.purpose === purpose && payload.sub === notebookId;
  } catch {
    return false;
  }
}
