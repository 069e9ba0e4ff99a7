/**
 * `corewatch report --partnership ID --month YYYY-MM [--out FILE]`: runs the monthly report workflow on demand (the
 * same workflow the Schedule runs), shows a progress bar from the generation activity's heartbeats, and copies the
 * finished workbook to FILE.
 */
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { loadConfig } from '../platform/env';
import type { ReportProgress } from '../workflows/contracts';
import { parseYearMonth } from '../domain/report-months';
import { connectTemporalClient } from '../platform/temporal';
import { monthlyReportWorkflow } from '../workflows/monthly-report';
import { parseCommandArgs, UsageError, type Command, type Io } from './command';

const OPTIONS = {
  partnership: { type: 'string', required: true },
  month: { type: 'string', value: 'a month (YYYY-MM)', required: true },
  out: { type: 'string' },
} as const;

export const report: Command = {
  usage: 'corewatch report --partnership ID --month YYYY-MM [--out FILE]',
  async run(args, io) {
    const { values } = parseCommandArgs(args, OPTIONS);
    const { partnership: partnershipId, month: monthText } = values;
    let month: string;
    try {
      month = parseYearMonth(monthText);
    } catch (error) {
      throw new UsageError(`--month: ${(error as Error).message}`);
    }
    const out = values.out ?? `corewatch-${partnershipId}-${month}.xlsx`;

    const config = loadConfig();
    const client = await connectTemporalClient(config);
    try {
      const handle = await client.workflow.start(monthlyReportWorkflow, {
        workflowId: `report-${partnershipId}-${month}-${randomUUID().slice(0, 8)}`,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        args: [{ partnershipId, month }],
      });
      let finished = false;
      const result = handle.result().finally(() => {
        finished = true;
      });
      while (!finished) {
        const progress = await currentProgress(handle.describe.bind(handle));
        if (progress) drawBar(io, progress);
        await Promise.race([result.catch(() => undefined), new Promise((r) => setTimeout(r, 500))]);
      }
      const generated = await result;
      const plans = generated.rowCounts['Plans'] ?? 0;
      drawBar(io, { phase: 'complete', done: plans, total: plans });
      fs.copyFileSync(generated.filePath, out);
      io.stderr('\n');
      io.stdout(
        `${JSON.stringify({ reportId: generated.reportId, file: out, checksum: generated.checksum, rows: generated.rowCounts }, null, 2)}\n`,
      );
      return 0;
    } finally {
      await client.connection.close();
    }
  },
};

async function currentProgress(
  describe: () => Promise<{
    raw: { pendingActivities?: Array<{ heartbeatDetails?: { payloads?: unknown[] | null } | null }> | null };
  }>,
): Promise<ReportProgress | undefined> {
  const { raw } = await describe();
  const payload = raw.pendingActivities?.[0]?.heartbeatDetails?.payloads?.[0];
  if (payload === undefined) return undefined;
  return defaultPayloadConverter.fromPayload<ReportProgress>(
    payload as Parameters<typeof defaultPayloadConverter.fromPayload>[0],
  );
}

function drawBar(io: Io, p: ReportProgress): void {
  const width = 30;
  const fraction = p.phase === 'complete' ? 1 : p.total ? Math.min(p.done / p.total, 1) : 0;
  const filled = Math.round(fraction * width);
  io.stderr(
    `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}% ${p.phase} ${p.done}/${p.total ?? '?'}   `,
  );
}
