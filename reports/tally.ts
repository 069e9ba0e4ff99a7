/**
 * One scope's counts (the partnership, or one team) for every Summary measure. Bounded whatever the number of plans:
 * a count and a denominator per measure, plus the citation ids seen (bounded by the policies).
 */
import { joinIds } from './citations';
import { MEASURES, type MeasureId, ragOf } from './measures';
import type { Measure } from './types';

interface Cell {
  count: number;
  denominator: number;
  /** Citation ids of the obligations counted. */
  rules: Set<string>;
}

export class Tally {
  private readonly cells = new Map<MeasureId, Cell>();
  /** Child protection plans whose policy sets a child-seen timescale (0: the child-seen measure is n/a). */
  childSeenPlans = 0;

  constructor(readonly name: string) {}

  /** A plain count. */
  count(id: MeasureId, rule?: string): void {
    const cell = this.cell(id);
    cell.count += 1;
    if (rule !== undefined) cell.rules.add(rule);
  }

  /** One more in the denominator, and in the count when `hit`. */
  rate(id: MeasureId, hit: boolean, rule: string): void {
    const cell = this.cell(id);
    cell.denominator += 1;
    if (hit) cell.count += 1;
    cell.rules.add(rule);
  }

  /** Entries held (a diagnostic: it must not grow with the number of plans). */
  size(): number {
    let n = 1;
    for (const cell of this.cells.values()) n += 1 + cell.rules.size;
    return n;
  }

  /** Every measure in Summary order: the count, and for rates the denominator, percentage and RAG rating. */
  measures(): Measure[] {
    return MEASURES.map((def) => {
      const cell = this.cells.get(def.id);
      const count = cell?.count ?? 0;
      const rule = cell !== undefined && cell.rules.size > 0 ? joinIds(cell.rules) : def.rule;
      const measure: Measure = { id: def.id, label: def.label, count, rag: 'n/a', rule };
      if (def.shape === 'count') return measure;
      if (def.id === 'child-seen-on-time' && this.childSeenPlans === 0) {
        return { ...measure, rule: def.rule };
      }
      const denominator = cell?.denominator ?? 0;
      measure.denominator = denominator;
      if (denominator > 0) {
        const percentage = Math.round((count / denominator) * 1000) / 10;
        measure.percentage = percentage;
        measure.rag = ragOf(percentage, def.shape);
      }
      return measure;
    });
  }

  private cell(id: MeasureId): Cell {
    let cell = this.cells.get(id);
    if (cell === undefined) {
      cell = { count: 0, denominator: 0, rules: new Set() };
      this.cells.set(id, cell);
    }
    return cell;
  }
}
