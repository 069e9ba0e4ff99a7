/**
 * Ofsted's ILACS Annex A, List 7 ("children who are the subject of a child protection plan"): its coded values, in
 * one place. Intake (the API, plan creation, the demo, events' categories) accepts a template code or corewatch's
 * plain word and stores the plain word (the key); the Annex A sheet and download write the template's code. Keys
 * are stored, not codes, so a relettered template is one change here and no data migration.
 *
 * Sources. Ofsted publishes the template as a spreadsheet with the ILACS guidance ("Inspecting local authority
 * children's services", Annex A); it could not be read from here. The lists below are taken from two public tools
 * built to read and clean local authorities' Annex A returns, which agree with each other except where noted:
 *  - CSCDP/AnnexA_CiNCensus_Cleaner, config/data-map.yml (the Children's Services Data Programme's Annex A cleaner:
 *    gender, ethnicity, "a) Yes / b) No / c) Unknown") and kws/sfdata-annexa-clean, examples/annex_a/spec (List 7's
 *    17 headers, which columns take the Yes/No list, categories "a) Neglect" ... "e) Multiple/not recommended");
 *  - data-to-insight's Standard Safeguarding Dataset Annex A queries (List 7: the same gender, ethnicity and category
 *    codes; "a) Yes"/"b) No" for disability and the emergency protection column; age at the last birthday).
 * NOT CONFIRMED against Ofsted's own file: the letter of "Information not yet obtained". The cleaner's copy reads
 * "s) NOBT", the same letter as "s) REFU" (a slip in the template or in the copy); data-to-insight writes "t) NOBT".
 * corewatch writes "t) NOBT" (one letter per code) and accepts both. Check every list here against the template
 * Ofsted currently publishes before a file goes to inspectors: Ofsted revises it.
 */
import { z } from 'zod';
import { compareDates, parseIsoDate } from './calendar';
import type { IsoDate } from './types';

/** One coded list: corewatch's key -> the template's code. */
export type CodeList<K extends string> = Readonly<Record<K, string>>;

export const GENDER_CODES = {
  male: 'a) Male',
  female: 'b) Female',
  'not-stated': 'c) Not stated/recorded',
  neither: 'd) Neither',
} as const satisfies Record<string, string>;
export type GenderKey = keyof typeof GENDER_CODES;

/** The DfE's ethnicity codes (the children in need census's), lettered as Annex A writes them. */
export const ETHNICITY_CODES = {
  WBRI: 'a) WBRI',
  WIRI: 'b) WIRI',
  WIRT: 'c) WIRT',
  WOTH: 'd) WOTH',
  WROM: 'e) WROM',
  MWBC: 'f) MWBC',
  MWBA: 'g) MWBA',
  MWAS: 'h) MWAS',
  MOTH: 'i) MOTH',
  AIND: 'j) AIND',
  APKN: 'k) APKN',
  ABAN: 'l) ABAN',
  AOTH: 'm) AOTH',
  BCRB: 'n) BCRB',
  BAFR: 'o) BAFR',
  BOTH: 'p) BOTH',
  CHNE: 'q) CHNE',
  OOTH: 'r) OOTH',
  REFU: 's) REFU',
  // Not confirmed: see the top of this file ("s) NOBT" in one copy of the template).
  NOBT: 't) NOBT',
} as const satisfies Record<string, string>;
export type EthnicityKey = keyof typeof ETHNICITY_CODES;

/** Annex A's answer list for yes/no questions (disability, emergency protection, seen alone). */
export const YES_NO_CODES = { yes: 'a) Yes', no: 'b) No', unknown: 'c) Unknown' } as const satisfies Record<
  string,
  string
>;
export type YesNoKey = keyof typeof YES_NO_CODES;

/** Categories of abuse a conference decides, as List 7 codes them (initial and latest category). */
export const CATEGORY_CODES = {
  neglect: 'a) Neglect',
  physical: 'b) Physical abuse',
  sexual: 'c) Sexual abuse',
  emotional: 'd) Emotional abuse',
  multiple: 'e) Multiple/not recommended',
} as const satisfies Record<string, string>;
export type CategoryKey = keyof typeof CATEGORY_CODES;

