// Next.js settings for the Cellmate web app (the `app/` folder at the project root).
// Native and server-only packages stay outside the server bundle: they load
// binaries (better-sqlite3), WebAssembly (the Prisma schema engine) or
// rely on their own file layout at run time.
import type { NextConfig } from 'next';

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  typedRoutes: false,
  // A second checkout-free build folder (e.g. to test one build while another is made).
  distDir: process.env.CELLMATE_NEXT_DIR || '.next',
  // The build type-checks the web app and what it imports, not the other services' sources.
  typescript: { tsconfigPath: 'tsconfig.app.json' },
  serverExternalPackages: [
    'better-sqlite3',
    'pg',
    'ioredis',
    '@prisma/client',
    '@prisma/adapter-better-sqlite3',
    '@prisma/adapter-pg',
    '@prisma/driver-adapter-utils',
    '@prisma/schema-engine-wasm',
    // The websocket client the server uses to write a published page's reader comments (library/reader-comments.ts).
    'ws',
    // One Yjs for all server code: a copy bundled per route would make Yjs warn
    // and break `instanceof` checks between documents made by different copies.
    'yjs',
  ],
};

export default config;
