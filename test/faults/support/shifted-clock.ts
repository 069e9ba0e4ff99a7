/**
 * A workflow bundle whose plan workflow lives `offsetMs` ahead in time: its "today" is the London date at now +
 * offset, and it sleeps until a London midnight minus the offset. With the offset chosen so that a London midnight
 * falls a minute from now, a plan's next deadline fires in a minute instead of tonight, on a real timer in the
 * real Temporal server: what test/faults/temporal-restart.test.ts needs to stop the server with timers pending.
 *
 * Built like test/support/workflow-bundle.ts, except that the swap applies only to workflows/plan.ts's import of
 * domain/calendar: the stand-in (generated with the offset written into it) re-exports the real calendar, which it
 * imports by its absolute path, and overrides londonDateAt and londonStartOfDay. Everything else, the rules and the
 * calendar arithmetic included, is the real code.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { FAULTS_DIR } from './processes';

const PLAN_WORKFLOW = require.resolve('../../../workflows/plan');
const REAL_CALENDAR = require.resolve('../../../domain/calendar');

interface ResourceData {
  request: string;
  contextInfo: { issuer: string };
}
/** A webpack plugin, as the SDK's bundler options type it. */
type Plugin = NonNullable<
  Parameters<NonNullable<Parameters<typeof bundleWorkflowCode>[0]['webpackConfigHook']>>[0]['plugins']
>[number];
type ReplacementPlugin = new (pattern: RegExp, replace: (resource: ResourceData) => void) => Plugin;

/** Writes the bundle; returns its path (pass it to the worker as TEMPORAL_WORKFLOW_BUNDLE). */
export async function bundleWithShiftedClock(offsetMs: number): Promise<string> {
  fs.mkdirSync(FAULTS_DIR, { recursive: true });
  const tag = randomBytes(4).toString('hex');
  const standIn = path.join(FAULTS_DIR, `shifted-calendar-${tag}.ts`);
  const real = REAL_CALENDAR.replace(/\.ts$/, '');
  fs.writeFileSync(
    standIn,
    [
      `export * from ${JSON.stringify(real)};`,
      `import { londonDateAt as realDateAt, londonStartOfDay as realStartOfDay } from ${JSON.stringify(real)};`,
      `const OFFSET_MS = ${Math.round(offsetMs)};`,
      'export function londonDateAt(epochMs: number): string { return realDateAt(epochMs + OFFSET_MS); }',
      'export function londonStartOfDay(date: string): number { return realStartOfDay(date) - OFFSET_MS; }',
      '',
    ].join('\n'),
  );
  // The bundler's own webpack, as the SDK resolves it.
  const webpack = require(require.resolve('webpack', { paths: [require.resolve('@temporalio/worker')] })) as {
    NormalModuleReplacementPlugin: ReplacementPlugin;
  };
  const swap = new webpack.NormalModuleReplacementPlugin(/[\\/]domain[\\/]calendar$/, (resource) => {
    if (resource.contextInfo.issuer === PLAN_WORKFLOW) resource.request = standIn;
  });
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../../workflows'),
    logger: quietLogger,
    webpackConfigHook: (config) => ({ ...config, plugins: [...(config.plugins ?? []), swap] }),
  });
  if (!code.includes(`OFFSET_MS = ${Math.round(offsetMs)}`))
    throw new Error('the workflow bundle did not take the shifted clock');
  const file = path.join(FAULTS_DIR, `workflow-bundle-shifted-${tag}.js`);
  fs.writeFileSync(file, code);
  fs.rmSync(standIn, { force: true });
  return file;
}

const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error, log: noop };
