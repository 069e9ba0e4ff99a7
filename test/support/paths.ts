/** Where the integration tier keeps its shared state for one `jest` run. */
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const TEST_STATE_DIR = path.join(REPO_ROOT, '.corewatch', 'test');

/**
 * Set by global-setup in `process.env` (which every test file of the same run inherits), so two jest runs on one
 * machine never share or delete each other's files: the prebuilt workflow bundle.
 */
export const TEST_ENV_VARIABLE = 'COREWATCH_TEST_ENV';

export interface SharedTestEnv {
  workflowBundlePath: string;
}
