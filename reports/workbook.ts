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
 *   pass 2+ one pass per row sheet (Plans, Core groups, Escalations), each with a fresh MonthlyAudit whose
 *           `add(plan)` returns that plan's rows, written and forgotten at once;
 *   then    Annex A List 7 from a stream of its own (the children on a plan on the month's last day, one per child).
 *
 * The file appears at its path only when complete, every sheet's dimension declared (reports/xlsx-file.ts).
 */
import type { IsoDate } from '../domain/types';
import { lastDayOf } from '../domain/report-months';
import { MonthlyAudit } from './monthly-audit';
import { sheetContext } from './sheet-writer';
import { WORKBOOK_SHEETS } from './sheets';
import type { SheetStreams } from './sheets/sheet';
import type { AnnexAPlanInput, ReportPlanInput, YearMonth } from './types';
import { writeXlsxFile, type XlsxWriting } from './xlsx-file';

export interface AuditWorkbookSource {
  partnershipName: string;
  month: YearMonth;
  generatedAt: Date;
  /** may be iterated several times; streams plans from the database */
  plans(): AsyncIterable<ReportPlanInput>;
  /**
   * The Annex A List 7 sheet's plans: child protection plans open on `asOf` (the month's last day), the most recent
   * per child first, ordered by Child Unique ID (services/plan-data's annexAPlans).
   */
  annexAPlans(asOf: IsoDate): AsyncIterable<AnnexAPlanInput>;
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
  const rowCounts = await writeXlsxFile(file, (xlsx) => writeSheets(xlsx, source, onProgress), {
    created: source.generatedAt,
    onSaving: () => onProgress?.({ phase: 'saving', done: 0 }),
  });
  return { rowCounts };
}

// ---------------------------------------------------------------------------------------------------------------
// The passes

async function writeSheets(
  { workbook, checkStream, rowWritten }: XlsxWriting,
  source: AuditWorkbookSource,
  onProgress: ((p: AuditWorkbookProgress) => void) | undefined,
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

  const streams: SheetStreams = {
    monthEnd: lastDayOf(source.month),
    annexAPlans: (asOf) => source.annexAPlans(asOf),
  };
  for (const sheet of WORKBOOK_SHEETS) {
    if (sheet.pass === 'totals') {
      if (sheet.name !== firstPhase) report(onProgress, sheet.name, 0);
      rowCounts[sheet.name] = sheet.open(context, totals).finish();
      continue;
    }
    const writing = sheet.open(context, totals);
    let done = 0;
    if (sheet.pass === 'stream') {
      report(onProgress, sheet.name, 0);
      await writing.stream(streams, async () => {
        done += 1;
        report(onProgress, sheet.name, done);
        await rowWritten();
      });
      rowCounts[sheet.name] = writing.finish();
      continue;
    }
    const audit = newAudit();
    report(onProgress, sheet.name, 0, total);
    for await (const plan of source.plans()) {
      writing.add(audit.add(plan));
      done += 1;
      report(onProgress, sheet.name, done, total);
      await rowWritten();
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
