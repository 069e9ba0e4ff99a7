/**
 * Ofsted ILACS Annex A's codes: the categories of abuse as List 7 writes them, and its dd/mm/yyyy dates. The audit
 * codes its rows with these (reports/plan-rows.ts); the Annex A sheet lays them out (reports/sheets/annex-a.ts).
 */
import type { ABUSE_CATEGORIES } from '../domain/evaluate-input';
import type { IsoDate } from '../domain/types';

/** Annex A's coded categories of abuse, by the category a conference records (domain/evaluate-input.ts). */
export const ANNEX_A_CATEGORIES = {
  neglect: 'a) Neglect',
  physical: 'b) Physical abuse',
  sexual: 'c) Sexual abuse',
  emotional: 'd) Emotional abuse',
  multiple: 'e) Multiple',
} as const satisfies Record<(typeof ABUSE_CATEGORIES)[number], string>;

/** Dates on the Annex A sheet are written dd/mm/yyyy, as the template asks. */
export const ANNEX_A_DATE_FORMAT = 'dd/mm/yyyy';

/** The coded value for a recorded category: 'neglect' -> 'a) Neglect'. An unknown value is passed through as recorded. */
export function annexACategory(code: string | undefined): string | undefined {
  if (code === undefined) return undefined;
  const key = code.trim().toLowerCase();
  return Object.prototype.hasOwnProperty.call(ANNEX_A_CATEGORIES, key)
    ? ANNEX_A_CATEGORIES[key as keyof typeof ANNEX_A_CATEGORIES]
    : code;
}

/** `YYYY-MM-DD` -> `dd/mm/yyyy`. */
export function toAnnexADate(date: IsoDate): string {
  return `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;
}
