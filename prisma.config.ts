// Configuration for Prisma's CLI (`prisma generate`, `prisma migrate deploy`
// where its native engine is available). The app itself never reads this: it
// migrates through storage/migrations.ts. A postgres:// DATABASE_URL selects the
// PostgreSQL twin of the schema, anything else the default SQLite file.
import { join } from 'node:path';
import { defineConfig } from 'prisma/config';

const url = process.env.DATABASE_URL || `file:${join(process.env.CELLMATE_DATA_DIR || join(import.meta.dirname, 'data'), 'cellmate.db')}`;
const postgres = /^postgres(ql)?:\/\//i.test(url);

export default defineConfig({
  schema: postgres ? 'prisma/postgresql/schema.prisma' : 'prisma/schema.prisma',
  migrations: { path: postgres ? 'prisma/postgresql/migrations' : 'prisma/migrations' },
  datasource: { url },
});
