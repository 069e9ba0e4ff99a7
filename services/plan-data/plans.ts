/**
 * Plans: registering one (atomically, with its child, its people and its read model) and reading one (its timeline:
 * events, obligations with their citations and status, notifications sent). The API, the dashboard, the CLI, the
 * demo and the workflow's activities all come here; none of them touches the plan tables.
 */
import { ANNEX_A_LISTS, annexAKey, annexAProblem, type AnnexAList } from '../../domain/annex-a';
import { judgeMeeting, meetingsHeld, meetingVerdictText, type MeetingJudgement } from '../../domain/attendance';
import { compareDates } from '../../domain/calendar';
import { peopleChanges, type PeopleChange } from '../../domain/people';
import { rolesTheLadderNeeds } from '../../domain/notifications';
import { byDueThenKey, evaluatePlan, obligationStatus } from '../../domain/obligations';
import { getPolicy, pinnedPolicy, rulesVersionOf } from '../../domain/policies';
import { Refusal } from '../../domain/refusal';
import type {
  Citation,
  IdentifiedEvent,
  IsoDate,
  Obligation,
  ObligationKind,
  PlanFacts,
  PlanType,
  PolicyId,
} from '../../domain/types';
import { Prisma } from '../../prisma/generated/client';
import { hotRead, type PrismaClient, type Transaction } from '../../platform/database';
import { planWorkflowId } from '../../workflows/contracts';
import { refreshReadModel } from './read-model';
import { dateColumn, domainEvent, isoDay, isoDayOrUndefined, peopleKey, recipientRoles } from './rows';

/**
 * The child a new plan is about: an existing child row, or one found (or created) by its local id. Gender, ethnicity
 * and disability are Ofsted ILACS Annex A's: a key or the template's code (domain/annex-a.ts), stored as the key.
 */
export type NewPlanChild =
  | { id: string }
  | {
      localChildId: string;
      name?: string;
      dateOfBirth?: IsoDate;
      gender?: string;
      ethnicity?: string;
      disability?: string;
    };

export interface NewPlan extends PlanFacts {
  /** The plan reference. */
  id: string;
  partnershipId: string;
  teamId: string;
  child: NewPlanChild;
  policyId: PolicyId;
  roles: Array<{ personId: string; role: string; agency?: string }>;
  /**
   * Ofsted ILACS Annex A List 7 fields decided at the initial conference: the category (a key or the template's
   * code), whether the child was subject to an emergency protection order or police protection in the six months
   * before (true/false or yes/no/unknown, as a key or code) and the number of previous child protection plans.
   */
  annexA?: {
    initialCategory?: string;
    emergencyProtectionLast6Months?: boolean | string;
    previousPlans?: number;
  };
}

/** A new plan's Annex A values as stored: keys, or null where intake gave none. */
interface AnnexAStored {
  child: { gender: string | null; ethnicity: string | null; disability: string | null };
  initialCategory: string | null;
  emergencyProtectionLast6Months: string | null;
  previousPlans: number | null;
}

/** The key of an Annex A value given at intake, refusing (naming the field) one that is not on the list. */
function keyOf<K extends string>(list: AnnexAList<K>, field: string, value: string | undefined): K | null {
  if (value === undefined) return null;
  const key = annexAKey(list, value);
  if (key === undefined) throw new Refusal('invalid', field, annexAProblem(list, value) ?? 'is not on the list');
  return key;
}

function annexAStored(plan: NewPlan): AnnexAStored {
  const child: { gender?: string; ethnicity?: string; disability?: string } = 'id' in plan.child ? {} : plan.child;
  const epo = plan.annexA?.emergencyProtectionLast6Months;
  return {
    child: {
      gender: keyOf(ANNEX_A_LISTS.gender, 'child.gender', child.gender),
      ethnicity: keyOf(ANNEX_A_LISTS.ethnicity, 'child.ethnicity', child.ethnicity),
      disability: keyOf(ANNEX_A_LISTS.yesNo, 'child.disability', child.disability),
    },
    initialCategory: keyOf(ANNEX_A_LISTS.category, 'annexA.initialCategory', plan.annexA?.initialCategory),
    emergencyProtectionLast6Months:
      typeof epo === 'boolean'
        ? epo
          ? 'yes'
          : 'no'
        : keyOf(ANNEX_A_LISTS.yesNo, 'annexA.emergencyProtectionLast6Months', epo),
    previousPlans: plan.annexA?.previousPlans ?? null,
  };
}

