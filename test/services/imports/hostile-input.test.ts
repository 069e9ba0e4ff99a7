/**
 * Bulk import with hostile and broken input (issue 9): wrong encodings, malformed files and rows, dates that do not
 * exist, duplicated rows, NUL characters, unpaired surrogates and formula-like text. Each is either refused with a
 * reason naming where (a file that cannot be read as it is: nothing imported, no report written), rejected on its row
 * with a reason in the report (nothing of the row stored, the other rows still go in), or neutralised (a byte order
 * mark dropped, UTF-16 decoded, formula-like text stored as the text it is and written inert in the report). Importing
 * the same file again changes nothing.
 */
import { getPolicy, rulesVersionOf } from '../../../domain/policies';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { buildEvent, importFile } from '../../../services/imports/import-file';
import { parseMapping, type Mapping } from '../../../services/imports/mapping';
import { ExtractError } from '../../../services/imports/read-rows';
import { planWorkflowId } from '../../../workflows/plan';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { seedPartnership } from '../../support/fixtures';

const ROOT = path.resolve(__dirname, '../../..');
const TODAY = '2026-06-15';
const PLAN = 'HOST-1';
const noRelay = async () => 0;

const MAPPING: Mapping = parseMapping({
  planReference: 'CP Ref',
  eventType: {
    column: 'Activity',
    values: { CG: 'core-group-held', VISIT: 'child-seen', NE: 'non-engagement-reported', CANC: 'core-group-cancelled' },
  },
  eventDate: { column: 'Date', dateFormat: 'DD/MM/YYYY' },
  seenAlone: 'Seen Alone',
  detail: 'Notes',
});
const HEADER = ['CP Ref', 'Activity', 'Date', 'Seen Alone', 'Notes'];

