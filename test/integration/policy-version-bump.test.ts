/**
 * A deployment that bumps a policy's rules. Camden's guidance changes: a deploy ships a new current version of the
 * Camden policy (test/support/bumped-policies.ts: first core group within 5 working days instead of 10, the second
 * within 4 weeks of the first instead of 6) and keeps the old Camden object, the real domain/policies/camden.ts, as
 * a retired version. A plan registered before the deploy recorded the old `camden@<version>` and must keep those
 * rules in every reader; a plan registered after it gets the new ones.
 *
 * The story, in beforeAll:
 *   1. before the deploy, this codebase as it is (the real registry) registers CAM-BEFORE and stores its events,
 *      exactly as production stored plans until the deploy: Plan.rulesVersion is the real Camden's version;
 *   2. the deploy: the service's code is loaded afresh with the bumped registry in place of domain/policies/index.ts
 *      (`jest.doMock` in an isolated module registry, so the code loaded in step 1 is untouched), over the same
 *      database; it registers CAM-AFTER, and one more event for CAM-BEFORE arrives through the API;
 *   3. every reader of the deployed code is asked for both plans' due dates: the read model, the API timeline, the
 *      dashboard's plan page, the workbook, and the workflow (a worker on the time-skipping test server whose bundle
 *      was built with the bumped registry: test/support/workflow-bundle.ts).
 *
 * Every expected date is computed here with `evaluatePlan` and the real Camden object (CAM-BEFORE) or the bumped one
 * (CAM-AFTER). Each reader also shows that CAM-BEFORE's dates are not what the bumped rules give (so a reader that
 * took the current rules would fail), and that CAM-AFTER's are (so the reader really runs with the bumped registry).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { FastifyInstance } from 'fastify';
import { evaluatePlan } from '../../domain/obligations';
import { camden } from '../../domain/policies/camden';
import type { IdentifiedEvent, IsoDate, Obligation, Policy } from '../../domain/types';
import { createPlan, recordEvents } from '../../services/plan-data';
import { planStatusQuery, planWorkflow, planWorkflowId, type PlanStatus } from '../../workflows/plan';
import { BUMPED_CAMDEN, BUMPED_CAMDEN_RULES, RETIRED_CAMDEN_RULES } from '../support/bumped-policies';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { eventually } from '../support/eventually';
import { newPlan, PEOPLE, seedPartnership } from '../support/fixtures';
import { signedInCookie } from '../support/sessions';
import { SmtpCatcher } from '../support/smtp';
import { startTimeSkippingEnv } from '../support/temporal';
import { testWorker } from '../support/worker';
import { bundleWorkflowsWith, type TestWorkflowBundle } from '../support/workflow-bundle';

/** What the deploy replaces, in process and in the workflow bundle, and what it puts there. */
const REAL_REGISTRY = require.resolve('../../domain/policies');
const BUMPED_REGISTRY = require.resolve('../support/bumped-policies');

/** The day of the deploy (the bumped version's date), and the day the readers are asked. */
const DEPLOYED_ON = '2026-11-24';
const TODAY = '2026-11-30';
const MONTH = '2026-11';
const MONTH_END = '2026-11-30';

interface PlanCase {
  id: string;
  startedOn: IsoDate;
  /** Every event the plan has once the story is told. */
  events: IdentifiedEvent[];
}

/** Registered before the deploy; a core group held, its record circulated, visits (the second core group unheld). */
const BEFORE: PlanCase = {
  id: 'CAM-BEFORE',
  startedOn: '2026-10-05',
  events: [
    { id: 'b-seen-1', type: 'child-seen', on: '2026-10-13' },
    {
      id: 'b-core-1',
      type: 'core-group-held',
      on: '2026-10-14',
      parentsPresent: true,
      attendance: { socialWorkerPresent: true, present: [{ agency: 'social-care' }, { agency: 'health' }] },
    },
    { id: 'b-record-1', type: 'record-circulated', on: '2026-10-16', meetingOn: '2026-10-14' },
    { id: 'b-seen-2', type: 'child-seen', on: '2026-10-27' },
    { id: 'b-seen-3', type: 'child-seen', on: '2026-11-09' },
    { id: 'b-seen-4', type: 'child-seen', on: '2026-11-20' },
    // Arrives after the deploy, through the API.
    { id: 'b-seen-5', type: 'child-seen', on: '2026-11-27' },
  ],
};
const BEFORE_DEPLOY_EVENTS = BEFORE.events.slice(0, -1);
const EVENT_AFTER_DEPLOY = BEFORE.events.at(-1)!;

