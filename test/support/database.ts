/**
 * A fresh, fully migrated PostgreSQL database per test file, so tests never share state:
 *
 *   const db = await createTestDatabase('notifications');
 *   afterAll(() => db.drop());
 *   await db.prisma.plan.findMany();
 *
 * Databases are copied (CREATE DATABASE ... TEMPLATE) from `corewatch_template`, which is migrated once and reused
 * across runs while it matches prisma/migrations; when it does not (a migration added or edited) it is rebuilt.
 * The cluster is the one DATABASE_URL points at (scripts/postgres.sh, started by global-setup); the `corewatch` role
 * has CREATEDB.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { loadConfig } from '../../platform/env';
import { createPrisma, type PrismaClient } from '../../platform/database';
import { applyMigrations, readMigrations } from '../../scripts/migrate';

export const TEMPLATE_DATABASE = 'corewatch_template';
/** Serialises template maintenance and copying between concurrently running test files. */
const TEMPLATE_LOCK = 0x636f7265; // 'core'

export interface TestDatabase {
  /** Database name, `corewatch_test_<name>_<random>`. */
  name: string;
  url: string;
  prisma: PrismaClient;
  /** Disconnects the client and drops the database (closing any connection still open to it). */
  drop(): Promise<void>;
}

/** `url` with its database name replaced. */
export function databaseUrl(name: string, base: string = loadConfig().DATABASE_URL): string {
  const url = new URL(base);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

async function withAdmin<T>(work: (admin: Client) => Promise<T>): Promise<T> {
  // The maintenance database: connecting to the template itself would stop it being copied.
  const admin = new Client({ connectionString: databaseUrl('postgres') });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** Names and checksums of the migrations applied to a database, in order ('' when it has none or is unreadable). */
async function appliedFingerprint(url: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations"
       WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
    );
    return rows.map((r) => `${r.migration_name}:${r.checksum}`).join('\n');
  } catch {
    return '';
  } finally {
    await client.end();
  }
}

function localFingerprint(): string {
  return readMigrations()
    .map((m) => `${m.name}:${m.checksum}`)
    .join('\n');
}

/** Creates or rebuilds `corewatch_template` when missing or behind prisma/migrations. Call with the lock held. */
async function ensureTemplateLocked(admin: Client): Promise<void> {
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [TEMPLATE_DATABASE])).rowCount;
  const url = databaseUrl(TEMPLATE_DATABASE);
  if (exists && (await appliedFingerprint(url)) === localFingerprint()) return;
  if (exists) await admin.query(`DROP DATABASE ${quoteIdent(TEMPLATE_DATABASE)} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${quoteIdent(TEMPLATE_DATABASE)}`);
  await applyMigrations(url);
}

/** Set once this process has checked (or built) the template: migrations do not change during a run. */
let templateChecked = false;

async function withTemplateLock<T>(work: (admin: Client) => Promise<T>): Promise<T> {
  return withAdmin(async (admin) => {
    await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    try {
      if (!templateChecked) {
        await ensureTemplateLocked(admin);
        templateChecked = true;
      }
      return await work(admin);
    } finally {
      await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
    }
  });
}

/** Makes sure the template database is current; global-setup may call it to pay the cost once, up front. */
export async function ensureTemplate(): Promise<void> {
  await withTemplateLock(async () => undefined);
}

/** A new database with every migration applied, and a Prisma client for it. */
export async function createTestDatabase(name = 'db'): Promise<TestDatabase> {
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 30) || 'db';
  const dbName = `corewatch_test_${slug}_${randomBytes(5).toString('hex')}`;
  await withTemplateLock((admin) =>
    admin.query(`CREATE DATABASE ${quoteIdent(dbName)} TEMPLATE ${quoteIdent(TEMPLATE_DATABASE)}`),
  );
  const url = databaseUrl(dbName);
  const prisma = createPrisma(url);
  let dropped = false;
  return {
    name: dbName,
    url,
    prisma,
    async drop() {
      if (dropped) return;
      dropped = true;
      await prisma.$disconnect();
      await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(dbName)} WITH (FORCE)`));
    },
  };
}
