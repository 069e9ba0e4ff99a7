/**
 * Annex A's coded values (domain/annex-a.ts): keys and template codes read the same, codes written from keys, an
 * unknown value refused naming what is accepted, and age in whole years on the day.
 */
import {
  ageInYears,
  ANNEX_A_LISTS,
  annexACode,
  annexAKey,
  annexAProblem,
  annexAValueSchema,
  CATEGORY_CODES,
  ETHNICITY_CODES,
  GENDER_CODES,
  YES_NO_CODES,
  type AnnexAList,
} from '../../domain/annex-a';

/** The lists as plain string lists, for tables over several of them. */
const LIST: Record<keyof typeof ANNEX_A_LISTS, AnnexAList<string>> = ANNEX_A_LISTS;

describe('the code lists', () => {
  it('letter each list in order, one letter per code (the template\'s "a) ... " form)', () => {
    for (const codes of [GENDER_CODES, ETHNICITY_CODES, YES_NO_CODES, CATEGORY_CODES]) {
      Object.values(codes).forEach((code: string, i) =>
        expect(code.startsWith(`${String.fromCharCode(97 + i)}) `)).toBe(true),
      );
    }
    expect(Object.values(GENDER_CODES)).toEqual(['a) Male', 'b) Female', 'c) Not stated/recorded', 'd) Neither']);
    expect(Object.values(YES_NO_CODES)).toEqual(['a) Yes', 'b) No', 'c) Unknown']);
    expect(Object.values(CATEGORY_CODES)).toEqual([
      'a) Neglect',
      'b) Physical abuse',
      'c) Sexual abuse',
      'd) Emotional abuse',
      'e) Multiple/not recommended',
    ]);
    expect(Object.keys(ETHNICITY_CODES)).toHaveLength(20);
    expect(ETHNICITY_CODES.WBRI).toBe('a) WBRI');
    expect(ETHNICITY_CODES.NOBT).toBe('t) NOBT');
  });
});

describe('annexAKey and annexACode', () => {
  it.each([
    [LIST.gender, 'female', 'female', 'b) Female'],
    [LIST.gender, 'b) Female', 'female', 'b) Female'],
    [LIST.gender, '  B) FEMALE ', 'female', 'b) Female'],
    [LIST.gender, 'Female', 'female', 'b) Female'],
    [LIST.ethnicity, 'WBRI', 'WBRI', 'a) WBRI'],
    [LIST.ethnicity, 'a) WBRI', 'WBRI', 'a) WBRI'],
    // One copy of the template letters NOBT like REFU: read as NOBT, written with its own letter.
    [LIST.ethnicity, 's) NOBT', 'NOBT', 't) NOBT'],
    [LIST.yesNo, 'unknown', 'unknown', 'c) Unknown'],
    [LIST.category, 'e) Multiple/not recommended', 'multiple', 'e) Multiple/not recommended'],
  ] as const)('%#: %j reads as %j, written %j', (list, given, key, code) => {
    expect(annexAKey(list, given)).toBe(key);
    expect(annexACode(list, given)).toBe(code);
  });

  it.each([
    [LIST.gender, 'F'],
    [LIST.ethnicity, 'White British'],
    [LIST.ethnicity, 's) REFUSED'],
    [LIST.yesNo, 'None'],
    [LIST.category, 'e) Multiple'],
    [LIST.gender, ''],
  ] as const)('%#: %j is on no list: no key, no code', (list, given) => {
    expect(annexAKey(list, given)).toBeUndefined();
    expect(annexACode(list, given)).toBeUndefined();
  });

  it('names what is accepted when a value is refused', () => {
    expect(annexAProblem(LIST.gender, 'F')).toBe(
      '"F" is not an Annex A gender: give one of male, female, not-stated, neither or its template code (a) Male, b) Female, c) Not stated/recorded, d) Neither)',
    );
    expect(annexAProblem(LIST.gender, 'b) Female')).toBeUndefined();
  });

  it('accepts exactly the keys and codes at an edge, with that reason otherwise', () => {
    const schema = annexAValueSchema(ANNEX_A_LISTS.yesNo);
    expect(schema.parse('a) Yes')).toBe('a) Yes');
    expect(schema.parse('no')).toBe('no');
    const refused = schema.safeParse('Y');
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toContain('"Y" is not an Annex A answer: give one of yes, no, unknown');
  });
});

describe('ageInYears', () => {
  it.each([
    ['2015-06-01', '2026-05-31', 10],
    ['2015-06-01', '2026-06-01', 11],
    ['2015-06-01', '2015-06-01', 0],
    // A 29 February birthday is reached on 1 March in other years.
    ['2012-02-29', '2026-02-28', 13],
    ['2012-02-29', '2026-03-01', 14],
    ['2012-02-29', '2016-02-29', 4],
    // Born after the day: Annex A's entry for an unborn child.
    ['2026-07-01', '2026-06-30', -1],
  ])('born %s, on %s: %i', (born, asOf, age) => {
    expect(ageInYears(born, asOf)).toBe(age);
  });
});
