/**
 * Who a person is to a partnership's plans, for the dashboard's per-request rights (http/dashboard/access.ts): their
 * partnership roles, the teams they manage, and whether they are the social worker of any plan (their caseload).
 * One query, since it runs on every page a signed-in person opens.
 */
import type { PrismaClient } from '../../platform/database';

export interface PersonStanding {
  /** PartnershipMember roles in this partnership ('analyst', 'auditor', 'administrator', ...). */
  roles: string[];
  managedTeamIds: string[];
  /** Holds a plan's 'social-worker' role. */
  caseload: boolean;
}

/** Undefined when the person is not an active person of the partnership. */
export async function personStanding(
  db: PrismaClient,
  personId: string,
  partnershipId: string,
): Promise<PersonStanding | undefined> {
  const [row] = await db.$queryRaw<PersonStanding[]>`
    SELECT
      ARRAY(SELECT m.role FROM "PartnershipMember" m WHERE m."personId" = p.id AND m."partnershipId" = ${partnershipId}) AS roles,
      ARRAY(SELECT tm."teamId" FROM "TeamMember" tm JOIN "Team" t ON t.id = tm."teamId"
            WHERE tm."personId" = p.id AND tm.role = 'team-manager' AND t."partnershipId" = ${partnershipId}
            ORDER BY tm."teamId") AS "managedTeamIds",
      -- A person's plan roles are all in their own partnership (createPlan checks it).
      EXISTS (SELECT 1 FROM "PlanRole" r WHERE r."personId" = p.id AND r.role = 'social-worker') AS caseload
    FROM "Person" p
    WHERE p.id = ${personId} AND p."partnershipId" = ${partnershipId} AND p.active`;
  return row;
}
