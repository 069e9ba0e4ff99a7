/** Removes this run's workflow bundle. PostgreSQL is left running: it is cheap and reused by the next run. */
import fs from 'node:fs';
import { TEST_ENV_VARIABLE, type SharedTestEnv } from './paths';

export default async function globalTeardown(): Promise<void> {
  const raw = process.env[TEST_ENV_VARIABLE];
  if (raw === undefined) return;
  const env = JSON.parse(raw) as SharedTestEnv;
  fs.rmSync(env.workflowBundlePath, { force: true });
}
