/**
 * Writes the monthly multi-agency audit workbook (.xlsx) with exceljs's streaming writer, one row committed at a
 * time, so memory stays flat however many plans there are. What each sheet holds is its module's business
 * (`reports/sheets/`); how a cell is written is the sheet writer's (`reports/sheet-writer.ts`). This file runs the
 * passes over the plans and puts the file in place.
 *
 * A streaming writer writes its sheets one after another, yet the first sheet (Summary) depends on every plan. So the
 * plans are read several times (`source.plans()` starts a fresh pass each call):
 *
 *   pass 1  every plan folded into one MonthlyAudit: the totals the Summary and Agency attendance sheets show;
 *   pass 2+ one pass per row sheet (Plans, Core groups, Escalations, Annex A List 7), each with a fresh MonthlyAudit
 *           whose `add(plan)` returns that plan's rows, written and forgotten at once.
 *
 * The file appears at its path only when complete: it is written to `<file>.partial-<random>` and renamed into place;
 * on any failure the partial file is deleted and the error rethrown.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as ExcelJS from 'exceljs';
import { MonthlyAudit } from './monthly-audit';
import { sheetContext } from './sheet-writer';
import { WORKBOOK_SHEETS } from './sheets';
import type { ReportPlanInput, YearMonth } from './types';

export interface AuditWorkbookSource {
  partnershipName: string;
  month: YearMonth;
  generatedAt: Date;
  /** may be iterated several times; streams plans from the database */
  plans(): AsyncIterable<ReportPlanInput>;
  planCount?: number;
}

export interface AuditWorkbookProgress {
  /** The sheet being produced ('Summary' is the first pass over every plan), then 'saving'. */
  phase: string;
  /** Plans read so far in this phase. */
  done: number;
  /** Plans expected (the source's planCount for the first pass, then the count the first pass found). */
  total?: number;
}

export async function writeAuditWorkbook(
  file: string,
  source: AuditWorkbookSource,
  onProgress?: (p: AuditWorkbookProgress) => void,
): Promise<{ rowCounts: Record<string, number> }> {
  const target = path.resolve(file);
  const partial = `${target}.partial-${randomBytes(8).toString('hex')}`;
  const out = fs.createWriteStream(partial, { flags: 'wx' });
  let streamError: Error | undefined;
  const streamFailed = new Promise<never>((_, reject) => {
    out.on('error', (error) => {
      streamError = error;
      reject(error);
    });
  });
  streamFailed.catch(() => undefined); // observed through `streamError` and the race below
  let workbook: ExcelJS.stream.xlsx.WorkbookWriter | undefined;
  try {
    await Promise.race([new Promise<void>((resolve) => out.once('open', () => resolve())), streamFailed]);
    workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    workbook.creator = 'corewatch';
    workbook.created = source.generatedAt;
    const rowCounts = await writeSheets(workbook, source, onProgress, () => {
      if (streamError) throw streamError;
    });
    onProgress?.({ phase: 'saving', done: 0 });
    await Promise.race([workbook.commit(), streamFailed]);
    if (!out.closed)
      await Promise.race([new Promise<void>((resolve) => out.once('close', () => resolve())), streamFailed]);
    const handle = await fs.promises.open(partial, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(partial, target);
    return { rowCounts };
  } catch (error) {
    await discard(workbook, out, partial);
    throw error;
  }
}

/** Stops the zip and the file stream, then deletes the partial file. Never throws: the original error matters. */
async function discard(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter | undefined,
  out: fs.WriteStream,
  partial: string,
): Promise<void> {
  try {
    const zip = (
      workbook as unknown as { zip?: { abort(): void; on(event: string, fn: () => void): void } } | undefined
    )?.zip;
    zip?.on('error', () => undefined);
    zip?.abort();
  } catch {
    // Best effort.
  }
  if (!out.closed) {
    await new Promise<void>((resolve) => {
      out.once('close', () => resolve());
      out.destroy();
    });
  }
  await fs.promises.rm(partial, { force: true }).catch(() => undefined);
}

// ---------------------------------------------------------------------------------------------------------------
// The passes

async function writeSheets(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  source: AuditWorkbookSource,
  onProgress: ((p: AuditWorkbookProgress) => void) | undefined,
  checkStream: () => void,
): Promise<Record<string, number>> {
  const context = sheetContext(workbook, source);
  const rowCounts: Record<string, number> = {};
  const newAudit = () => new MonthlyAudit(source.month, source.partnershipName);

  // Pass 1: every plan into one audit, reported as the first sheet's phase (the first sheet is its totals).
  const firstPhase = WORKBOOK_SHEETS[0]?.name ?? 'totals';
  const totals = newAudit();
  let total = source.planCount;
  let seen = 0;
  report(onProgress, firstPhase, 0, total);
  for await (const plan of source.plans()) {
    totals.add(plan);
    seen += 1;
    report(onProgress, firstPhase, seen, total);
    checkStream();
  }
  total = seen;

  for (const sheet of WORKBOOK_SHEETS) {
    if (!sheet.eachPlan) {
      if (sheet.name !== firstPhase) report(onProgress, sheet.name, 0);
      rowCounts[sheet.name] = sheet.open(context, totals).finish();
      continue;
    }
    const writing = sheet.open(context, totals);
    const audit = newAudit();
    let done = 0;
    report(onProgress, sheet.name, 0, total);
    for await (const plan of source.plans()) {
      writing.add(audit.add(plan));
      done += 1;
      report(onProgress, sheet.name, done, total);
      checkStream();
      // Let the zip drain what this sheet has written so far when the source never waits (an in-memory source).
      if (done % 500 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    rowCounts[sheet.name] = writing.finish();
  }
  return rowCounts;
}

function report(
  onProgress: ((p: AuditWorkbookProgress) => void) | undefined,
  phase: string,
  done: number,
  total?: number,
): void {
  if (!onProgress) return;
  onProgress(total === undefined ? { phase, done } : { phase, done, total });
}
