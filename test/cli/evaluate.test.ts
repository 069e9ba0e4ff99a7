/**
 * `corewatch evaluate`, run as auditors run it: the real bin in a child process, on temporary files.
 * Expected dates are computed by hand in the comments (Camden, guidance/001; no bank holidays in range).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

jest.setTimeout(60_000);

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'cli/corewatch.js');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'corewatch-evaluate-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function corewatch(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

// ICPC Mon 2025-02-03; core group Thu 13 Feb, its record 19 Feb; the child seen Wed 12 Feb and Fri 28 Feb.
const camdenPlan = {
  policy: 'camden',
  plan: { type: 'child-protection', startedOn: '2025-02-03' },
  events: [
    { type: 'core-group-held', on: '2025-02-13', id: 'cg-1' },
    { type: 'record-circulated', on: '2025-02-19', meetingOn: '2025-02-13' },
    { type: 'child-seen', on: '2025-02-12' },
    { type: 'child-seen', on: '2025-02-28' },
  ],
};

describe('corewatch evaluate: the vocabulary and rule.basis of issue 10', () => {
  it('takes the new events and shows whether each rule is stated in its quote or a default', () => {
    const input = {
      policy: 'england',
      plan: { type: 'child-protection', startedOn: '2026-03-02' },
      events: [
        { type: 'cadence-set', on: '2026-03-02', interval: { weeks: 4 } },
        { type: 'core-group-held', on: '2026-03-09', attendance: { socialWorkerPresent: true } },
        { type: 'minutes-received', on: '2026-03-12', meetingOn: '2026-03-09' },
        { type: 'access-denied', on: '2026-03-10', by: 'health' },
        { type: 'worker-allocated', on: '2026-03-11', role: 'social-worker', person: 'p-2' },
        { type: 'member-joined', on: '2026-03-11', agency: 'health', person: 'p-3' },
        { type: 'member-left', on: '2026-03-12', agency: 'health', person: 'p-3' },
        { type: 'team-changed', on: '2026-03-12', team: 'team-b' },
      ],
    };
    const { code, stdout, stderr } = corewatch('evaluate', file('issue-10.json', input), '--as-of', '2026-03-13');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const obligations = (
      JSON.parse(stdout) as { obligations: Array<{ key: string; due: string; rule: Record<string, unknown> }> }
    ).obligations;
    const byKey = new Map(obligations.map((o) => [o.key, o]));
    expect(byKey.get('first-core-group')?.rule).toMatchObject({ id: 'england/first-core-group', basis: 'stated' });
    // England's 6 weeks is corewatch's default (basis default, said in the note); the conference's 4 weeks governs.
    expect(byKey.get('core-group#2')).toMatchObject({
      due: '2026-04-06',
      rule: {
        id: 'england/conference-cadence@2026-03-02/4-weeks',
        basis: 'default',
        note: expect.stringMatching(/6 weeks/),
      },
    });
    expect(byKey.get('core-group-record@2026-03-09')?.rule).toMatchObject({
      id: 'england/core-group-record',
      basis: 'default',
      note: expect.stringMatching(/corewatch's default/),
    });
  });

  it('refuses a looser cadence, naming the field and the limit', () => {
    const input = {
      policy: 'camden',
      plan: { type: 'child-protection', startedOn: '2026-03-02' },
      events: [{ type: 'cadence-set', on: '2026-03-02', interval: { months: 3 } }],
    };
    const { code, stderr } = corewatch('evaluate', file('loose.json', input), '--as-of', '2026-03-13');
    expect(code).toBe(2);
    expect(stderr).toContain(
      "events[0].interval: every 3 months is less often than the policy's limit, every 2 months",
    );
  });
});

describe('corewatch evaluate FILE --as-of DATE', () => {
  it('prints the obligations in due order with their citations', () => {
    const { code, stdout, stderr } = corewatch('evaluate', file('camden.json', camdenPlan), '--as-of', '2025-03-17');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const output = JSON.parse(stdout) as { obligations: Array<Record<string, unknown>> };
    expect(Object.keys(output)).toEqual(['obligations']);
    const summary = output.obligations.map(({ key, kind, due, status, metOn }) => ({ key, kind, due, status, metOn }));
    expect(summary).toEqual([
      // ICPC + 10 working days: 4-7 Feb (4), 10-14 Feb (9), 17 Feb (10) -> Mon 17 Feb, for the visit and the core group.
      { key: 'child-seen#1', kind: 'child-seen', due: '2025-02-17', status: 'met', metOn: '2025-02-12' },
      { key: 'first-core-group', kind: 'first-core-group', due: '2025-02-17', status: 'met', metOn: '2025-02-13' },
      // Thu 13 Feb + 5 working days -> Thu 20 Feb.
      {
        key: 'core-group-record@2025-02-13',
        kind: 'core-group-record',
        due: '2025-02-20',
        status: 'met',
        metOn: '2025-02-19',
      },
      // Wed 12 Feb + 10 working days -> Wed 26 Feb; seen 28 Feb.
      { key: 'child-seen#2', kind: 'child-seen', due: '2025-02-26', status: 'late', metOn: '2025-02-28' },
      // Fri 28 Feb + 10 working days -> Fri 14 Mar.
      { key: 'child-seen#3', kind: 'child-seen', due: '2025-03-14', status: 'overdue', metOn: undefined },
      // 13 Feb + 6 weeks -> Thu 27 Mar.
      { key: 'core-group#2', kind: 'core-group', due: '2025-03-27', status: 'pending', metOn: undefined },
      // ICPC + 3 months.
      { key: 'review-conference#1', kind: 'review-conference', due: '2025-05-03', status: 'pending', metOn: undefined },
    ]);
    const first = output.obligations[1] as Record<string, unknown>;
    expect(Object.keys(first)).toEqual(['key', 'kind', 'due', 'status', 'metOn', 'from', 'rule', 'rulesVersion']);
    expect(first).toMatchObject({
      from: '2025-02-03',
      rulesVersion: expect.stringMatching(/^camden@/),
      rule: {
        id: 'camden/first-core-group',
        source: expect.stringContaining('guidance/001'),
        section: '5 Frequency',
        quote: expect.stringContaining('within 10 working days'),
      },
    });
    expect('metOn' in (output.obligations[4] as object)).toBe(false);
  });

  it('evaluates as of the date given, in either option form', () => {
    const path = file('empty.json', { ...camdenPlan, events: [] });
    const status = (asOfArgs: string[]) => {
      const { code, stdout } = corewatch('evaluate', path, ...asOfArgs);
      expect(code).toBe(0);
      const { obligations } = JSON.parse(stdout) as { obligations: Array<{ key: string; status: string }> };
      return obligations.find((o) => o.key === 'first-core-group')?.status;
    };
    expect(status(['--as-of', '2025-02-17'])).toBe('pending'); // the due date itself
    expect(status(['--as-of=2025-02-18'])).toBe('overdue');
  });

  it('defaults --as-of to today in Europe/London', () => {
    // Far in the past: everything is overdue whatever today is.
    const pastPlan = { ...camdenPlan, plan: { type: 'child-protection', startedOn: '2020-01-06' }, events: [] };
    const past = corewatch('evaluate', file('past.json', pastPlan));
    expect(past.code).toBe(0);
    const statuses = (JSON.parse(past.stdout) as { obligations: Array<{ status: string }> }).obligations.map(
      (o) => o.status,
    );
    expect(statuses).toEqual(['overdue', 'overdue', 'overdue']);
    // And the same output as naming today's London date explicitly (the test's own clock, not the calendar's).
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
    const path = file('today.json', camdenPlan);
    expect(corewatch('evaluate', path).stdout).toBe(corewatch('evaluate', path, '--as-of', today).stdout);
  });

  it('resolves through npx from the repository root', () => {
    const result = spawnSync(
      'npx',
      ['--no-install', 'corewatch', 'evaluate', file('npx.json', camdenPlan), '--as-of', '2025-03-17'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    expect(result.status).toBe(0);
    expect((JSON.parse(result.stdout) as { obligations: unknown[] }).obligations).toHaveLength(7);
  });
});

describe('corewatch evaluate: bad input exits 2 naming the field and the reason', () => {
  const refused = (...args: string[]) => {
    const result = corewatch(...args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    return result.stderr;
  };

  it('a date that does not exist', () => {
    const events = [...camdenPlan.events.slice(0, 2), { type: 'child-seen', on: '2025-02-30' }];
    expect(refused('evaluate', file('bad-date.json', { ...camdenPlan, events }), '--as-of', '2025-03-17')).toContain(
      'events[2].on: "2025-02-30" is not a real date',
    );
  });

  it('an unknown policy', () => {
    expect(refused('evaluate', file('kent.json', { ...camdenPlan, policy: 'kent' }))).toContain(
      'policy: "kent" is not a known policy',
    );
  });

  it('a child in need plan under a policy without child in need rules', () => {
    const cin = { ...camdenPlan, plan: { type: 'child-in-need', startedOn: '2025-02-03' }, events: [] };
    expect(refused('evaluate', file('cin.json', cin), '--as-of', '2025-03-17')).toContain(
      "plan.type: policy 'camden' has no child in need rules",
    );
  });

  it('a bad --as-of', () => {
    const path = file('ok.json', camdenPlan);
    expect(refused('evaluate', path, '--as-of', '2025-02-30')).toContain('--as-of: "2025-02-30" is not a real date');
    expect(refused('evaluate', path, '--as-of')).toContain('--as-of: needs a date');
  });

  it('an unreadable file, or not JSON', () => {
    expect(refused('evaluate', join(dir, 'missing.json'))).toMatch(/missing\.json: cannot read the file \(ENOENT\)/);
    expect(refused('evaluate', file('broken.json', '{"policy": "camden",'))).toContain('broken.json: not valid JSON');
  });

  it('no file, two files, an unknown option, an unknown command', () => {
    expect(refused('evaluate')).toContain('FILE: is required');
    expect(refused('evaluate', 'a.json', 'b.json')).toContain('FILE: give exactly one file');
    expect(refused('evaluate', 'a.json', '--asof', '2025-01-01')).toContain("unknown option '--asof'");
    expect(refused('evalute')).toContain("unknown command 'evalute'");
  });
});