export type CreateOutcome = 'created' | 'existing';

/**
 * Registers a plan under the current rules of its policy, in one transaction with its child, its roles and its read
 * model: a refusal or a failure leaves no row behind. Idempotent on the reference: the same plan again is 'existing';
 * the same reference with other details (or in another partnership) is a conflict. The team and every person must
 * belong to the plan's partnership; a plan the engine could not evaluate is refused.
 */
export async function createPlan(db: PrismaClient, plan: NewPlan, today: IsoDate): Promise<CreateOutcome> {
  refuseImpossiblePlan(plan, today);
  const annexA = annexAStored(plan);
  return db.$transaction(async (tx) => {
    const existing = await tx.plan.findUnique({ where: { id: plan.id }, include: { child: true, roles: true } });
    if (existing) {
      if (existing.partnershipId === plan.partnershipId && sameAsStored(existing, plan, annexA)) return 'existing';
      // Another partnership's reference is a conflict too, but say nothing more about it.
      throw new Refusal('conflict', 'reference', `plan ${plan.id} already exists with different details`);
    }
    const team = await tx.team.findFirst({
      where: { id: plan.teamId, partnershipId: plan.partnershipId },
      select: { id: true },
    });
    if (!team) throw new Refusal('contradiction', 'teamId', `team ${plan.teamId} is not a team of this partnership`);
    const people = await tx.person.findMany({
      where: { partnershipId: plan.partnershipId, id: { in: plan.roles.map((r) => r.personId) } },
      select: { id: true },
    });
    const known = new Set(people.map((p) => p.id));
    const unknown = plan.roles.findIndex((r) => !known.has(r.personId));
    if (unknown >= 0) {
      throw new Refusal(
        'contradiction',
        `people[${unknown}].personId`,
        `person ${plan.roles[unknown]!.personId} is not known in this partnership`,
      );
    }
    const childId = await childFor(tx, plan.partnershipId, plan.child, annexA.child);
    await tx.plan.create({
      data: {
        id: plan.id,
        partnershipId: plan.partnershipId,
        teamId: plan.teamId,
        childId,
        policyId: plan.policyId,
        rulesVersion: rulesVersionOf(getPolicy(plan.policyId)),
        type: plan.type,
        startedOn: dateColumn(plan.startedOn),
        workflowId: planWorkflowId(plan.id),
        initialCategory: annexA.initialCategory,
        latestCategory: annexA.initialCategory,
        emergencyProtectionLast6Months: annexA.emergencyProtectionLast6Months,
        previousPlans: annexA.previousPlans,
        registeredTeamId: plan.teamId,
        registeredRoles: plan.roles.map((r) => ({
          personId: r.personId,
          role: r.role,
          ...(r.agency === undefined ? {} : { agency: r.agency }),
        })),
        roles: { create: plan.roles.map((r) => ({ personId: r.personId, role: r.role, agency: r.agency ?? null })) },
      },
    });
    try {
      await refreshReadModel(tx, plan.id, today, 'refuse');
    } catch (error) {
      // The engine names its own input (`plan.type`); the caller named these fields without the prefix.
      if (error instanceof Refusal && error.field.startsWith('plan.'))
        throw new Refusal(error.code, error.field.slice(5), error.reason);
      throw error;
    }
    return 'created';
  });
}

/**
 * What no plan can be, whatever is stored: one starting after today (a conference cannot have decided it yet), a
 * child born after today, or one whose reminders and escalations could reach no one (domain/notifications.ts).
 */
function refuseImpossiblePlan(plan: NewPlan, today: IsoDate): void {
  if (compareDates(plan.startedOn, today) > 0)
    throw new Refusal(
      'contradiction',
      'startedOn',
      `${plan.startedOn} is after today (${today}): a plan starts at the conference that decided it`,
    );
  const born = 'dateOfBirth' in plan.child ? plan.child.dateOfBirth : undefined;
  if (born !== undefined && compareDates(born, today) > 0)
    throw new Refusal('contradiction', 'child.dateOfBirth', `${born} is after today (${today})`);
  const held = new Set(plan.roles.map((r) => r.role));
  const missing = rolesTheLadderNeeds(getPolicy(plan.policyId), plan.type).filter((role) => !held.has(role));
  if (missing.length > 0)
    throw new Refusal(
      'contradiction',
      'people',
      `a ${plan.type} plan needs someone in the role(s) ${missing.join(', ')}: its reminders and escalations go to them`,
    );
}

