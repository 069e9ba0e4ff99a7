/**
 * Bulk import: valid rows go in (with their delivery rows), rejected rows change nothing and are explained in the
 * report next to the input, and importing the same file twice changes nothing.
 */
import { getPolicy as currentPolicy, rulesVersionOf } from '../../../domain/policies';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { importFile, neutralise } from '../../../services/imports/import-file';
import { MappingError, parseMapping, type Mapping } from '../../../services/imports/mapping';
import { planWorkflowId } from '../../../workflows/plan';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { seedPartnership } from '../../support/fixtures';

const ROOT = path.resolve(__dirname, '../../..');
const HOSTILE = '=HYPERLINK("http://evil.invalid","click")';
const noRelay = async () => 0;
/** After every event the fixtures record: an event dated after today is refused. */
const TODAY = '2026-06-15';

const MAPPING: Mapping = parseMapping({
  planReference: 'CP Ref',
  eventType: {
    column: 'Activity',
    values: { CG: 'core-group-held', VISIT: 'child-seen', NE: 'non-engagement-reported' },
  },
  eventDate: { column: 'Date', dateFormat: 'DD/MM/YYYY' },
  seenAlone: 'Seen Alone',
  parentsPresent: 'Parents',
  detail: 'Notes',
});

let db: TestDatabase;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase('imports');
  await seedPartnership(db.prisma);
  for (const id of ['IMP-1', 'IMP-2']) {
    await db.prisma.plan.create({
      data: {
        id,
        partnershipId: 'testshire',
        teamId: 'team-a',
        childId: 'child-1',
        policyId: 'england',
        rulesVersion: rulesVersionOf(currentPolicy('england')),
        type: 'child-protection',
        startedOn: new Date('2026-03-02T00:00:00Z'),
        workflowId: planWorkflowId(id),
      },
    });
  }
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corewatch-import-'));
});
afterAll(async () => {
  await db?.drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const csvQuote = (cell: string) => (/[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
function writeCsv(name: string, rows: string[][]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, '\uFEFF' + rows.map((r) => r.map(csvQuote).join(',')).join('\r\n') + '\r\n');
  return file;
}

function readReport(file: string): Array<Record<string, string>> {
  return parse<Record<string, string>>(fs.readFileSync(file, 'utf8'), { columns: true });
}

async function counts(planId: string) {
  return {
    events: await db.prisma.planEvent.count({ where: { planId } }),
    deliveries: await db.prisma.eventDelivery.count({ where: { planId } }),
  };
}

const HEADER = ['CP Ref', 'Activity', 'Date', 'Seen Alone', 'Parents', 'Notes'];

describe('importFile (CSV)', () => {
  let file: string;
  beforeAll(() => {
    file = writeCsv('mosaic.csv', [
      HEADER,
      ['IMP-1', 'CG', '10/03/2026', '', 'Y', ''], // row 2: recorded
      ['IMP-1', 'VISIT', '12/03/2026', 'Yes', '', ''], // row 3: recorded
      ['IMP-1', 'NE', '13/03/2026', '', '', HOSTILE], // row 4: recorded, hostile detail stored as text
      ['IMP-1', 'VISIT', '31/02/2026', 'N', '', ''], // row 5: not a real date
      ['IMP-1', 'XX', '14/03/2026', '', '', ''], // row 6: unknown code
      ['NOPE', 'VISIT', '14/03/2026', '', '', ''], // row 7: unknown plan
      ['IMP-1', 'VISIT', '01/03/2026', '', '', ''], // row 8: before the plan started
      [HOSTILE, 'VISIT', '14/03/2026', '', '', ''], // row 9: hostile plan reference
      ['IMP-1', 'VISIT', '15/03/2026', 'maybe', '', ''], // row 10: bad boolean
    ]);
  });

  it('records the valid rows with their deliveries and rejects the rest, explaining each in the report', async () => {
    const progress: number[] = [];
    const result = await importFile({
      prisma: db.prisma,
      today: TODAY,
      file,
      mapping: MAPPING,
      relay: noRelay,
      onProgress: (s) => progress.push(s.rows),
    });
    expect(result.summary).toEqual({ rows: 9, recorded: 3, duplicates: 0, rejected: 6 });
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(result.reportPath).toBe(`${file}.report.csv`);

    const events = await db.prisma.planEvent.findMany({ where: { planId: 'IMP-1' }, orderBy: { on: 'asc' } });
    expect(events.map((e) => [e.type, e.on.toISOString().slice(0, 10)])).toEqual([
      ['core-group-held', '2026-03-10'],
      ['child-seen', '2026-03-12'],
      ['non-engagement-reported', '2026-03-13'],
    ]);
    expect(events[0]!.payload).toMatchObject({ parentsPresent: true });
    expect(events[1]!.payload).toMatchObject({ seenAlone: true });
    expect(events[2]!.payload).toMatchObject({ detail: HOSTILE });
    expect(events.every((e) => e.id.startsWith('imp-'))).toBe(true);
    expect(
      await db.prisma.eventDelivery.count({ where: { eventId: { in: events.map((e) => e.id) }, deliveredAt: null } }),
    ).toBe(3);
    expect(await db.prisma.planEvent.count({ where: { planId: { not: 'IMP-1' } } })).toBe(0);

    const report = readReport(result.reportPath);
    expect(report.map((r) => [r['row'], r['outcome'], r['field']])).toEqual([
      ['2', 'recorded', ''],
      ['3', 'recorded', ''],
      ['4', 'recorded', ''],
      ['5', 'rejected', 'eventDate'],
      ['6', 'rejected', 'eventType'],
      ['7', 'rejected', 'planId'],
      ['8', 'rejected', 'on'],
      ['9', 'rejected', 'planId'],
      ['10', 'rejected', 'seenAlone'],
    ]);
    expect(report[0]!['eventId']).toBe(events[0]!.id);
    expect(report[3]!['reason']).toBe('"31/02/2026" is not a real date');
    expect(report[4]!['reason']).toContain('"XX" is not a code in the mapping');
    expect(report[5]!['reason']).toBe('plan NOPE does not exist');
    expect(report[6]!['reason']).toContain('before the plan started (2026-03-02)');
    // The hostile cell arrives neutralised: a spreadsheet shows it as text.
    expect(report[7]!['planReference']).toBe(`'${HOSTILE}`);
    expect(report.every((r) => Object.values(r).every((v) => !/^[=+\-@\t\r]/.test(v)))).toBe(true);
  });

  it('importing the same file again changes nothing: every accepted row is a duplicate', async () => {
    const before = await counts('IMP-1');
    const result = await importFile({ prisma: db.prisma, today: TODAY, file, mapping: MAPPING, relay: noRelay });
    expect(result.summary).toEqual({ rows: 9, recorded: 0, duplicates: 3, rejected: 6 });
    expect(result.relay).toEqual({ skipped: true });
    expect(await counts('IMP-1')).toEqual(before);
    expect(
      readReport(result.reportPath)
        .filter((r) => r['outcome'] === 'duplicate')
        .map((r) => r['row']),
    ).toEqual(['2', '3', '4']);
  });

  it("uses the extract's own event ids when mapped, and passes the recorded ids to the relay", async () => {
    const f = writeCsv('with-ids.csv', [
      ['Ref', 'Type', 'When', 'ActivityId'],
      ['IMP-2', 'plan-ended', '2026-04-01', 'LL-77'],
    ]);
    const relayed: string[][] = [];
    const mapping = parseMapping({
      planReference: 'Ref',
      eventType: { column: 'Type' },
      eventDate: { column: 'When', dateFormat: 'YYYY-MM-DD' },
      eventId: 'ActivityId',
    });
    const result = await importFile({
      prisma: db.prisma,
      today: TODAY,
      file: f,
      mapping,
      relay: async (ids) => (relayed.push([...ids]), ids.length),
    });
    expect(result.summary.recorded).toBe(1);
    expect(relayed).toEqual([['LL-77']]);
    expect(result.relay).toEqual({ delivered: 1 });
    expect(await db.prisma.planEvent.findUnique({ where: { id: 'LL-77' } })).toMatchObject({
      planId: 'IMP-2',
      type: 'plan-ended',
    });
    // A relay failure is reported, not thrown: the events are stored.
    const again = await importFile({
      prisma: db.prisma,
      today: TODAY,
      file: writeCsv('more.csv', [
        ['Ref', 'Type', 'When', 'ActivityId'],
        ['IMP-2', 'child-seen', '2026-03-20', 'LL-78'],
      ]),
      mapping,
      relay: async () => {
        throw new Error('down');
      },
    });
    expect(again.relay).toEqual({ error: 'down' });
    expect(await db.prisma.planEvent.count({ where: { id: 'LL-78' } })).toBe(1);
  });
});

describe('importFile (XLSX)', () => {
  it('reads the first sheet, takes date cells as dates, and is idempotent', async () => {
    const file = path.join(dir, 'liquidlogic.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Extract');
    ws.addRow(HEADER);
    ws.addRow(['IMP-2', 'CG', new Date(Date.UTC(2026, 2, 10)), '', 'No', '']);
    ws.addRow(['IMP-2', 'VISIT', '11/03/2026', '1', '', '']);
    ws.addRow(['IMP-2', 'VISIT', '31/02/2026', '', '', '']);
    ws.getColumn(3).numFmt = 'dd/mm/yyyy';
    wb.addWorksheet('Ignored').addRow(['not', 'read']);
    await wb.xlsx.writeFile(file);

    const before = await counts('IMP-2');
    const first = await importFile({ prisma: db.prisma, today: TODAY, file, mapping: MAPPING, relay: noRelay });
    expect(first.summary).toEqual({ rows: 3, recorded: 2, duplicates: 0, rejected: 1 });
    expect(await counts('IMP-2')).toEqual({ events: before.events + 2, deliveries: before.deliveries + 2 });
    const held = await db.prisma.planEvent.findFirstOrThrow({ where: { planId: 'IMP-2', type: 'core-group-held' } });
    expect(held.on.toISOString().slice(0, 10)).toBe('2026-03-10');
    expect(held.payload).toMatchObject({ parentsPresent: false });
    expect(readReport(first.reportPath)[2]).toMatchObject({ row: '4', outcome: 'rejected', field: 'eventDate' });

    const second = await importFile({ prisma: db.prisma, today: TODAY, file, mapping: MAPPING, relay: noRelay });
    expect(second.summary).toEqual({ rows: 3, recorded: 0, duplicates: 2, rejected: 1 });
    expect(await counts('IMP-2')).toEqual({ events: before.events + 2, deliveries: before.deliveries + 2 });
  });
});

describe('the mapping and the report cells', () => {
  it('names the mapping field at fault', () => {
    const error = (() => {
      try {
        parseMapping({
          planReference: '',
          eventType: { column: 'A', values: { CG: 'core-group-hel' } },
          eventDate: { column: 'D', dateFormat: 'MM/DD/YYYY' },
          colour: 'x',
        });
      } catch (e) {
        return e;
      }
      return undefined;
    })() as MappingError;
    expect(error).toBeInstanceOf(MappingError);
    expect(error.message).toContain('planReference:');
    expect(error.message).toContain('eventType.values.CG:');
    expect(error.message).toContain('eventDate.dateFormat:');
    expect(error.message).toContain('colour: is not a known mapping field');
  });

  it('quotes report cells that hold a comma, a quote or a line break, and nothing else', async () => {
    const references = ['NO\nPE', 'NO, "7"'];
    const file = writeCsv('quoting.csv', [HEADER, ...references.map((r) => [r, 'VISIT', '14/03/2026', '', '', ''])]);
    const result = await importFile({ prisma: db.prisma, today: TODAY, file, mapping: MAPPING, relay: noRelay });
    expect(result.summary.rejected).toBe(2);
    const lines = fs.readFileSync(result.reportPath, 'utf8').split(/(?<=\r\n)/);
    expect(lines).toEqual([
      'row,planReference,eventId,outcome,field,reason\r\n',
      expect.stringMatching(/^2,"NO\nPE",imp-[0-9a-f]{64},rejected,planId,"plan NO\nPE does not exist"\r\n$/),
      expect.stringMatching(/^3,"NO, ""7""",imp-[0-9a-f]{64},rejected,planId,"plan NO, ""7"" does not exist"\r\n$/),
    ]);
    expect(readReport(result.reportPath).map((r) => r['planReference'])).toEqual(references);
  });

  it('neutralises formula-like cells', () => {
    expect(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', 'plain'].map(neutralise)).toEqual([
      "'=1+1",
      "'+1",
      "'-1",
      "'@SUM(A1)",
      "'\tx",
      "'\rx",
      'plain',
    ]);
  });
});

describe('corewatch import', () => {
  function cli(args: string[], env: Record<string, string> = {}) {
    return spawnSync(process.execPath, [path.join(ROOT, 'cli/corewatch.js'), 'import', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: db.url, ...env },
      encoding: 'utf8',
      timeout: 60000,
    });
  }

  it('exits 2 naming the problem for a bad mapping, an unsupported file and an unreadable file', () => {
    const data = writeCsv('cli.csv', [HEADER, ['IMP-1', 'CG', '10/03/2026', '', '', '']]);
    const bad = path.join(dir, 'bad-mapping.json');
    fs.writeFileSync(
      bad,
      JSON.stringify({
        planReference: 'CP Ref',
        eventType: { column: 'Activity' },
        eventDate: { column: 'Date', dateFormat: 'MM/DD/YYYY' },
      }),
    );
    const badRun = cli([data, '--mapping', bad]);
    expect(badRun.status).toBe(2);
    expect(badRun.stderr).toContain('eventDate.dateFormat');

    const notJson = path.join(dir, 'not-json.json');
    fs.writeFileSync(notJson, '{');
    expect(cli([data, '--mapping', notJson])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('not valid JSON'),
    });

    const good = path.join(dir, 'mapping.json');
    fs.writeFileSync(good, JSON.stringify(MAPPING));
    expect(cli([path.join(dir, 'extract.xls'), '--mapping', good])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining("unsupported file type '.xls'"),
    });
    expect(cli([path.join(dir, 'missing.csv'), '--mapping', good])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('cannot read'),
    });
    expect(fs.existsSync(`${data}.report.csv`)).toBe(false);
  });

  it('imports a file, exits 0 with rejected rows, and says the relay will deliver when Temporal is unreachable', () => {
    const data = writeCsv('cli-ok.csv', [
      HEADER,
      ['IMP-1', 'VISIT', '20/03/2026', 'N', '', ''],
      ['NOPE', 'VISIT', '20/03/2026', '', '', ''],
    ]);
    const good = path.join(dir, 'mapping-ok.json');
    fs.writeFileSync(good, JSON.stringify(MAPPING));
    const run = cli([data, '--mapping', good], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
    expect(run.stderr).toContain('1 of 2 rows were rejected');
    expect(run.stderr).toContain("worker's relay will deliver them");
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      rows: 2,
      recorded: 1,
      duplicates: 0,
      rejected: 1,
      report: `${data}.report.csv`,
    });
  });
});
