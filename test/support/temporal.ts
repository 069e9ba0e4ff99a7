/**
 * Temporal for workflow tests: Temporal's own time-skipping test server (a real server implementation, in Java,
 * fetched from Maven Central by scripts/setup.sh), started through the SDK's public API with an existing-path
 * executable. One server per test: the clock is global to a server, so a fresh one keeps a test's skips, and any
 * work an earlier test left behind, from reaching the next.
 */
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { REPO_ROOT, TEST_ENV_VARIABLE, type SharedTestEnv } from './paths';

export function sharedTestEnv(): SharedTestEnv {
  const raw = process.env[TEST_ENV_VARIABLE];
  if (raw === undefined)
    throw new Error(`${TEST_ENV_VARIABLE} is not set: run integration tests through jest's integration project`);
  return JSON.parse(raw) as SharedTestEnv;
}

export function startTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: {
      executable: { type: 'existing-path', path: path.join(REPO_ROOT, 'scripts', 'temporal-test-server', 'run') },
    },
  });
}
