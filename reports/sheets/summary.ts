/** Summary: the month's measures for the whole partnership, then for each team. */
import { MEASURES, RAG_RULE } from '../measures';
import type { Measure, SummaryBlock } from '../types';
import { defineSheet, type DescribedColumn, guideOf } from './sheet';

interface SummaryRow {
  block: SummaryBlock;
  measure: Measure;
  /** The block's first measure: a rule above it keeps the blocks apart without breaking the filter range. */
  first: boolean;
}

const COLUMNS: DescribedColumn<SummaryRow>[] = [
  {
    header: 'Scope',
    kind: 'text',
    width: 30,
    value: (r) => (r.block.scope === 'partnership' ? 'Partnership' : r.block.name),
    meaning: "'Partnership' for the whole partnership, then one block per team, sorted by name.",
  },
  {
    header: 'Measure',
    kind: 'text',
    width: 50,
    value: (r) => r.measure.label,
    meaning: 'What is counted (one row per measure, listed below).',
  },
  {
    header: 'Count',
    kind: 'int',
    width: 10,
    value: (r) => r.measure.count,
    meaning: 'How many met the measure in the month.',
  },
  {
    header: 'Denominator',
    kind: 'int',
    width: 13,
    value: (r) => r.measure.denominator,
    meaning: 'How many fell due in the month; empty for a plain count or where the measure is n/a.',
  },
  {
    header: 'Percentage',
    kind: 'percent',
    width: 12,
    value: (r) => r.measure.percentage,
    meaning: 'Count / denominator x 100, one decimal place; empty when the denominator is empty or 0.',
  },
  {
    header: 'RAG',
    kind: 'rag',
    width: 8,
    value: (r) => r.measure.rag,
    meaning: 'Red, amber or green by the rule stated on the sheet.',
    rule: RAG_RULE,
  },
  {
    header: 'Rule',
    kind: 'text',
    width: 60,
    value: (r) => r.measure.rule,
    meaning:
      "The citation ids of the rules the obligations behind the figure were computed with (from the plans' policies).",
  },
];

/** The partnership block first, then the teams in the order the audit gives them; one row per measure. */
function summaryRows(blocks: readonly SummaryBlock[]): SummaryRow[] {
  const ordered = [
    ...blocks.filter((b) => b.scope === 'partnership'),
    ...blocks.filter((b) => b.scope !== 'partnership'),
  ];
  return ordered.flatMap((block) => block.measures.map((measure, index) => ({ block, measure, first: index === 0 })));
}

export const summarySheet = defineSheet<SummaryRow>({
  name: 'Summary',
  description:
    "The month's measures for the whole partnership, then for each team: count, denominator, percentage and RAG rating, with the rule each figure rests on.",
  rule: RAG_RULE,
  preamble: [`RAG rating: ${RAG_RULE}`],
  columns: COLUMNS,
  // Each measure is explained under its label too: what it counts and the citation ids every policy would use.
  guide: [...guideOf(COLUMNS), ...MEASURES.map((m) => ({ column: m.label, meaning: m.meaning, rule: m.guideRule }))],
  rowStyle: (r) => (r.first ? { border: { top: { style: 'medium' } } } : undefined),
  rows: { totals: (audit) => summaryRows(audit.summary()) },
});