let db: TestDatabase;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase('imports_hostile');
  await seedPartnership(db.prisma);
  await db.prisma.plan.create({
    data: {
      id: PLAN,
      partnershipId: 'testshire',
      teamId: 'team-a',
      childId: 'child-1',
      policyId: 'england',
      rulesVersion: rulesVersionOf(getPolicy('england')),
      type: 'child-protection',
      startedOn: new Date('2026-03-02T00:00:00Z'),
      workflowId: planWorkflowId(PLAN),
    },
  });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corewatch-hostile-'));
});
afterAll(async () => {
  await db?.drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const csvQuote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
const csvText = (rows: string[][]) => rows.map((r) => r.map(csvQuote).join(',')).join('\r\n') + '\r\n';

function write(name: string, bytes: Buffer | string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

/** UTF-16 big-endian bytes of `text` (Node writes only little-endian). */
function utf16be(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

function readReport(file: string): Array<Record<string, string>> {
  return parse<Record<string, string>>(fs.readFileSync(file, 'utf8'), { columns: true });
}

async function stored() {
  const events = await db.prisma.planEvent.findMany({
    where: { planId: PLAN },
    orderBy: [{ on: 'asc' }, { id: 'asc' }],
  });
  return {
    events: events.length,
    deliveries: await db.prisma.eventDelivery.count({ where: { planId: PLAN } }),
    details: events.map((e) => (e.payload as { detail?: string }).detail).filter((d) => d !== undefined),
  };
}

const run = (file: string, mapping: Mapping = MAPPING) =>
  importFile({ prisma: db.prisma, today: TODAY, file, mapping, relay: noRelay });

/** A refused file: the error names the problem, nothing is stored and no report is written. */
async function expectRefused(file: string, reason: RegExp): Promise<void> {
  const before = await stored();
  const error = await run(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ExtractError);
  expect((error as Error).message).toMatch(reason);
  expect(await stored()).toEqual(before);
  expect(fs.existsSync(`${file}.report.csv`)).toBe(false);
}

describe('encodings', () => {
  // Names with letters outside ASCII, and one outside the Basic Multilingual Plane (a surrogate pair in UTF-16).
  const names = ['Siân Ó Dálaigh', 'Zoë Brontë', 'Łucja Żółć 🙂'];

  it('UTF-8 with a byte order mark: the mark is dropped, the first column is found, the text arrives whole', async () => {
    const file = write(
      'bom.csv',
      '\uFEFF' +
        csvText([HEADER, ['HOST-1', 'NE', '03/03/2026', '', names[0]!], ['HOST-1', 'NE', '04/03/2026', '', names[1]!]]),
    );
    const result = await run(file);
    expect(result.summary).toMatchObject({ recorded: 2, rejected: 0 });
    expect((await stored()).details).toEqual(expect.arrayContaining([names[0], names[1]]));
    expect(readReport(result.reportPath).map((r) => r['planReference'])).toEqual(['HOST-1', 'HOST-1']);
  });

  it.each([
    [
      'little-endian',
      '2026-03-05',
      (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    ],
    ['big-endian', '2026-03-06', (text: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(text)])],
  ])('UTF-16 %s with a byte order mark is decoded', async (endian, on, encode) => {
    const ddmmyyyy = on.split('-').reverse().join('/');
    const file = write(`utf16-${endian}.csv`, encode(csvText([HEADER, ['HOST-1', 'NE', ddmmyyyy, '', names[2]!]])));
    const result = await run(file);
    expect(result.summary).toMatchObject({ rows: 1, recorded: 1, rejected: 0 });
    const event = await db.prisma.planEvent.findFirstOrThrow({
      where: { planId: PLAN, on: new Date(`${on}T00:00:00Z`) },
    });
    expect(event.payload).toMatchObject({ type: 'non-engagement-reported', detail: names[2] });
    // The same file again: nothing new.
    expect((await run(file)).summary).toMatchObject({ recorded: 0, duplicates: 1 });
  });

  it('Latin-1 (not UTF-8): the whole file is refused naming the line and byte, and no row goes in', async () => {
    // Row 2 is plain ASCII (the same in both encodings) and would import; row 3 has ë as the single byte 0xEB. A
    // guess at Latin-1 could store a wrong name (Windows-1252 differs in 0x80-0x9F, and a UTF-8 file with one bad byte
    // would have every other name mangled), so corewatch does not guess.
    const file = write(
      'latin1.csv',
      Buffer.from(
        csvText([HEADER, ['HOST-1', 'NE', '07/03/2026', '', 'plain'], ['HOST-1', 'NE', '08/03/2026', '', names[1]!]]),
        'latin1',
      ),
    );
    await expectRefused(file, /line 3: byte 0xEB is not UTF-8.*nothing was imported/is);
  });

  it('UTF-8 bytes of a lone surrogate (CESU-8) are not UTF-8: refused naming the line', async () => {
    const text = Buffer.from(csvText([HEADER, ['HOST-1', 'NE', '07/03/2026', '', 'x#y']]));
    const at = text.indexOf('#');
    const file = write(
      'cesu.csv',
      Buffer.concat([text.subarray(0, at), Buffer.from([0xed, 0xa0, 0x80]), text.subarray(at + 1)]),
    );
    await expectRefused(file, /line 2: bytes 0xED 0xA0 are not UTF-8/);
  });

  it('UTF-16 with an unpaired surrogate: refused naming the line', async () => {
    const file = write(
      'utf16-lone.csv',
      Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from(
          csvText([HEADER, ['HOST-1', 'NE', '07/03/2026', '', 'fine'], ['HOST-1', 'NE', '08/03/2026', '', 'x\uD800y']]),
          'utf16le',
        ),
      ]),
    );
    await expectRefused(file, /line 3: an unpaired UTF-16 surrogate \(0xD800\)/);
  });

  it('UTF-16 without a byte order mark: refused, saying what to do', async () => {
    const file = write(
      'utf16-no-bom.csv',
      Buffer.from(csvText([HEADER, ['HOST-1', 'NE', '07/03/2026', '', 'x']]), 'utf16le'),
    );
    await expectRefused(file, /NUL characters in the header.*UTF-16 without a byte order mark/s);
  });
});

describe('malformed files and rows', () => {
  it('a quote that is never closed: the file is refused naming the row, and no row goes in', async () => {
    const file = write(
      'unclosed.csv',
      csvText([HEADER, ['HOST-1', 'NE', '09/03/2026', '', 'fine']]) +
        'HOST-1,NE,10/03/2026,,"never closed\r\nHOST-1,NE,11/03/2026,,x\r\n',
    );
    await expectRefused(file, /row 3 \(the header is row 1\): a quoted cell starting in this row is never closed/);
  });

  it('a mapped column missing from the header: refused naming the mapping field and the column', async () => {
    const file = write(
      'no-notes.csv',
      csvText([
        ['CP Ref', 'Activity', 'Date', 'Seen Alone'],
        ['HOST-1', 'NE', '09/03/2026', ''],
      ]),
    );
    await expectRefused(file, /detail: the header has no column 'Notes'/);
  });

  it('a row with more cells than the header is rejected (an unquoted comma?); a short row reads as empty cells', async () => {
    const before = await stored();
    const file = write(
      'ragged.csv',
      csvText([HEADER]) +
        'HOST-1,NE,12/03/2026,,late, again\r\n' + // row 2: six cells, the last not empty
        'HOST-1,VISIT,12/03/2026\r\n' + // row 3: three cells
        'HOST-1,NE,13/03/2026,,trailing,,\r\n', // row 4: empty cells after the last column
    );
    const result = await run(file);
    expect(readReport(result.reportPath).map((r) => [r['row'], r['outcome'], r['field'], r['reason']])).toEqual([
      ['2', 'rejected', '(row)', 'the row has 6 cells, the header 5: a cell holding a comma must be quoted'],
      ['3', 'recorded', '', ''],
      ['4', 'recorded', '', ''],
    ]);
    expect((await stored()).events).toBe(before.events + 2);
  });

  it('a workbook cut short: refused, and no row goes in', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Extract');
    ws.addRow(HEADER);
    for (let day = 1; day <= 28; day += 1)
      ws.addRow(['HOST-1', 'VISIT', `${String(day).padStart(2, '0')}/05/2026`, '', '']);
    const whole = Buffer.from(await wb.xlsx.writeBuffer());
    const file = write('cut.xlsx', whole.subarray(0, Math.floor(whole.length * 0.6)));
    await expectRefused(file, /cannot be read/);
  });
});

describe('values', () => {
  it('dates that do not exist are rejected on their row, naming the column', async () => {
    const before = await stored();
    const dates = ['30/02/2026', '29/02/2026', '31/04/2026', '00/03/2026', '2026-02-30', '2026-13-01', '2026-3-1'];
    const file = write('dates.csv', csvText([HEADER, ...dates.map((d) => ['HOST-1', 'VISIT', d, '', ''])]));
    const result = await run(file);
    expect(result.summary).toMatchObject({ rows: dates.length, rejected: dates.length });
    expect(readReport(result.reportPath).map((r) => [r['field'], r['reason']])).toEqual([
      ['eventDate', '"30/02/2026" is not a real date'],
      ['eventDate', '"29/02/2026" is not a real date'],
      ['eventDate', '"31/04/2026" is not a real date'],
      ['eventDate', '"00/03/2026" is not a real date'],
      ['eventDate', '"2026-02-30" is not a real date'],
      ['eventDate', '"2026-13-01" is not a real date'],
      ['eventDate', '"2026-3-1" is not a date in DD/MM/YYYY form'],
    ]);
    expect(await stored()).toEqual(before);
  });

  it('a row twice is one event (the copy is a duplicate); one event id with two contents keeps the first', async () => {
    const before = await stored();
    const row = ['HOST-1', 'VISIT', '14/03/2026', 'Y', ''];
    const twice = await run(write('twice.csv', csvText([HEADER, row, row])));
    expect(twice.summary).toMatchObject({ recorded: 1, duplicates: 1, rejected: 0 });

    const withIds = parseMapping({ ...MAPPING, eventId: 'Id' });
    const file = write(
      'same-id.csv',
      csvText([
        [...HEADER, 'Id'],
        ['HOST-1', 'VISIT', '15/03/2026', '', '', 'MOS-1'],
        ['HOST-1', 'VISIT', '16/03/2026', '', '', 'MOS-1'],
      ]),
    );
    const result = await run(file, withIds);
    expect(readReport(result.reportPath).map((r) => [r['outcome'], r['field'], r['reason']])).toEqual([
      ['recorded', '', ''],
      ['rejected', 'id', 'event MOS-1 was already recorded with different content'],
    ]);
    expect(await db.prisma.planEvent.findUniqueOrThrow({ where: { id: 'MOS-1' } })).toMatchObject({
      on: new Date('2026-03-15T00:00:00Z'),
    });
    expect((await stored()).events).toBe(before.events + 2);
  });

  it('a NUL character in any mapped cell rejects its row naming the column, stores nothing, and the import goes on', async () => {
    const before = await stored();
    const file = write(
      'nul.csv',
      csvText([
        HEADER,
        ['HOST-1', 'NE', '17/03/2026', '', 'before\u0000after'],
        ['HOST\u0000-1', 'NE', '17/03/2026', '', ''],
        ['HOST-1', 'N\u0000E', '17/03/2026', '', ''],
        ['HOST-1', 'VISIT', '17/03/2026', 'Y\u0000', ''],
        ['HOST-1', 'NE', '18/03/2026', '', 'the row after'],
      ]),
    );
    const result = await run(file);
    expect(readReport(result.reportPath).map((r) => [r['outcome'], r['field'], r['reason']])).toEqual([
      ['rejected', 'detail', "column 'Notes' contains a NUL character (U+0000), which cannot be stored"],
      ['rejected', 'planReference', "column 'CP Ref' contains a NUL character (U+0000), which cannot be stored"],
      ['rejected', 'eventType', "column 'Activity' contains a NUL character (U+0000), which cannot be stored"],
      ['rejected', 'seenAlone', "column 'Seen Alone' contains a NUL character (U+0000), which cannot be stored"],
      ['recorded', '', ''],
    ]);
    const after = await stored();
    expect(after.events).toBe(before.events + 1);
    expect(after.details).toContain('the row after');
    // The report carries no NUL either: the cell is shown with U+FFFD in its place.
    expect(fs.readFileSync(result.reportPath, 'utf8')).not.toContain('\u0000');
    expect(readReport(result.reportPath)[1]!['planReference']).toBe('HOST\uFFFD-1');
  });

  it('an unpaired surrogate in a mapped cell, however a reader produced it, rejects the row naming the column', () => {
    const row = (notes: string) => ({
      rowNumber: 2,
      values: { 'CP Ref': 'HOST-1', Activity: 'NE', Date: '17/03/2026', 'Seen Alone': '', Notes: notes },
    });
    expect(() => buildEvent(MAPPING, row('a\uD800b'))).toThrow(
      "column 'Notes' contains an unpaired UTF-16 surrogate (U+D800), which cannot be stored",
    );
    expect(() => buildEvent(MAPPING, row('a\uDFFF'))).toThrow(/unpaired UTF-16 surrogate \(U\+DFFF\)/);
    // A well-formed pair is text like any other.
    expect(buildEvent(MAPPING, row('🙂'))).toMatchObject({ detail: '🙂' });
  });

  it('formula-like text is stored as the text it is and written inert in the report; importing again changes nothing', async () => {
    const hostile = ['=HYPERLINK("http://evil.invalid","click")', '+SUM(1,2)', '-2+3', '@cmd'];
    const before = await stored();
    const file = write(
      'formulas.csv',
      csvText([
        HEADER,
        ...hostile.map((text, i) => ['HOST-1', 'NE', `${20 + i}/03/2026`, '', text]),
        ...hostile.map((text) => [text, 'NE', '20/03/2026', '', '']),
      ]),
    );
    const result = await run(file);
    expect(result.summary).toMatchObject({ recorded: hostile.length, rejected: hostile.length });
    expect((await stored()).details).toEqual(expect.arrayContaining(hostile));
    const report = readReport(result.reportPath);
    expect(report.slice(hostile.length).map((r) => r['planReference'])).toEqual(hostile.map((h) => `'${h}`));
    for (const r of report) for (const cell of Object.values(r)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);

    const again = await run(file);
    expect(again.summary).toMatchObject({ recorded: 0, duplicates: hostile.length, rejected: hostile.length });
    expect((await stored()).events).toBe(before.events + hostile.length);
  });

  it('a workbook formula is never taken as text to store: its cached result is, and formula-like text stays text', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Extract');
    ws.addRow(HEADER);
    ws.addRow([
      'HOST-1',
      'NE',
      '25/03/2026',
      '',
      { formula: 'HYPERLINK("http://evil.invalid","click")', result: 'click' },
    ]);
    ws.addRow(['HOST-1', 'NE', '26/03/2026', '', '=1+1']);
    const file = path.join(dir, 'formula.xlsx');
    await wb.xlsx.writeFile(file);
    const result = await run(file);
    expect(result.summary).toMatchObject({ recorded: 2, rejected: 0 });
    const events = await db.prisma.planEvent.findMany({
      where: { planId: PLAN, on: { gte: new Date('2026-03-25T00:00:00Z'), lte: new Date('2026-03-26T00:00:00Z') } },
      orderBy: { on: 'asc' },
    });
    expect(events.map((e) => (e.payload as { detail?: string }).detail)).toEqual(['click', '=1+1']);
  });
});

describe('corewatch import', () => {
  it('exits 2 for a file it cannot read as it is, naming the line, and imports nothing', async () => {
    const file = write(
      'cli-latin1.csv',
      Buffer.from(csvText([HEADER, ['HOST-1', 'NE', '27/03/2026', '', 'Zoë']]), 'latin1'),
    );
    const mapping = write('cli-mapping.json', JSON.stringify(MAPPING));
    const before = await stored();
    const cli = spawnSync(
      process.execPath,
      [path.join(ROOT, 'cli/corewatch.js'), 'import', file, '--mapping', mapping],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: db.url },
        encoding: 'utf8',
        timeout: 60000,
      },
    );
    expect(cli.stderr).toContain('line 2: byte 0xEB is not UTF-8');
    expect(cli.status).toBe(2);
    expect(await stored()).toEqual(before);
  });
});