/** Registered on the day of the deploy, by the deployed code; its first core group held. */
const AFTER: PlanCase = {
  id: 'CAM-AFTER',
  startedOn: DEPLOYED_ON,
  events: [
    {
      id: 'a-core-1',
      type: 'core-group-held',
      on: '2026-11-27',
      parentsPresent: true,
      attendance: { socialWorkerPresent: true, present: [{ agency: 'social-care' }, { agency: 'police' }] },
    },
  ],
};

/** Obligation key -> due date, as the engine gives them for this plan under these rules, as of `asOf`. */
function duesUnder(policy: Policy, plan: PlanCase, asOf: IsoDate): Record<string, IsoDate> {
  return dues(
    evaluatePlan({ policy, plan: { type: 'child-protection', startedOn: plan.startedOn }, events: plan.events }, asOf),
  );
}

function dues(obligations: ReadonlyArray<{ key: string; due: string }>): Record<string, string> {
  return Object.fromEntries(obligations.map((o) => [o.key, o.due]).sort(([a], [b]) => (a! < b! ? -1 : 1)));
}

/**
 * What every reader must show as of `asOf`: CAM-BEFORE under the real (retired) Camden rules, which are not what the
 * bumped rules give it; CAM-AFTER under the bumped rules.
 */
function expectPinnedRules(
  seen: { before: Record<string, string>; after: Record<string, string> },
  asOf: IsoDate,
): void {
  expect(seen.before).toEqual(duesUnder(camden, BEFORE, asOf));
  expect(seen.before).not.toEqual(duesUnder(BUMPED_CAMDEN, BEFORE, asOf));
  expect(seen.after).toEqual(duesUnder(BUMPED_CAMDEN, AFTER, asOf));
}

/** The code the deployment runs: loaded afresh with the bumped registry in place of domain/policies/index.ts. */
interface Deployed {
  policies: typeof import('../support/bumped-policies');
  http: typeof import('../../http/app');
  planData: typeof import('../../services/plan-data');
  apiTokens: typeof import('../../services/api-tokens');
  workbook: typeof import('../../reports/workbook');
  env: typeof import('../../platform/env');
}

/**
 * Modules the deployed code shares with the code already loaded, rather than loading copies: none of them reads a
 * policy, and copies do not work in one process. Prisma's generated client runs its query compiler in WebAssembly,
 * which breaks when loaded twice (and raw SQL fragments, `Prisma.sql`, must come from the client that runs them);
 * exceljs's streams (readable-stream 2, through archiver) fail when loaded in jest's isolated module registry.
 */
const SHARED = ['../../platform/database', '../../prisma/generated/client', 'exceljs'].map((p) => require.resolve(p));

async function deployBumpedRegistry(): Promise<Deployed> {
  const shared = SHARED.map((file) => [file, jest.requireActual<object>(file)] as const);
  let deployed: Deployed | undefined;
  await jest.isolateModulesAsync(async () => {
    jest.doMock(REAL_REGISTRY, () => jest.requireActual(BUMPED_REGISTRY));
    for (const [file, module] of shared) jest.doMock(file, () => module);
    deployed = {
      // What every deployed module now gets when it imports domain/policies.
      policies: (await import('../../domain/policies')) as unknown as typeof import('../support/bumped-policies'),
      http: await import('../../http/app'),
      planData: await import('../../services/plan-data'),
      apiTokens: await import('../../services/api-tokens'),
      workbook: await import('../../reports/workbook'),
      env: await import('../../platform/env'),
    };
  });
  return deployed!;
}

