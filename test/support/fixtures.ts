/**
 * A partnership with the people an escalation needs (social worker, team manager, conference chair, head of service),
 * and helpers to put plans in front of a running worker. Names are obviously fictional.
 */
import type { PrismaClient } from '../../platform/database';
import { getPolicy, isPolicyId, rulesVersionOf } from '../../domain/policies';
import type { PolicyId } from '../../domain/types';

export const PEOPLE = {
  socialWorker: { id: 'p-sw', name: 'Sam Worker', email: 'sam.worker@council.test', role: 'social-worker' },
  teamManager: { id: 'p-tm', name: 'Tess Manager', email: 'tess.manager@council.test', role: 'team-manager' },
  chair: { id: 'p-chair', name: 'Chris Chair', email: 'chris.chair@council.test', role: 'conference-chair' },
  headOfService: { id: 'p-hos', name: 'Hana Head', email: 'hana.head@council.test', role: 'head-of-service' },
} as const;

export const CHILD_NAME = 'Zebedee Testchild';

export async function seedPartnership(prisma: PrismaClient, policyId: PolicyId = 'england'): Promise<void> {
  await prisma.partnership.create({ data: { id: 'testshire', name: 'Testshire Safeguarding Partnership', policyId } });
  await prisma.team.create({ data: { id: 'team-a', partnershipId: 'testshire', name: 'Assessment Team A' } });
  await prisma.child.create({
    data: { id: 'child-1', partnershipId: 'testshire', localChildId: 'LCID-0001', name: CHILD_NAME },
  });
  for (const p of Object.values(PEOPLE)) {
    await prisma.person.create({
      data: { id: p.id, partnershipId: 'testshire', name: p.name, email: p.email, agency: 'social-care' },
    });
  }
}

/** Where every test plan lives: the partnership, team and child that seedPartnership creates. */
const WHERE = { partnershipId: 'testshire', teamId: 'team-a' } as const;

export function planRoles(): Array<{ personId: string; role: string }> {
  return Object.values(PEOPLE).map((p) => ({ personId: p.id, role: p.role }));
}

export function newPlan(id: string, startedOn: string, policyId: PolicyId = 'england') {
  return {
    id,
    ...WHERE,
    child: { id: 'child-1' },
    policyId,
    type: 'child-protection' as const,
    startedOn,
    roles: planRoles(),
  };
}

/**
 * A plan row written straight to the database (no workflow started): for tests that drive activities or reports.
 * `policyId` is a plain string so a test can store an unknown policy on purpose.
 */
export function planRow(id: string, startedOn: string, policyId: string = 'england') {
  return {
    id,
    ...WHERE,
    childId: 'child-1',
    policyId,
    // The current rules of a known policy (what createPlan would pin); an unknown policy keeps an unknown version.
    rulesVersion: isPolicyId(policyId) ? rulesVersionOf(getPolicy(policyId)) : `${policyId}@test`,
    type: 'child-protection',
    startedOn: new Date(`${startedOn}T00:00:00.000Z`),
    workflowId: `plan-${id}`,
  };
}
