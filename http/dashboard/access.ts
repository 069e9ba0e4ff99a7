/**
 * A signed-in person's rights, read from the database on every request (the session cookie names the person only):
 * partnership roles from PartnershipMember, team manager by TeamMember, social worker by holding a plan's
 * 'social-worker' role. What the roles grant is domain/access.ts; here only the lookup and the Prisma filter that
 * confines plan queries to what a person may see, so a page can never fetch a plan it would then have to hide.
 */
import type { PrismaClient } from '../../platform/database';
import { PARTNERSHIP_ROLES, planVisibility, type RecordScope, type UserRole, type Visibility } from '../../domain/access';
import type { Identity } from './session';

export interface Access extends RecordScope {
  identity: Identity;
  partnershipId: string;
  roles: ReadonlySet<UserRole>;
}

/** The person's current rights, or undefined when they are no longer an active person of that partnership. */
export async function loadAccess(prisma: PrismaClient, identity: Identity): Promise<Access | undefined> {
  const person = await prisma.person.findFirst({
    where: { id: identity.personId, partnershipId: identity.partnershipId, active: true },
    select: {
      id: true,
      memberships: { where: { partnershipId: identity.partnershipId }, select: { role: true } },
      teams: { where: { role: 'team-manager', team: { partnershipId: identity.partnershipId } }, select: { teamId: true } },
    },
  });
  if (!person) return undefined;
  const roles = new Set<UserRole>();
  for (const m of person.memberships) {
    if ((PARTNERSHIP_ROLES as readonly string[]).includes(m.role)) roles.add(m.role as UserRole);
  }
  if (person.teams.length > 0) roles.add('team-manager');
  const caseload = await prisma.planRole.findFirst({ where: { personId: person.id, role: 'social-worker', plan: { partnershipId: identity.partnershipId } }, select: { id: true } });
  if (caseload) roles.add('social-worker');
  return { identity, partnershipId: identity.partnershipId, personId: person.id, managedTeamIds: person.teams.map((t) => t.teamId), roles };
}

/** Plans of the person's own records: the teams they manage and their caseload (a Prisma `where`). */
function ownRecordsWhere(access: Access) {
  return {
    partnershipId: access.partnershipId,
    OR: [{ teamId: { in: [...access.managedTeamIds] } }, { roles: { some: { personId: access.personId, role: 'social-worker' } } }],
  };
}

/** Plans that may appear in the person's lists at all (identified or pseudonymised). */
export function listableWhere(access: Access) {
  return access.roles.has('analyst') ? { partnershipId: access.partnershipId } : ownRecordsWhere(access);
}

/** The select that `visibilityOf` needs from a plan row. */
export const PLACEMENT_SELECT = { teamId: true, roles: { where: { role: 'social-worker' }, select: { personId: true } } } as const;

export function visibilityOf(access: Access, plan: { teamId: string; roles: Array<{ personId: string }> }): Visibility {
  return planVisibility(access.roles, access, { teamId: plan.teamId, socialWorkerIds: plan.roles.map((r) => r.personId) });
}