let db: TestDatabase;
let deployed: Deployed;
let app: FastifyInstance;
let token: string;

beforeAll(async () => {
  db = await createTestDatabase('policy_version_bump');
  await seedPartnership(db.prisma, 'camden');

  // 1. Before the deploy: registered and recorded by the code with the real registry, each event on its day.
  await createPlan(db.prisma, newPlan(BEFORE.id, BEFORE.startedOn, 'camden'), BEFORE.startedOn);
  for (const event of BEFORE_DEPLOY_EVENTS) await recordEvents(db.prisma, BEFORE.id, [event], event.on);

  // 2. The deploy, then a plan registered under it and one more event for the earlier plan through the API.
  deployed = await deployBumpedRegistry();
  await deployed.planData.createPlan(
    db.prisma,
    { ...newPlan(AFTER.id, AFTER.startedOn, 'camden'), child: { localChildId: 'LCID-0002' } },
    DEPLOYED_ON,
  );
  await deployed.planData.recordEvents(db.prisma, AFTER.id, AFTER.events, AFTER.events[0]!.on);

  const config = deployed.env.loadConfig({ COREWATCH_ENV: 'test' });
  app = deployed.http.buildHttpApp({
    prisma: db.prisma,
    config,
    today: () => TODAY,
    relay: async () => undefined,
    startPlan: async () => undefined,
  });
  await app.ready();
  token = (
    await deployed.apiTokens.issueApiToken(db.prisma, {
      name: 'case-system',
      partnershipId: 'testshire',
      scopes: ['plans:read', 'events:write'],
    })
  ).token;
  const posted = await app.inject({
    method: 'POST',
    url: `/api/v1/plans/${BEFORE.id}/events`,
    headers: { authorization: `Bearer ${token}` },
    payload: EVENT_AFTER_DEPLOY,
  });
  expect(posted.statusCode).toBe(202);
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

describe('the deploy', () => {
  it('makes the bumped Camden rules current and keeps the real ones as retired', () => {
    expect(deployed.policies.rulesVersionOf(deployed.policies.getPolicy('camden'))).toBe(BUMPED_CAMDEN_RULES);
    expect(deployed.policies.pinnedPolicy('camden', RETIRED_CAMDEN_RULES)).toEqual(camden);
    expect(RETIRED_CAMDEN_RULES).toBe(`camden@${camden.version}`);
  });

  it('moves the first and second core groups of the earlier plan', () => {
    const before = duesUnder(camden, BEFORE, TODAY);
    const bumped = duesUnder(BUMPED_CAMDEN, BEFORE, TODAY);
    const moved = Object.keys(before).filter((key) => before[key] !== bumped[key]);
    expect(Object.fromEntries(moved.map((key) => [key, { before: before[key], bumped: bumped[key] }]))).toEqual({
      'first-core-group': { before: '2026-10-19', bumped: '2026-10-12' }, // 10 or 5 working days from 5 October
      'core-group#2': { before: '2026-11-25', bumped: '2026-11-11' }, // 6 or 4 weeks from the first, held 14 October
    });
  });

  it('records the old rules version on the plan registered before it, and the new one on the plan registered after', async () => {
    const plans = await db.prisma.plan.findMany({ select: { id: true, rulesVersion: true }, orderBy: { id: 'asc' } });
    expect(plans).toEqual([
      { id: AFTER.id, rulesVersion: BUMPED_CAMDEN_RULES },
      { id: BEFORE.id, rulesVersion: RETIRED_CAMDEN_RULES },
    ]);
  });
});

describe('every reader evaluates each plan with the rules it was registered under', () => {
  async function storedObligations(): Promise<{
    before: Record<string, string>;
    after: Record<string, string>;
    versions: Record<string, string[]>;
  }> {
    const rows = await db.prisma.obligation.findMany({
      select: { planId: true, key: true, due: true, rulesVersion: true },
    });
    const of = (planId: string) =>
      rows.filter((r) => r.planId === planId).map((r) => ({ key: r.key, due: r.due.toISOString().slice(0, 10) }));
    const versions = (planId: string) => [
      ...new Set(rows.filter((r) => r.planId === planId).map((r) => r.rulesVersion)),
    ];
    return {
      before: dues(of(BEFORE.id)),
      after: dues(of(AFTER.id)),
      versions: { before: versions(BEFORE.id), after: versions(AFTER.id) },
    };
  }

  it('the read model: refreshed by the event posted through the API, and after a rebuild', async () => {
    // The API's event refreshed CAM-BEFORE's stored obligations in its transaction (the expected dates count it: the
    // visit of 27 November meets child-seen#5 and opens child-seen#6).
    const refreshed = await storedObligations();
    expectPinnedRules(refreshed, TODAY);
    expect(refreshed.versions).toEqual({ before: [RETIRED_CAMDEN_RULES], after: [BUMPED_CAMDEN_RULES] });

    const rebuilt = await deployed.planData.rebuildReadModel(db.prisma, { partnershipId: 'testshire', today: TODAY });
    expect(rebuilt).toMatchObject({ plans: 2, unevaluable: [] });
    const afterRebuild = await storedObligations();
    expectPinnedRules(afterRebuild, TODAY);
    expect(afterRebuild.versions).toEqual({ before: [RETIRED_CAMDEN_RULES], after: [BUMPED_CAMDEN_RULES] });
  });

  it('the API timeline: today (the read model) and an earlier day (the engine)', async () => {
    const timeline = async (planId: string, asOf?: IsoDate) => {
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/plans/${planId}${asOf ? `?asOf=${asOf}` : ''}`,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.statusCode).toBe(200);
      return res.json<{ rulesVersion: string; obligations: Array<{ key: string; due: string }> }>();
    };
    const [before, after] = [await timeline(BEFORE.id), await timeline(AFTER.id)];
    expect([before.rulesVersion, after.rulesVersion]).toEqual([RETIRED_CAMDEN_RULES, BUMPED_CAMDEN_RULES]);
    expectPinnedRules({ before: dues(before.obligations), after: dues(after.obligations) }, TODAY);

    // Before today the timeline is recomputed from the events known that day, with the plan's pinned rules.
    const earlier = '2026-11-27';
    expectPinnedRules(
      {
        before: dues((await timeline(BEFORE.id, earlier)).obligations),
        after: dues((await timeline(AFTER.id, earlier)).obligations),
      },
      earlier,
    );
  });

  it("the dashboard's plan page, signed in as the plans' social worker", async () => {
    const config = deployed.env.loadConfig({ COREWATCH_ENV: 'test' });
    const session = await signedInCookie(db.prisma, config, {
      personId: PEOPLE.socialWorker.id,
      partnershipId: 'testshire',
    });
    const page = async (planId: string) => {
      const res = await app.inject({ method: 'GET', url: `/plans/${planId}`, headers: session });
      expect(res.statusCode).toBe(200);
      return res.body;
    };
    const [before, after] = [await page(BEFORE.id), await page(AFTER.id)];
    expect(before).toContain(`(rules ${RETIRED_CAMDEN_RULES})`);
    expect(after).toContain(`(rules ${BUMPED_CAMDEN_RULES})`);
    expectPinnedRules({ before: duesOnPage(before), after: duesOnPage(after) }, TODAY);
  });

  it('the monthly workbook, read back with openpyxl', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corewatch-bump-'));
    try {
      const file = path.join(dir, 'audit.xlsx');
      const source = { prisma: db.prisma, partnershipId: 'testshire', month: MONTH } as const;
      await deployed.workbook.writeAuditWorkbook(file, {
        partnershipName: 'Testshire Safeguarding Partnership',
        month: MONTH,
        generatedAt: new Date('2026-12-01T07:00:00Z'),
        plans: deployed.planData.reportPlans(source),
        annexAPlans: (asOf) => deployed.planData.annexAPlans({ ...source, asOf })(),
        planCount: await deployed.planData.countReportPlans(source),
      });
      const sheets = readXlsx(file);

      // Core groups: one row per core group due or held in the month, with its due date.
      const coreGroups = rowsOf(sheets, 'Core groups');
      const coreGroupDues = (planId: string) =>
        dues(
          coreGroups
            .filter((r) => r.Reference === planId)
            .map((r) => ({ key: String(r.Obligation), due: day(r['Due date']) })),
        );
      const expectedCoreGroups = (policy: Policy, plan: PlanCase) =>
        dues(coreGroupsInMonth(monthEndObligations(policy, plan)));
      expect(coreGroupDues(BEFORE.id)).toEqual(expectedCoreGroups(camden, BEFORE));
      expect(coreGroupDues(BEFORE.id)).not.toEqual(expectedCoreGroups(BUMPED_CAMDEN, BEFORE));
      expect(coreGroupDues(AFTER.id)).toEqual(expectedCoreGroups(BUMPED_CAMDEN, AFTER));
      expect(Object.keys(coreGroupDues(BEFORE.id))).toEqual(['core-group#2']); // the check is not vacuous
      expect(Object.keys(coreGroupDues(AFTER.id))).toEqual(['first-core-group']);

      // Plans: the rules version, and the next due obligation as of the month end.
      const plans = rowsOf(sheets, 'Plans');
      const planRow = (planId: string) => plans.find((r) => r.Reference === planId)!;
      const nextDue = (policy: Policy, plan: PlanCase) => {
        const next = monthEndObligations(policy, plan).find((o) => o.status === 'pending' || o.status === 'overdue')!;
        return {
          'Rules version': `${policy.id}@${policy.version}`,
          'Next due obligation': next.key,
          'Next due date': next.due,
        };
      };
      const shown = (planId: string) => {
        const row = planRow(planId);
        return {
          'Rules version': row['Rules version'],
          'Next due obligation': row['Next due obligation'],
          'Next due date': day(row['Next due date']),
        };
      };
      expect(shown(BEFORE.id)).toEqual(nextDue(camden, BEFORE));
      expect(shown(BEFORE.id)['Next due date']).not.toBe(nextDue(BUMPED_CAMDEN, BEFORE)['Next due date']);
      expect(shown(AFTER.id)).toEqual(nextDue(BUMPED_CAMDEN, AFTER));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  // The workflow code is the bundle's, built here with the bumped registry. The worker and its activities are the
  // code loaded before the deploy (the one copy of the Temporal SDK, which owns the test server's connection); the
  // activities read no policy: loadPlan hands the workflow the plan's stored rules version and events.
  describe('the workflow, on a worker whose bundle has the bumped registry', () => {
    let bundle: TestWorkflowBundle;
    let env: TestWorkflowEnvironment;
    let smtp: SmtpCatcher;
    const taskQueue = 'policy-bump';

    beforeAll(async () => {
      bundle = await bundleWorkflowsWith({ [REAL_REGISTRY]: BUMPED_REGISTRY });
      smtp = new SmtpCatcher();
      await smtp.start();
      env = await startTimeSkippingEnv();
    });
    afterAll(async () => {
      await env?.teardown();
      await smtp?.stop();
      bundle?.remove();
    });

    it('keeps each plan to its own rules version', async () => {
      const worker = await testWorker({
        connection: env.nativeConnection,
        taskQueue,
        prisma: db.prisma,
        smtpPort: smtp.port,
        workflowBundlePath: bundle.path,
      });
      await worker.runUntil(async () => {
        const status = async (planId: string): Promise<PlanStatus> => {
          await env.client.workflow.start(planWorkflow, {
            workflowId: planWorkflowId(planId),
            taskQueue,
            args: [
              {
                planId,
                settings: { reminderWorkingDays: 2, secondLevelWorkingDays: 5, secondLevelRole: 'head-of-service' },
              },
            ],
          });
          // A fresh run loads the plan (its rules version and every stored event) from the database.
          return eventually(async () => {
            const s = await env.client.workflow.getHandle(planWorkflowId(planId)).query(planStatusQuery);
            expect(s.eventCount).toBe((planId === BEFORE.id ? BEFORE : AFTER).events.length);
            return s;
          });
        };
        const [before, after] = [await status(BEFORE.id), await status(AFTER.id)];
        // Workflow time is the test server's clock (now), so compare as of the day the workflow evaluated.
        expect(after.asOf).toBe(before.asOf);
        expectPinnedRules({ before: dues(before.obligations), after: dues(after.obligations) }, before.asOf);
        const versions = (s: PlanStatus) => [...new Set(s.obligations.map((o) => o.rulesVersion))];
        expect({ before: versions(before), after: versions(after) }).toEqual({
          before: [RETIRED_CAMDEN_RULES],
          after: [BUMPED_CAMDEN_RULES],
        });
      });
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Reading the plan page and the workbook.

/** Obligation key -> due date from the plan page's obligations table (`<th scope="row">key</th><td>due</td>`). */
function duesOnPage(body: string): Record<string, string> {
  const rows = [
    ...body.matchAll(
      /<th scope="row" class="govuk-table__header">([^<]+)<\/th>\s*<td class="govuk-table__cell">(\d{4}-\d{2}-\d{2})<\/td>/g,
    ),
  ];
  expect(rows.length).toBeGreaterThan(0);
  return dues(rows.map(([, key, due]) => ({ key: key!, due: due! })));
}

/** The engine's obligations as the workbook evaluates them: as of the month end. */
function monthEndObligations(policy: Policy, plan: PlanCase): Obligation[] {
  return evaluatePlan(
    { policy, plan: { type: 'child-protection', startedOn: plan.startedOn }, events: plan.events },
    MONTH_END,
  );
}

/** The core groups the Core groups sheet lists: due, or held, in the month. */
function coreGroupsInMonth(obligations: Obligation[]): Obligation[] {
  const inMonth = (date: string | undefined) => date !== undefined && date.startsWith(`${MONTH}-`);
  return obligations.filter(
    (o) => (o.kind === 'first-core-group' || o.kind === 'core-group') && (inMonth(o.due) || inMonth(o.metOn)),
  );
}

const READER = path.resolve(__dirname, '..', 'support', 'read-xlsx.py');

interface ReadSheet {
  name: string;
  cells: Array<{ row: number; column: number; value: string | number | boolean | null }>;
}

function readXlsx(file: string): ReadSheet[] {
  return (
    JSON.parse(execFileSync('python3', [READER, file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as {
      sheets: ReadSheet[];
    }
  ).sheets;
}

/** A row sheet's data rows as header -> value (the header is row 3, under the title and the generation time). */
function rowsOf(sheets: ReadSheet[], name: string): Array<Record<string, string | number | boolean | null>> {
  const sheet = sheets.find((s) => s.name === name);
  if (!sheet) throw new Error(`no sheet ${name}`);
  const HEADER_ROW = 3;
  const headers = new Map(sheet.cells.filter((c) => c.row === HEADER_ROW).map((c) => [c.column, String(c.value)]));
  const rows = new Map<number, Record<string, string | number | boolean | null>>();
  for (const c of sheet.cells.filter((c) => c.row > HEADER_ROW)) {
    const row = rows.get(c.row) ?? {};
    row[headers.get(c.column)!] = c.value;
    rows.set(c.row, row);
  }
  return [...rows.values()];
}

/** A date cell as openpyxl gives it (`2026-11-25T00:00:00`) as an ISO day. */
function day(value: string | number | boolean | null | undefined): string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T00:00:00$/.test(value)) {
    throw new Error(`not a date cell: ${String(value)}`);
  }
  return value.slice(0, 10);
}
