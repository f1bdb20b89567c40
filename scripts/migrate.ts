// Brings the configured database (DATABASE_URL, or the embedded SQLite file) up
// to the latest migration. `npm start` runs it before the services start.
import { migrateDatabase } from '../storage';
import { databaseUrl } from '../config/env';

const url = databaseUrl();
await migrateDatabase(url);
console.log(`database ready (${url.startsWith('file:') ? 'SQLite ' + url.slice(5) : 'PostgreSQL'})`);