/**
 * The child's row: an existing one by id, or one found or created by its local id. An existing child's Annex A
 * characteristics and date of birth are updated with those this plan gives (the latest record of the child wins);
 * what it does not give is left as stored.
 */
async function childFor(
  tx: Transaction,
  partnershipId: string,
  child: NewPlanChild,
  coded: AnnexAStored['child'],
): Promise<string> {
  if ('id' in child) {
    const row = await tx.child.findFirst({ where: { id: child.id, partnershipId }, select: { id: true } });
    if (!row) throw new Refusal('contradiction', 'child', `child ${child.id} is not a child of this partnership`);
    return row.id;
  }
  const given = {
    ...(child.dateOfBirth ? { dateOfBirth: dateColumn(child.dateOfBirth) } : {}),
    ...(coded.gender !== null ? { gender: coded.gender } : {}),
    ...(coded.ethnicity !== null ? { ethnicity: coded.ethnicity } : {}),
    ...(coded.disability !== null ? { disability: coded.disability } : {}),
  };
  const row = await tx.child.upsert({
    where: { partnershipId_localChildId: { partnershipId, localChildId: child.localChildId } },
    create: { partnershipId, localChildId: child.localChildId, name: child.name ?? '', ...given },
    update: given,
    select: { id: true },
  });
  return row.id;
}

