/**
 * Determinism guard: every history recorded in test/workflows/histories/ (see its README.md) is replayed against the
 * current workflow code. A workflow change that would issue different commands from those a running plan already
 * recorded fails here with a nondeterminism error, instead of breaking running plans after a deploy. Such a change
 * must be guarded with `patched()` / `deprecatePatch()`; the history is never re-recorded to make this pass.
 *
 * No server, database or SMTP: replay runs the workflow bundle (prebuilt by global setup) against the history alone;
 * activities are not executed, their recorded results are fed back.
 */
import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON, type History } from '@temporalio/common/lib/proto-utils';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';
import { Worker } from '@temporalio/worker';
import { sharedTestEnv } from '../support/temporal';

const HISTORIES_DIR = path.join(__dirname, 'histories');
const historyFiles = fs
  .readdirSync(HISTORIES_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('replay of recorded workflow histories', () => {
  it('has histories to replay', () => {
    expect(historyFiles).toContain('plan-workflow-v1.json');
  });

  it.each(historyFiles)('%s replays deterministically against the current workflow code', async (file) => {
    const history = readHistory(path.join(HISTORIES_DIR, file));
    expect(history.events?.length).toBeGreaterThan(0);
    // Throws DeterminismViolationError (nondeterminism) or ReplayError (any other replay failure).
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: sharedTestEnv().workflowBundlePath } },
      history,
      path.basename(file, '.json'),
    );
  });
});

/**
 * A history file (proto JSON, as `temporal workflow show --output json` and scripts/record-history.ts write it) as a
 * History message, through the SDK's `historyFromJSON`. With this project's dependency tree that function throws
 * "type must be a Type": npm installs two copies of protobufjs 8 (under @temporalio/common and under
 * @temporalio/proto; the top level holds the protobufjs 7 @grpc/proto-loader needs), and the protojson module of the
 * first rejects the message types of the second. `Worker.runReplayHistory` given the parsed JSON calls the same
 * function, so the history is converted here: the fallback does what historyFromJSON does for a history already in
 * proto JSON form, with the protojson module of the protobufjs copy @temporalio/proto uses.
 */
function readHistory(file: string): History {
  const json: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  try {
    return historyFromJSON(json);
  } catch (error) {
    if (!(error instanceof TypeError && error.message === 'type must be a Type')) throw error;
    const root = patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown };
    const protojson = require(
      require.resolve('protobufjs/ext/protojson', { paths: [path.dirname(require.resolve('@temporalio/proto'))] }),
    ) as {
      fromJson(type: unknown, json: unknown, options: { ignoreUnknownFields: boolean }): History;
    };
    return protojson.fromJson(root.lookupType('temporal.api.history.v1.History'), json, { ignoreUnknownFields: true });
  }
}
