/**
 * A workflow bundle of a test's own, in which modules the workflows import are swapped for others: e.g. the policy
 * registry for test/support/bumped-policies.ts, to run the workflow as a deployment with changed rules would. The
 * workflows are bundled from source, as production does, with a webpack `resolve.alias` from each replaced file's
 * absolute path to its stand-in: webpack matches an absolute alias once the import has been resolved to that file,
 * so every import of it is swapped however it is written (`../domain/policies`, `./policies/index`, ...).
 *
 * Bundling takes several seconds on two cores, so build one per test file; pass its `path` to testWorker's
 * `workflowBundlePath` and call `remove()` when done.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { TEST_STATE_DIR } from './paths';

export interface TestWorkflowBundle {
  path: string;
  remove(): void;
}

/** `replace`: absolute path of a module the workflows import -> absolute path of the module to bundle instead. */
export async function bundleWorkflowsWith(replace: Readonly<Record<string, string>>): Promise<TestWorkflowBundle> {
  let context = process.cwd();
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    logger: quietLogger,
    webpackConfigHook: (config) => {
      context = config.context ?? context;
      const alias = config.resolve?.alias ?? {};
      if (Array.isArray(alias))
        throw new Error('the Temporal bundler now gives resolve.alias as an array: extend bundleWorkflowsWith');
      return { ...config, resolve: { ...config.resolve, alias: { ...alias, ...replace } } };
    },
  });
  // A development bundle names each module by its path from webpack's context: check the swap took place.
  const bundled = (file: string): boolean => code.includes(`"./${path.relative(context, file)}"`);
  for (const [original, standIn] of Object.entries(replace)) {
    if (bundled(original) || !bundled(standIn))
      throw new Error(`the workflow bundle did not swap ${original} for ${standIn}`);
  }
  fs.mkdirSync(TEST_STATE_DIR, { recursive: true });
  const file = path.join(TEST_STATE_DIR, `workflow-bundle-${process.pid}-${randomBytes(4).toString('hex')}.js`);
  fs.writeFileSync(file, code);
  return { path: file, remove: () => fs.rmSync(file, { force: true }) };
}

const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error, log: noop };
