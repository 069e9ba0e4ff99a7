/**
 * A PostgreSQL cluster of the fault suite's own (scripts/postgres.sh with its own state directory and port), so a
 * scenario can stop and start it without touching the cluster the rest of the tests use.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { applyMigrations } from '../../../scripts/migrate';
import { REPO_ROOT } from '../../support/paths';
import { freePort } from '../../support/dev-server';
import { FAULTS_DIR } from './processes';

const run = promisify(execFile);

export class OwnPostgres {
  private port = 0;
  private readonly state = path.join(FAULTS_DIR, 'pg');

  /** The scenario's database, made afresh by `freshDatabase`. */
  get url(): string {
    return `postgresql://corewatch:corewatch@127.0.0.1:${this.port}/faults`;
  }

  /** Drops and recreates the scenario's database, with every migration applied. */
  async freshDatabase(): Promise<void> {
    const admin = new Client({ connectionString: `postgresql://corewatch:corewatch@127.0.0.1:${this.port}/postgres` });
    await admin.connect();
    try {
      await admin.query('DROP DATABASE IF EXISTS faults WITH (FORCE)');
      await admin.query('CREATE DATABASE faults');
    } finally {
      await admin.end();
    }
    await applyMigrations(this.url, { log: () => undefined });
  }

  private env(): NodeJS.ProcessEnv {
    return { ...process.env, COREWATCH_STATE: this.state, COREWATCH_PG_PORT: String(this.port) };
  }

  /** Starts it: the first time as a new cluster (whatever an earlier run left is stopped and removed). */
  async start(): Promise<void> {
    if (this.port === 0) {
      this.port = await freePort();
      await this.stop();
      // Where scripts/postgres.sh keeps this state directory's data: under it, or its fallback under /var/tmp.
      const fallback = `/var/tmp/corewatch-pg-${createHash('sha256').update(this.state).digest('hex').slice(0, 12)}`;
      for (const dir of [this.state, fallback]) fs.rmSync(dir, { recursive: true, force: true });
    }
    await run('bash', [path.join(REPO_ROOT, 'scripts', 'postgres.sh'), 'start'], { env: this.env() });
  }

  /** A fast shutdown: open connections are ended, as a restart or an operator's `pg_ctl stop` does. */
  async stop(): Promise<void> {
    await run('bash', [path.join(REPO_ROOT, 'scripts', 'postgres.sh'), 'stop'], { env: this.env() });
  }
}
