/**
 * Prisma 7 configuration. Prisma 7 no longer reads the connection URL from schema.prisma: the CLI (migrate, db,
 * studio) takes it from `datasource.url` here. It comes from platform/env.ts, so the CLI and the application agree on
 * DATABASE_URL and its development default.
 *
 * `prisma generate` never connects, so an incomplete environment (e.g. a production image build, where
 * platform/env.ts refuses the defaults) must not stop it: the URL is then simply left out, and a command that does
 * need it fails asking for one. Migrations are applied by scripts/migrate.ts (see prisma/schema.prisma).
 */
import { defineConfig } from 'prisma/config';
import { loadConfig } from './platform/env';

function databaseUrl(): string | undefined {
  try {
    return loadConfig().DATABASE_URL;
  } catch {
    return undefined;
  }
}

const url = databaseUrl();

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: url === undefined ? {} : { url },
});
