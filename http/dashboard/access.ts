/**
 * A signed-in person's rights, read from the database on every request (the session cookie names the person only):
 * partnership roles from PartnershipMember, team manager by TeamMember, social worker by holding a plan's
 * 'social-worker' role. What the roles grant is domain/access.ts; here only the lookup and the scope that confines
 * plan queries to what a person may see, so a page can never fetch a plan it would then have to hide.
 */
import type { PrismaClient } from '../../platform/database';
import {
  PARTNERSHIP_ROLES,
  planVisibility,
  type PlanPlacement,
  type RecordScope,
  type UserRole,
  type Visibility,
} from '../../domain/access';
import { personStanding, type PersonStanding, type PlanScope } from '../../services/plan-data';
import type { Identity } from './session';

export interface Access extends RecordScope {
  identity: Identity;
  partnershipId: string;
  roles: ReadonlySet<UserRole>;
}

/**
 * The person's current rights, or undefined when they are no longer an active person of that partnership. `known` is
 * the standing the session store read with the session in this request (null: no longer active); without it, it is
 * read here.
 */
export async function loadAccess(
  prisma: PrismaClient,
  identity: Identity,
  known?: PersonStanding | null,
): Promise<Access | undefined> {
  const standing =
    known === undefined ? await personStanding(prisma, identity.personId, identity.partnershipId) : known;
  if (!standing) return undefined;
  const roles = new Set<UserRole>();
  for (const role of standing.roles) {
    if ((PARTNERSHIP_ROLES as readonly string[]).includes(role)) roles.add(role as UserRole);
  }
  if (standing.managedTeamIds.length > 0) roles.add('team-manager');
  if (standing.caseload) roles.add('social-worker');
  return {
    identity,
    partnershipId: identity.partnershipId,
    personId: identity.personId,
    managedTeamIds: standing.managedTeamIds,
    roles,
  };
}

/**
 * The plans that may appear in the person's lists at all (identified or pseudonymised): an analyst's lists span the
 * partnership (under pseudonyms); everyone else's hold their own records, the teams they manage and their caseload.
 * Queries are confined to this scope, so a page never fetches a plan it would then have to hide.
 */
export function listScope(access: Access): PlanScope {
  if (access.roles.has('analyst')) return { partnershipId: access.partnershipId };
  return {
    partnershipId: access.partnershipId,
    restrictTo: { teamIds: access.managedTeamIds, socialWorkerId: access.personId },
  };
}

export function visibilityOf(access: Access, plan: PlanPlacement): Visibility {
  return planVisibility(access.roles, access, plan);
}
