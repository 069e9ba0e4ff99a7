/**
 * Loaded with `node --require` before `corewatch worker|serve`: the process runs as a deployment that bumped
 * Camden's rules would (test/support/bumped-policies.ts: a new current Camden, the real one kept as a retired
 * version), by resolving every import of domain/policies/index.ts to the stand-in. The workflows the worker runs
 * come from a bundle built with the same swap (TEMPORAL_WORKFLOW_BUNDLE; test/support/workflow-bundle.ts).
 */
import Module from 'node:module';

type Resolve = (request: string, parent: { filename?: string } | undefined, ...rest: unknown[]) => string;

const REAL = require.resolve('../../../domain/policies');
const BUMPED = require.resolve('../../support/bumped-policies');
// Node's CommonJS resolver: not in its typings, but the documented way loaders (tsx among them) hook resolution.
const loader = Module as unknown as { _resolveFilename: Resolve };
const resolve = loader._resolveFilename;

loader._resolveFilename = function (this: unknown, request, parent, ...rest) {
  const resolved = resolve.call(this, request, parent, ...rest);
  return resolved === REAL && parent?.filename !== BUMPED ? BUMPED : resolved;
};
