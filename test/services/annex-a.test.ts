/**
 * Annex A List 7 end to end on a real database: plans registered with Annex A's codes (and refused with an unknown
 * one), the children on a plan on a day read through services/plan-data (one row per child, their current social
 * worker and team), the file written by `corewatch annex-a` and read back with openpyxl: one sheet "List 7", the
 * template's 17 headers in row 1, codes from the template's lists, real dates shown dd/mm/yyyy, whole-year ages,
 * every row writing every column, the sheet's dimension declared, no blank required field; the extract logged.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../cli/main';
import { CATEGORY_CODES, ETHNICITY_CODES, GENDER_CODES, YES_NO_CODES } from '../../domain/annex-a';
import { Refusal } from '../../domain/refusal';
import { annexAPlans, createPlan, type NewPlan } from '../../services/plan-data';
import { writeAnnexA } from '../../services/annex-a';
import { capturedIo, withDatabaseUrl } from '../support/cli';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { planRoles, seedPartnership } from '../support/fixtures';
import { EPO_HEADER, REQUIRED_HEADERS, TEMPLATE_HEADERS } from '../support/annex-a-template';
import { readXlsx, rowsOf, type ReadSheet } from '../support/read-xlsx';

const TODAY = '2026-06-15';
const AS_OF = '2026-06-10';

const CODED: Record<string, readonly string[]> = {
  Gender: Object.values(GENDER_CODES),
  Ethnicity: Object.values(ETHNICITY_CODES),
  'Does the Child have a Disability': Object.values(YES_NO_CODES),
  'Initial Category of Abuse': Object.values(CATEGORY_CODES),
  'Latest Category of Abuse': Object.values(CATEGORY_CODES),
  'Was the Child Seen Alone?': Object.values(YES_NO_CODES),
  [EPO_HEADER]: Object.values(YES_NO_CODES),
};
const DATES = [
  'Date of Birth',
  'Child Protection Plan Start Date',
  'Date of the Last Statutory Visit',
  'Date of latest review conference',
  'Child Protection Plan End Date',
];

let db: TestDatabase;
let dir: string;

function plan(id: string, startedOn: string, localChildId: string, more: Partial<NewPlan> = {}): NewPlan {
  return {
    id,
    partnershipId: 'testshire',
    teamId: 'team-a',
    policyId: 'england',
    type: 'child-protection',
    startedOn,
    roles: planRoles(),
    child: {
      localChildId,
      name: `Child ${localChildId}`,
      dateOfBirth: '2015-06-11',
      gender: 'female',
      ethnicity: 'WBRI',
      disability: 'no',
    },
    annexA: { initialCategory: 'neglect', emergencyProtectionLast6Months: false, previousPlans: 0 },
    ...more,
  };
}

beforeAll(async () => {
  db = await createTestDatabase('annex_a');
  await seedPartnership(db.prisma);
  await db.prisma.person.create({
    data: { id: 'p-new', partnershipId: 'testshire', name: 'Nia Newworker', email: 'nia@council.test' },
  });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corewatch-annex-a-'));
  const p = db.prisma;
  // Codes as the template writes them, accepted at intake and stored as keys.
  await createPlan(
    p,
    plan('AA-1', '2026-03-02', 'LC-B', {
      child: {
        localChildId: 'LC-B',
        dateOfBirth: '2012-02-29',
        gender: 'a) Male',
        ethnicity: 'n) BCRB',
        disability: 'a) Yes',
      },
      annexA: { initialCategory: 'b) Physical abuse', emergencyProtectionLast6Months: 'a) Yes', previousPlans: 2 },
    }),
    TODAY,
  );
  // The same child's earlier plan, ended before the day: not listed (one row per child, the open plan).
  await createPlan(p, plan('AA-0', '2025-01-06', 'LC-B', { child: { localChildId: 'LC-B' } }), TODAY);
  await p.planEvent.create({
    data: { id: 'aa0-end', planId: 'AA-0', type: 'plan-ended', on: new Date('2025-09-01'), payload: {} },
  });
  await p.plan.update({ where: { id: 'AA-0' }, data: { endedOn: new Date('2025-09-01') } });
  // Plain words, a visit seen alone and a review conference that changed the category.
  await createPlan(p, plan('AA-2', '2026-01-05', 'LC-A'), TODAY);
  await p.planEvent.createMany({
    data: [
      { id: 'aa2-v1', planId: 'AA-2', type: 'child-seen', on: new Date('2026-06-01'), payload: { seenAlone: true } },
      {
        id: 'aa2-r1',
        planId: 'AA-2',
        type: 'review-conference-held',
        on: new Date('2026-04-01'),
        payload: { category: 'd) Emotional abuse' },
      },
      // After the day: not known on it.
      { id: 'aa2-v2', planId: 'AA-2', type: 'child-seen', on: new Date('2026-06-12'), payload: { seenAlone: false } },
    ],
  });
  // Ends on the day itself: listed, with its end.
  await createPlan(
    p,
    plan('AA-3', '2026-02-02', 'LC-C', {
      child: { localChildId: 'LC-C', gender: 'neither', ethnicity: 'NOBT', disability: 'unknown' },
    }),
    TODAY,
  );
  await p.plan.update({ where: { id: 'AA-3' }, data: { endedOn: new Date(`${AS_OF}T00:00:00Z`) } });
  // Starts after the day, and a child in need plan: neither is listed.
  await createPlan(p, plan('AA-4', '2026-06-12', 'LC-D'), TODAY);
  await createPlan(
    p,
    {
      ...plan('AA-5', '2026-01-05', 'LC-E'),
      type: 'child-in-need',
      policyId: 'barnsley',
      roles: planRoles().filter((r) => r.role !== 'conference-chair'),
    },
    TODAY,
  );
  // The social worker changed (what reallocation events will do): Annex A names the worker holding the role now.
  await p.planRole.updateMany({ where: { planId: 'AA-2', role: 'social-worker' }, data: { personId: 'p-new' } });
});

afterAll(async () => {
  await db?.drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('intake', () => {
  it('stores the keys of codes given as keys or template codes', async () => {
    const child = await db.prisma.child.findFirstOrThrow({ where: { localChildId: 'LC-B' } });
    expect([child.gender, child.ethnicity, child.disability]).toEqual(['male', 'BCRB', 'yes']);
    const aa1 = await db.prisma.plan.findUniqueOrThrow({ where: { id: 'AA-1' } });
    expect([aa1.initialCategory, aa1.emergencyProtectionLast6Months, aa1.previousPlans]).toEqual([
      'physical',
      'yes',
      2,
    ]);
    const aa2 = await db.prisma.plan.findUniqueOrThrow({ where: { id: 'AA-2' } });
    expect(aa2.emergencyProtectionLast6Months).toBe('no');
  });

  it.each([
    ['child.gender', { child: { localChildId: 'LC-X', gender: 'F' } }],
    ['child.ethnicity', { child: { localChildId: 'LC-X', ethnicity: 'White British' } }],
    ['child.disability', { child: { localChildId: 'LC-X', disability: 'None' } }],
    ['annexA.initialCategory', { annexA: { initialCategory: 'e) Multiple' } }],
    ['annexA.emergencyProtectionLast6Months', { annexA: { emergencyProtectionLast6Months: 'Y' } }],
  ] as const)('refuses an unknown code in %s, naming it, and stores nothing', async (field, more) => {
    const refused = createPlan(db.prisma, plan('AA-BAD', '2026-06-01', 'LC-X', more), TODAY);
    await expect(refused).rejects.toThrow(Refusal);
    await expect(refused).rejects.toMatchObject({ code: 'invalid', field });
    await expect(refused).rejects.toThrow(/is not an Annex A .*: give one of/);
    expect(await db.prisma.plan.count({ where: { id: 'AA-BAD' } })).toBe(0);
    expect(await db.prisma.child.count({ where: { localChildId: 'LC-X' } })).toBe(0);
  });
});

describe('the plans open on a day (services/plan-data)', () => {
  it('gives one plan per child, by Child Unique ID, open that day, with the current social worker', async () => {
    const plans = [];
    for await (const p of annexAPlans({ prisma: db.prisma, partnershipId: 'testshire', asOf: AS_OF })()) plans.push(p);
    expect(plans.map((p) => [p.child.localChildId, p.planId])).toEqual([
      ['LC-A', 'AA-2'],
      ['LC-B', 'AA-1'],
      ['LC-C', 'AA-3'],
    ]);
    expect(plans[0]!.workerName).toBe('Nia Newworker');
    expect(plans[1]!.workerName).toBe('Sam Worker');
  });
});

describe('corewatch annex-a, read back with openpyxl', () => {
  let sheet: ReadSheet;
  let byChild: Map<string, Record<string, { value: unknown; data_type: string; number_format: string } | undefined>>;
  let printed: Record<string, unknown>;
  const file = () => path.join(dir, 'list-7.xlsx');

  beforeAll(async () => {
    const { io, out, err } = capturedIo();
    const code = await withDatabaseUrl(db.url, () =>
      main(['annex-a', '--partnership', 'testshire', '--as-of', AS_OF, '--out', file()], io),
    );
    expect({ code, err: err.join('') }).toEqual({ code: 0, err: '' });
    printed = JSON.parse(out.join('')) as Record<string, unknown>;
    const sheets = readXlsx(file());
    expect(sheets.map((s) => s.name)).toEqual(['List 7']);
    sheet = sheets[0]!;
    const rows = rowsOf(sheet);
    byChild = new Map(
      rows
        .slice(1)
        .map((cells) => [String(cells[0]?.value), Object.fromEntries(TEMPLATE_HEADERS.map((h, i) => [h, cells[i]]))]),
    );
  });

  it('prints what it wrote', () => {
    expect(printed).toEqual({ file: file(), partnershipId: 'testshire', asOf: AS_OF, rows: 3, incompleteRows: 0 });
  });

  it("has the template's 17 headers, in order, in row 1 with nothing above them, and a row per child", () => {
    expect(rowsOf(sheet)[0]!.map((c) => c?.value)).toEqual(TEMPLATE_HEADERS);
    expect([...byChild.keys()]).toEqual(['LC-A', 'LC-B', 'LC-C']);
    expect(sheet.max_row).toBe(4);
  });

  it('declares its dimension and writes every column of every row (the unzipped sheet XML)', () => {
    expect(sheet.dimension).toBe('A1:Q4');
    expect(sheet.xml_extent).toBe('A1:Q4');
    expect(sheet.read_only_dimension).toBe('A1:Q4');
    expect(sheet.xml_cells_per_row).toEqual({ '1': 17, '2': 17, '3': 17, '4': 17 });
  });

  it("writes the template's codes, real dates shown dd/mm/yyyy and whole numbers", () => {
    for (const row of byChild.values()) {
      for (const [header, codes] of Object.entries(CODED)) {
        const cell = row[header];
        if (cell !== undefined)
          expect({ header, value: cell.value, coded: codes.includes(String(cell.value)) }).toMatchObject({
            coded: true,
          });
      }
      for (const header of DATES) {
        const cell = row[header];
        if (cell !== undefined)
          expect({ header, cell }).toMatchObject({ header, cell: { data_type: 'd', number_format: 'dd/mm/yyyy' } });
      }
      expect(row['Number of Previous Child Protection Plans']).toMatchObject({ data_type: 'n' });
      // Blank only without a date of birth (LC-C's is not recorded).
      if (row['Date of Birth'] !== undefined) expect(row['Age of Child (Years)']).toMatchObject({ data_type: 'n' });
      else expect(row['Age of Child (Years)']).toBeUndefined();
    }
    const a = byChild.get('LC-A')!;
    expect(a['Gender']?.value).toBe('b) Female');
    expect(a['Age of Child (Years)']?.value).toBe(10); // born 11 June 2015: not yet 11 on 10 June 2026
    expect(a['Date of the Last Statutory Visit']?.value).toBe('2026-06-01T00:00:00');
    expect(a['Was the Child Seen Alone?']?.value).toBe('a) Yes');
    expect(a['Latest Category of Abuse']?.value).toBe('d) Emotional abuse');
    expect(a['Initial Category of Abuse']?.value).toBe('a) Neglect');
    expect(a['Allocated Worker']?.value).toBe('Nia Newworker');
    expect(a['Allocated Team']?.value).toBe('Assessment Team A');
    const b = byChild.get('LC-B')!;
    expect([b['Gender']?.value, b['Ethnicity']?.value, b['Does the Child have a Disability']?.value]).toEqual([
      'a) Male',
      'n) BCRB',
      'a) Yes',
    ]);
    expect(b['Age of Child (Years)']?.value).toBe(14);
    expect(b[EPO_HEADER]?.value).toBe('a) Yes');
    expect(b['Number of Previous Child Protection Plans']?.value).toBe(2);
    expect(b['Child Protection Plan Start Date']?.value).toBe('2026-03-02T00:00:00');
    expect(b['Child Protection Plan End Date']).toBeUndefined();
    const c = byChild.get('LC-C')!;
    expect([c['Gender']?.value, c['Ethnicity']?.value, c['Does the Child have a Disability']?.value]).toEqual([
      'd) Neither',
      't) NOBT',
      'c) Unknown',
    ]);
    expect(c['Child Protection Plan End Date']?.value).toBe(`${AS_OF}T00:00:00`);
  });

  it('leaves no required field blank', () => {
    for (const [child, row] of byChild) {
      const blank = REQUIRED_HEADERS.filter((h) => {
        const v = row[h]?.value;
        return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
      });
      expect({ child, blank }).toEqual({ child, blank: [] });
    }
  });

  it('logged the extract before writing it, as the command line', async () => {
    const rows = await db.prisma.accessLog.findMany({ where: { action: 'annex-a-download' } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      partnershipId: 'testshire',
      actorKind: 'command-line',
      personId: null,
      tokenId: null,
    });
    expect(rows[0]!.route).toContain(`asOf=${AS_OF}`);
  });
});

describe('refusals', () => {
  it.each([
    [['--partnership', 'testshire', '--as-of', '2026-02-30'], '--as-of: "2026-02-30" is not a real date'],
    [['--partnership', 'testshire', '--as-of', '2099-01-01'], '--as-of: 2099-01-01 is after today'],
    [['--partnership', 'nowhere'], '--partnership: partnership nowhere does not exist'],
    [['--partnership', '../x'], '--partnership: must be letters'],
    [['--as-of', AS_OF], '--partnership: is required'],
    [['--partnership', 'testshire', '--asof', AS_OF], "unknown option '--asof'"],
    [['--partnership', 'testshire', '--out'], '--out: needs a file name'],
  ])('corewatch annex-a %j exits 2: %s', async (args, message) => {
    const { io, out, err } = capturedIo();
    // Every case names its own --out but the one about --out itself.
    const withOut = args.includes('--out') ? args : [...args, '--out', path.join(dir, 'x.xlsx')];
    const code = await withDatabaseUrl(db.url, () => main(['annex-a', ...withOut], io));
    expect(code).toBe(2);
    expect(err.join('')).toContain(`corewatch annex-a: ${message}`);
    expect(out).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'x.xlsx'))).toBe(false);
  });

  it('refuses a day after today and an unknown partnership at the service, naming the field', async () => {
    await expect(
      writeAnnexA(
        db.prisma,
        { partnershipId: 'testshire', asOf: '2026-06-16', today: TODAY },
        path.join(dir, 'y.xlsx'),
      ),
    ).rejects.toMatchObject({ code: 'contradiction', field: 'asOf' });
    await expect(
      writeAnnexA(db.prisma, { partnershipId: 'nowhere', asOf: TODAY, today: TODAY }, path.join(dir, 'y.xlsx')),
    ).rejects.toMatchObject({ code: 'not-found', field: 'partnershipId' });
  });
});
