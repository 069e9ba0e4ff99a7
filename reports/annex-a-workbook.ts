/**
 * Annex A List 7 on its own: a workbook with one sheet, "List 7", laid out as Ofsted's template (the same columns and
 * rows as the monthly workbook's Annex A sheet, reports/sheets/annex-a.ts), for any day. Streamed: the plans are read
 * a batch at a time and each row is written and forgotten, so memory stays flat however many children there are.
 */
import type { IsoDate } from '../domain/types';
import { annexARowsOn, ANNEX_A_LAYOUT } from './sheets/annex-a';
import { missingRequired } from './annex-a';
import { sheetContext, SheetWriter } from './sheet-writer';
import type { AnnexAPlanInput } from './types';
import { writeXlsxFile } from './xlsx-file';

/** The sheet's name: Annex A tools find List 7 by a name matching /list.*7/i. */
export const ANNEX_A_SHEET = 'List 7';

export interface AnnexASource {
  partnershipName: string;
  asOf: IsoDate;
  generatedAt: Date;
  /** Child protection plans open on `asOf`, the most recent per child first, by Child Unique ID. */
  plans(): AsyncIterable<AnnexAPlanInput>;
}

export interface AnnexAWritten {
  /** Children listed. */
  rows: number;
  /** Rows with a required field blank (Child Unique ID, gender, ethnicity, disability, ... worker). */
  incompleteRows: number;
}

export async function writeAnnexAWorkbook(file: string, source: AnnexASource): Promise<AnnexAWritten> {
  return writeXlsxFile(
    file,
    async ({ workbook, rowWritten }) => {
      workbook.title = `Annex A List 7, ${source.partnershipName}, ${source.asOf}`;
      const context = sheetContext(workbook, {
        partnershipName: source.partnershipName,
        month: source.asOf.slice(0, 7),
        generatedAt: source.generatedAt,
      });
      const writer = new SheetWriter(context, { name: ANNEX_A_SHEET, ...ANNEX_A_LAYOUT });
      let incompleteRows = 0;
      for await (const row of annexARowsOn(source.plans(), source.asOf)) {
        writer.addRow(row);
        if (missingRequired(row).length > 0) incompleteRows += 1;
        await rowWritten();
      }
      return { rows: writer.finish(), incompleteRows };
    },
    { created: source.generatedAt },
  );
}
