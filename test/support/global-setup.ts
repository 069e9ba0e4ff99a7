/**
 * Once per `jest` run of the integration tier: start PostgreSQL (and build the migrated template database every test
 * file copies), and bundle the workflows once. Webpack-bundling per test file would dominate the suite's time on a
 * two-core machine.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { ensureTemplate } from './database';
import { REPO_ROOT, TEST_ENV_VARIABLE, TEST_STATE_DIR, type SharedTestEnv } from './paths';

export default async function globalSetup(): Promise<void> {
  fs.mkdirSync(TEST_STATE_DIR, { recursive: true });
  // Each run's axe results are written afresh (test/support/browser.ts appends one line per page checked).
  fs.rmSync(path.join(REPO_ROOT, 'test', 'artifacts', 'screenshots', 'axe-results.txt'), { force: true });
  execFileSync('bash', [path.join(REPO_ROOT, 'scripts', 'postgres.sh'), 'start'], { stdio: 'inherit' });
  await ensureTemplate();

  const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quietLogger });
  const workflowBundlePath = path.join(TEST_STATE_DIR, `workflow-bundle-${process.pid}.js`);
  fs.writeFileSync(workflowBundlePath, bundle.code);

  const env: SharedTestEnv = { workflowBundlePath };
  process.env[TEST_ENV_VARIABLE] = JSON.stringify(env);
}

const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error, log: noop };
