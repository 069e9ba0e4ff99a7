/**
 * Applies prisma/migrations to a database, the way `prisma migrate deploy` would, without Prisma's native schema
 * engine (it is downloaded from binaries.prisma.sh at run time, which CI cannot reach).
 *
 *   npx tsx scripts/migrate.ts          # DATABASE_URL from config/env.ts
 *
 * Each pending migration folder runs, in name order, in its own transaction together with its row in Prisma's own
 * `_prisma_migrations` table (same table, columns and sha256 checksums as Prisma), so a later real
 * `prisma migrate deploy` accepts the database as up to date. Idempotent. Refuses, changing nothing, when an applied
 * migration's file has changed since, when a migration is recorded as failed, or when the database has a migration
 * this checkout does not know.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '../platform/env';

export const MIGRATIONS_DIR = resolve(__dirname, '..', 'prisma', 'migrations');

/** Prisma's advisory lock key for migrations: a concurrent `prisma migrate` and this runner exclude each other. */
const PRISMA_MIGRATE_LOCK = 72707369;

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export interface LocalMigration {
  name: string;
  sql: string;
  /** sha256 of migration.sql, hex, as Prisma records it. */
  checksum: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
}

/** The migration folders on disk, in the order they apply (folder names start with a UTC timestamp). */
export function readMigrations(dir: string = MIGRATIONS_DIR): LocalMigration[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const bytes = readFileSync(join(dir, name, 'migration.sql'));
      return { name, sql: bytes.toString('utf8'), checksum: createHash('sha256').update(bytes).digest('hex') };
    });
}

// Prisma's own definition of the table (schema-engine, postgres flavour).
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Applies every pending migration to the database at `databaseUrl`. Throws MigrationError (nothing applied) when the
 * recorded history does not match the migrations on disk.
 */
export async function applyMigrations(
  databaseUrl: string,
  options: { dir?: string; log?: (line: string) => void } = {},
): Promise<MigrationResult> {
  const log = options.log ?? (() => undefined);
  const local = readMigrations(options.dir);
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // Quiet the NOTICE that CREATE TABLE IF NOT EXISTS raises on every run.
    await client.query(`SET client_min_messages = warning`);
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK]);
    await client.query(CREATE_MIGRATIONS_TABLE);
    const { rows } = await client.query<AppliedRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at`,
    );
    const history = rows.filter((row) => row.rolled_back_at === null);

    const failed = history.filter((row) => row.finished_at === null);
    if (failed.length > 0) {
      throw new MigrationError(
        `migration(s) recorded as failed in _prisma_migrations: ${failed.map((r) => r.migration_name).join(', ')}. ` +
          'Fix the database by hand, then mark them rolled back (prisma migrate resolve --rolled-back <name>).',
      );
    }
    const byName = new Map(local.map((m) => [m.name, m]));
    const unknown = history.filter((row) => !byName.has(row.migration_name));
    if (unknown.length > 0) {
      throw new MigrationError(
        `the database has migration(s) missing from ${options.dir ?? MIGRATIONS_DIR}: ` +
          `${unknown.map((r) => r.migration_name).join(', ')}. Is this checkout older than the database?`,
      );
    }
    const changed = history.filter((row) => byName.get(row.migration_name)?.checksum !== row.checksum);
    if (changed.length > 0) {
      throw new MigrationError(
        `applied migration(s) were modified after they were applied: ${changed.map((r) => r.migration_name).join(', ')} ` +
          '(checksum differs from _prisma_migrations). Never edit an applied migration: add a new one instead.',
      );
    }

    const done = new Set(history.map((row) => row.migration_name));
    const result: MigrationResult = { applied: [], alreadyApplied: [] };
    for (const migration of local) {
      if (done.has(migration.name)) {
        result.alreadyApplied.push(migration.name);
        continue;
      }
      const id = randomUUID();
      await client.query('BEGIN');
      try {
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), 0)`,
          [id, migration.checksum, migration.name],
        );
        await client.query(migration.sql);
        await client.query(
          `UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`,
          [id],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new MigrationError(`migration ${migration.name} failed and was rolled back: ${(error as Error).message}`);
      }
      result.applied.push(migration.name);
      log(`applied ${migration.name}`);
    }
    return result;
  } finally {
    await client.end();
  }
}

/** Prints the URL without its password. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

async function main(): Promise<void> {
  const { DATABASE_URL } = loadConfig();
  const result = await applyMigrations(DATABASE_URL, { log: (line) => console.log(`[migrate] ${line}`) });
  console.log(
    `[migrate] ${redact(DATABASE_URL)}: ${result.applied.length} applied, ` +
      `${result.alreadyApplied.length} already applied`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`[migrate] error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