/** Whether a stored plan says the same as a create request (a retried create), so it can answer 'existing'. */
function sameAsStored(
  stored: {
    teamId: string;
    registeredTeamId: string | null;
    registeredRoles: unknown;
    childId: string;
    child: { localChildId: string };
    policyId: string;
    type: string;
    startedOn: Date;
    roles: Array<{ personId: string; role: string; agency: string | null }>;
    initialCategory: string | null;
    emergencyProtectionLast6Months: string | null;
    previousPlans: number | null;
  },
  plan: NewPlan,
  annexA: AnnexAStored,
): boolean {
  // Compared with what it was registered with: its people and team may have changed since (domain/people.ts).
  const registeredRoles = (stored.registeredRoles as typeof stored.roles | null) ?? stored.roles;
  const sameChild =
    'id' in plan.child ? stored.childId === plan.child.id : stored.child.localChildId === plan.child.localChildId;
  return (
    (stored.registeredTeamId ?? stored.teamId) === plan.teamId &&
    sameChild &&
    stored.policyId === plan.policyId &&
    stored.type === plan.type &&
    isoDay(stored.startedOn) === plan.startedOn &&
    peopleKey(registeredRoles) === peopleKey(plan.roles) &&
    stored.initialCategory === annexA.initialCategory &&
    stored.emergencyProtectionLast6Months === annexA.emergencyProtectionLast6Months &&
    stored.previousPlans === annexA.previousPlans
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Reading one plan.

/** An obligation as a reader sees it: the stored fields, the citation and the status as of the reading day. */
export type ObligationView = Obligation;

export interface PlanTimeline {
  reference: string;
  partnershipId: string;
  teamId: string;
  teamName: string;
  /** The plan's social workers (who may read it as their caseload). */
  socialWorkerIds: string[];
  policy: string;
  rulesVersion: string;
  type: string;
  startedOn: IsoDate;
  endedOn: IsoDate | null;
  /** Why the engine cannot evaluate the plan, if it cannot (then it has no obligations). */
  evaluationError: string | null;
  asOf: IsoDate;
  events: IdentifiedEvent[];
  /**
   * Each meeting held (one a day) and whether it could go ahead under the plan's quorum (issue 10): a meeting that
   * was not quorate met no deadline. Empty when the plan cannot be evaluated.
   */
  meetings: Array<{ on: IsoDate; verdict: MeetingJudgement['verdict']; text: string; rule?: Citation }>;
  /** Who holds each role on the plan today, by name. */
  people: Array<{ personId: string; name: string; role: string; agency: string | null }>;
  /** Every change of people or team recorded, in date order. */
  peopleChanges: PeopleChange[];
  obligations: ObligationView[];
  notifications: Array<{ level: string; subject: string; sentAt: string | null; roles: string[] }>;
}

/**
 * One plan of a partnership (undefined: no such plan there), as of `asOf`. From the read model when `asOf` is today
 * or later (statuses derived as of `asOf`); for an earlier day, the engine over the events known that day under the
 * plan's pinned rules (what the plan looked like then: later events were not yet known).
 */
export async function planTimeline(
  db: PrismaClient,
  where: { planId: string; partnershipId: string },
  asOf: IsoDate,
  today: IsoDate,
): Promise<PlanTimeline | undefined> {
  // A plan page is the hottest read: one round trip, the plan's events, obligations (with their citations) and sent
  // notifications gathered by the database beside the plan row (each by its own index on the plan id).
  const [plan] = await hotRead<
    Array<{
      id: string;
      partnershipId: string;
      teamId: string;
      teamName: string;
      socialWorkerIds: string[];
      policyId: string;
      rulesVersion: string;
      type: string;
      startedOn: Date;
      endedOn: Date | null;
      evaluationError: string | null;
      events: Array<{ id: string; type: string; on: IsoDate; payload: unknown }>;
      obligations: Array<
        Omit<StoredObligationRow, 'rule' | 'due' | 'metOn' | 'fromDate'> &
          StoredObligationRow['rule'] & { due: IsoDate; metOn: IsoDate | null; fromDate: IsoDate }
      >;
      notifications: Array<{ level: string; subject: string; sentAt: string | null; recipients: unknown }>;
      people: Array<{ personId: string; name: string; role: string; agency: string | null }>;
    }>
  >(
    db,
    Prisma.sql`
    SELECT p.id, p."partnershipId", p."teamId", t.name AS "teamName", p."policyId", p."rulesVersion", p.type, p."startedOn",
      p."endedOn", p."evaluationError",
      ARRAY(SELECT r."personId" FROM "PlanRole" r WHERE r."planId" = p.id AND r.role = 'social-worker' ORDER BY r."personId") AS "socialWorkerIds",
      COALESCE((SELECT json_agg(json_build_object('id', e.id, 'type', e.type, 'on', e."on", 'payload', e.payload) ORDER BY e."on", e."recordedAt")
        FROM "PlanEvent" e WHERE e."planId" = p.id), '[]') AS events,
      COALESCE((SELECT json_agg(json_build_object('key', o.key, 'kind', o.kind, 'due', o.due, 'metOn', o."metOn", 'fromDate', o."fromDate",
          'rulesVersion', o."rulesVersion", 'ruleId', c."ruleId", 'source', c.source, 'section', c.section, 'quote', c.quote, 'note', c.note, 'basis', c.basis))
        FROM "Obligation" o JOIN "RuleCitation" c ON c."rulesVersion" = o."rulesVersion" AND c."ruleId" = o."ruleId"
        WHERE o."planId" = p.id), '[]') AS obligations,
      COALESCE((SELECT json_agg(json_build_object('level', n.level, 'subject', n.subject, 'sentAt', n."sentAt", 'recipients', n.recipients) ORDER BY n."sentAt")
        FROM "Notification" n WHERE n."planId" = p.id AND n.status = 'sent'), '[]') AS notifications,
      COALESCE((SELECT json_agg(json_build_object('personId', r."personId", 'name', pe.name, 'role', r.role, 'agency', r.agency) ORDER BY r.role, pe.name)
        FROM "PlanRole" r JOIN "Person" pe ON pe.id = r."personId" WHERE r."planId" = p.id), '[]') AS people
    FROM "Plan" p JOIN "Team" t ON t.id = p."teamId"
    WHERE p.id = ${where.planId} AND p."partnershipId" = ${where.partnershipId}`,
  );
  if (!plan) return undefined;
  // json_build_object gives dates as their text: the same values as dateColumn gives for a column.
  const events = plan.events.map((e) => domainEvent({ ...e, on: dateColumn(e.on) }));
  const obligationRows = plan.obligations.map((o) => ({
    ...o,
    due: dateColumn(o.due),
    metOn: o.metOn === null ? null : dateColumn(o.metOn),
    fromDate: dateColumn(o.fromDate),
  }));
  const notificationRows = plan.notifications.map((n) => ({
    ...n,
    sentAt: n.sentAt === null ? null : new Date(n.sentAt),
  }));
  let obligations: Obligation[];
  if (compareDates(asOf, today) >= 0 || plan.evaluationError !== null) {
    obligations = obligationRows
      .map(({ ruleId, source, section, quote, note, basis, ...row }) =>
        storedObligation({ ...row, rule: { ruleId, source, section, quote, note, basis } }, asOf),
      )
      .sort(byDueThenKey);
  } else {
    const policy = pinnedPolicy(plan.policyId, plan.rulesVersion);
    obligations = evaluatePlan(
      { policy, plan: { type: plan.type as PlanType, startedOn: isoDay(plan.startedOn) }, events },
      asOf,
    );
  }
  return {
    reference: plan.id,
    partnershipId: plan.partnershipId,
    teamId: plan.teamId,
    teamName: plan.teamName,
    socialWorkerIds: plan.socialWorkerIds,
    policy: plan.policyId,
    rulesVersion: plan.rulesVersion,
    type: plan.type,
    startedOn: isoDay(plan.startedOn),
    endedOn: isoDayOrUndefined(plan.endedOn) ?? null,
    evaluationError: plan.evaluationError,
    asOf,
    events,
    meetings: meetingVerdicts(plan, events),
    people: plan.people,
    peopleChanges: peopleChanges(events),
    obligations,
    notifications: notificationRows.map((n) => ({
      level: n.level,
      subject: n.subject,
      sentAt: n.sentAt ? n.sentAt.toISOString() : null,
      roles: recipientRoles(n.recipients),
    })),
  };
}

interface StoredObligationRow {
  key: string;
  kind: string;
  due: Date;
  metOn: Date | null;
  fromDate: Date;
  rulesVersion: string;
  rule: { ruleId: string; source: string; section: string; quote: string; note: string | null; basis: string };
}

/** Each meeting held, judged under the plan's pinned rules (none when those rules cannot be found). */
function meetingVerdicts(
  plan: { policyId: string; rulesVersion: string; type: string; evaluationError: string | null },
  events: readonly IdentifiedEvent[],
): PlanTimeline['meetings'] {
  if (plan.evaluationError !== null) return [];
  const policy = pinnedPolicy(plan.policyId, plan.rulesVersion);
  return meetingsHeld(events).map((meeting) => {
    const judgement = judgeMeeting(policy, plan.type as PlanType, meeting.attendance);
    return {
      on: meeting.on,
      verdict: judgement.verdict,
      text: meetingVerdictText(judgement),
      ...('rule' in judgement ? { rule: judgement.rule } : {}),
    };
  });
}

function storedObligation(row: StoredObligationRow, asOf: IsoDate): Obligation {
  const due = isoDay(row.due);
  const metOn = isoDayOrUndefined(row.metOn);
  const rule: Citation = {
    id: row.rule.ruleId,
    source: row.rule.source,
    section: row.rule.section,
    quote: row.rule.quote,
    basis: row.rule.basis === 'default' ? 'default' : 'stated',
  };
  if (row.rule.note !== null) rule.note = row.rule.note;
  const obligation: Obligation = {
    key: row.key,
    kind: row.kind as ObligationKind,
    due,
    status: obligationStatus(due, metOn, asOf),
    from: isoDay(row.fromDate),
    rule,
    rulesVersion: row.rulesVersion,
  };
  if (metOn !== undefined) obligation.metOn = metOn;
  return obligation;
}

/** Whether the plan belongs to the partnership (another partnership's plan is never revealed: not found). */
export async function planInPartnership(db: PrismaClient, planId: string, partnershipId: string): Promise<boolean> {
  return (await db.plan.count({ where: { id: planId, partnershipId } })) > 0;
}

/** The people who are the social worker of at least one plan of the partnership, by name (the lists' filter). */
export async function socialWorkersOf(
  db: PrismaClient,
  partnershipId: string,
): Promise<Array<{ id: string; name: string }>> {
  return db.person.findMany({
    // A person's plan roles are all in their own partnership (createPlan checks it).
    where: { partnershipId, roles: { some: { role: 'social-worker' } } },
    select: { id: true, name: true },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
  });
}
