// Accounts: sign-up, sign-in and sessions, by the better-auth library over our
// Prisma client (SQLite or PostgreSQL, whichever storage opened). The library
// hashes passwords with scrypt (memory-hard), keeps sessions in the Session
// table and hands the browser an httpOnly session cookie (Secure when the
// public URL is https). Nothing here does its own session cryptography.
import { betterAuth, type BetterAuthOptions } from 'better-auth';
import { prismaAdapter } from 'better-auth/adapters/prisma';
import { createHmac } from 'node:crypto';
import { publicAppUrl, tokenSecret } from '../config/env';
import type { Storage } from '../storage';


/** The library's own key, derived from the installation's secret so there is one secret to keep. */
function accountsSecret(): string {
  return createHmac('sha256', tokenSecret()).update('cellmate accounts').digest('hex');
}

export interface AccountsOptions {
  baseURL?: string;
  plugins?: BetterAuthOptions['plugins'];
}

export function createAccounts(storage: Storage, options: AccountsOptions = {}) {
  const baseURL = options.baseURL ?? publicAppUrl();
  const local = new URL(baseURL);
  return betterAuth({
    appName: 'Cellmate',
    baseURL,
    secret: accountsSecret(),
    // Only prismaClient's shape matters to the adapter; both generated clients have it.
    database: prismaAdapter(storage.prismaClient as Parameters<typeof prismaAdapter>[0], { provider: storage.provider }),
    emailAndPassword: { enabled: true, minPasswordLength: 8, maxPasswordLength: 200, autoSignIn: true },
    session: { expiresIn: 14 * 24 * 3600, updateAge: 24 * 3600 },
    // The same app reached as localhost or 127.0.0.1 on this machine.
    trustedOrigins: [baseURL, `${local.protocol}//127.0.0.1:${local.port}`, `${local.protocol}//localhost:${local.port}`],
    advanced: { cookiePrefix: 'cellmate' },
    telemetry: { enabled: false },
    plugins: options.plugins ?? [],
  });
}

export type Accounts = ReturnType<typeof createAccounts>;