/** Codes seen in copies of the template that corewatch reads as another code (see the top of this file). */
const ALSO_ACCEPTED: Readonly<Record<string, string>> = { 's) NOBT': 'NOBT' };

export interface AnnexAList<K extends string> {
  /** What the field is, for error messages: 'gender'. */
  name: string;
  codes: CodeList<K>;
}

export const ANNEX_A_LISTS = {
  gender: { name: 'gender', codes: GENDER_CODES },
  ethnicity: { name: 'ethnicity', codes: ETHNICITY_CODES },
  yesNo: { name: 'answer', codes: YES_NO_CODES },
  category: { name: 'category of abuse', codes: CATEGORY_CODES },
} as const satisfies Record<string, AnnexAList<string>>;

/**
 * The key for a value given at intake or found stored: a key (`female`, `WBRI`, `yes`, `neglect`) or a template code
 * (`b) Female`), letter case and surrounding spaces ignored. Undefined when it is neither.
 */
export function annexAKey<K extends string>(list: AnnexAList<K>, value: string): K | undefined {
  const wanted = value.trim().toLowerCase();
  if (wanted === '') return undefined;
  for (const [key, code] of Object.entries(list.codes) as Array<[K, string]>) {
    if (key.toLowerCase() === wanted || code.toLowerCase() === wanted) return key;
  }
  for (const [code, key] of Object.entries(ALSO_ACCEPTED)) {
    if (code.toLowerCase() === wanted && Object.prototype.hasOwnProperty.call(list.codes, key)) return key as K;
  }
  return undefined;
}

/** The template's code for a stored key (or a stored code, or a legacy plain word); undefined when it is none. */
export function annexACode<K extends string>(
  list: AnnexAList<K>,
  stored: string | null | undefined,
): string | undefined {
  if (stored === null || stored === undefined) return undefined;
  const key = annexAKey(list, stored);
  return key === undefined ? undefined : list.codes[key];
}

/** Every value intake accepts for a list: its keys, then its codes. */
export function acceptedValues<K extends string>(list: AnnexAList<K>): string[] {
  return [...Object.keys(list.codes), ...Object.values<string>(list.codes)];
}

/** Why `value` is not on the list (for a refusal naming the field), or undefined when it is. */
export function annexAProblem<K extends string>(list: AnnexAList<K>, value: string): string | undefined {
  if (annexAKey(list, value) !== undefined) return undefined;
  const keys = Object.keys(list.codes);
  return (
    `${JSON.stringify(value.slice(0, 80))} is not an Annex A ${list.name}: give one of ${keys.join(', ')} ` +
    `or its template code (${Object.values<string>(list.codes).join(', ')})`
  );
}

/**
 * Age in whole years on `asOf`: at the last birthday, by comparing month and day, so a 29 February birthday is
 * reached on 1 March in other years. -1 when born after `asOf`: Annex A's entry for an unborn child (data-to-insight's
 * List 7 queries, quoting the guidance).
 */
export function ageInYears(dateOfBirth: IsoDate, asOf: IsoDate): number {
  parseIsoDate(dateOfBirth);
  parseIsoDate(asOf);
  if (compareDates(dateOfBirth, asOf) > 0) return -1;
  const years = Number(asOf.slice(0, 4)) - Number(dateOfBirth.slice(0, 4));
  // 'MM-DD' compares as text in calendar order.
  return asOf.slice(5) < dateOfBirth.slice(5) ? years - 1 : years;
}

/**
 * The schema of a field taking a value of `list` at an edge (the API, events): a key or a template code, exactly as
 * listed (the API document lists them all); anything else is refused naming what is accepted.
 */
export function annexAValueSchema<K extends string>(list: AnnexAList<K>) {
  return z.enum(acceptedValues(list) as [string, ...string[]], {
    error: (issue) => {
      if (issue.input === undefined) return 'is required';
      if (typeof issue.input !== 'string') return `must be a string (one of ${Object.keys(list.codes).join(', ')})`;
      return annexAProblem(list, issue.input) ?? `${JSON.stringify(issue.input)} must be written exactly as listed`;
    },
  });
}
