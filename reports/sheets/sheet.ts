/**
 * What a sheet module defines: its name and description, its columns with each column's README text beside it, and
 * where its rows come from. `defineSheet` turns that into a sheet the workbook can write and the README can explain,
 * so a sheet is read and changed in one file.
 */
import type { MonthlyAudit } from '../monthly-audit';
import { type Column, type SheetContext, type SheetLayout, SheetWriter } from '../sheet-writer';
import type { IsoDate } from '../../domain/types';
import type { AnnexAPlanInput, PlanContribution } from '../types';

/** A column together with what the README says about it. */
export interface DescribedColumn<Row> extends Column<Row> {
  meaning: string;
  /** The rule (citation ids or a quotation) behind the column's values, when there is one. */
  rule?: string;
}

/** One README line about a column (or, for the Summary, a measure). */
export interface GuideEntry {
  column: string;
  meaning: string;
  rule?: string;
}

/** What the README says about one sheet: a line for the sheet, then one per column. */
export interface SheetGuide {
  sheet: string;
  description: string;
  /** A rule the whole sheet rests on, beside its description (the Summary's RAG rule). */
  rule?: string;
  columns: readonly GuideEntry[];
}

/** The README lines of a sheet's columns, in column order. */
export function guideOf<Row>(columns: readonly DescribedColumn<Row>[]): GuideEntry[] {
  return columns.map((c) =>
    c.rule === undefined
      ? { column: c.header, meaning: c.meaning }
      : { column: c.header, meaning: c.meaning, rule: c.rule },
  );
}

/**
 * Where a sheet's rows come from. The streaming writer writes one sheet after another, and the first (Summary) needs
 * every plan, so the workbook reads the plans more than once:
 * - `totals`: from the first pass, one MonthlyAudit over every plan (aggregates only);
 * - `eachPlan`: from a pass of its own, each plan's rows written and forgotten at once;
 * - `stream`: from a stream of its own the source provides (`SheetStreams`), each row written and forgotten at once
 *   (Annex A: one child per row, as of the month's last day, whatever the month's other sheets list).
 */
export type RowSource<Row> =
  | { totals: (audit: MonthlyAudit) => readonly Row[] }
  | { eachPlan: (contribution: PlanContribution) => readonly Row[] }
  | { stream: (streams: SheetStreams) => AsyncIterable<Row> };

/** The streams a `stream` sheet reads (reports/workbook.ts's source provides them). */
export interface SheetStreams {
  /** The month's last day. */
  monthEnd: IsoDate;
  /** Child protection plans open on `asOf`, one per child (the most recent), by Child Unique ID. */
  annexAPlans(asOf: IsoDate): AsyncIterable<AnnexAPlanInput>;
}

export interface SheetDefinition<Row> extends Omit<SheetLayout<Row>, 'columns'> {
  description: string;
  rule?: string;
  /** The README's lines about its columns: `guideOf(columns)`, or more where a sheet's columns vary by month. */
  guide: readonly GuideEntry[];
  /** Its columns; a function where they depend on the month (of the audit). */
  columns: readonly Column<Row>[] | ((audit: MonthlyAudit) => readonly Column<Row>[]);
  rows: RowSource<Row>;
}

/** A sheet ready to write, whatever its row type. */
export interface WorkbookSheet {
  readonly name: string;
  readonly guide: SheetGuide;
  /** Where its rows come from (see RowSource): the workbook runs a pass over the plans for each `eachPlan` sheet. */
  readonly pass: 'totals' | 'eachPlan' | 'stream';
  /**
   * Starts the sheet, writing the totals' rows at once; `add` takes each plan's contribution (an `eachPlan` sheet),
   * `stream` writes a `stream` sheet's rows (calling `onRow` after each), `finish` closes the sheet and returns its
   * data row count.
   */
  open(
    context: SheetContext,
    totals: MonthlyAudit,
  ): {
    add(contribution: PlanContribution): void;
    stream(streams: SheetStreams, onRow: () => Promise<void> | void): Promise<void>;
    finish(): number;
  };
}

export function defineSheet<Row>(definition: SheetDefinition<Row>): WorkbookSheet {
  const { description, rule, guide, columns, rows, ...layout } = definition;
  return {
    name: definition.name,
    guide: { sheet: definition.name, description, ...(rule === undefined ? {} : { rule }), columns: guide },
    pass: 'totals' in rows ? 'totals' : 'eachPlan' in rows ? 'eachPlan' : 'stream',
    open(context, totals) {
      const writer = new SheetWriter<Row>(context, {
        ...layout,
        columns: typeof columns === 'function' ? columns(totals) : columns,
      });
      if ('totals' in rows) for (const row of rows.totals(totals)) writer.addRow(row);
      return {
        add: (contribution) => {
          if ('eachPlan' in rows) for (const row of rows.eachPlan(contribution)) writer.addRow(row);
        },
        stream: async (streams, onRow) => {
          if (!('stream' in rows)) return;
          for await (const row of rows.stream(streams)) {
            writer.addRow(row);
            await onRow();
          }
        },
        finish: () => writer.finish(),
      };
    },
  };
}

/**
 * The first two columns of every per-plan sheet (Plans, Core groups, Escalations): the plan reference and its team.
 * `oneRowPer` says what a row of that sheet is, on the README line of the reference.
 */
export function planColumns<Row extends { reference: string; team: string }>(
  oneRowPer: string,
): DescribedColumn<Row>[] {
  return [
    {
      header: 'Reference',
      kind: 'text',
      width: 18,
      value: (r) => r.reference,
      meaning: `The plan reference. One row per ${oneRowPer}.`,
    },
    { header: 'Team', kind: 'text', width: 26, value: (r) => r.team, meaning: 'The allocated team.' },
  ];
}
