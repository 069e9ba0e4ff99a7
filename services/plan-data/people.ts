/**
 * Who a person is to a partnership's plans, for the dashboard's per-request rights (http/dashboard/access.ts): their
 * partnership roles, the teams they manage, and whether they are the social worker of any plan (their caseload).
 * Read on every page a signed-in person opens, so in one query, and with the session itself where there is one.
 */
import { Prisma } from '../../prisma/generated/client';
import { hotRead, type PrismaClient } from '../../platform/database';

export interface PersonStanding {
  /** PartnershipMember roles in this partnership ('analyst', 'auditor', 'administrator', ...). */
  roles: string[];
  managedTeamIds: string[];
  /** Holds a plan's 'social-worker' role. */
  caseload: boolean;
}

/** The standing's columns for a person `p`, in the partnership given as an SQL expression. */
function standingColumns(partnershipId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
      ARRAY(SELECT m.role FROM "PartnershipMember" m WHERE m."personId" = p.id AND m."partnershipId" = ${partnershipId}) AS roles,
      ARRAY(SELECT tm."teamId" FROM "TeamMember" tm JOIN "Team" t ON t.id = tm."teamId"
            WHERE tm."personId" = p.id AND tm.role = 'team-manager' AND t."partnershipId" = ${partnershipId}
            ORDER BY tm."teamId") AS "managedTeamIds",
      -- A person's plan roles are all in their own partnership (createPlan checks it).
      EXISTS (SELECT 1 FROM "PlanRole" r WHERE r."personId" = p.id AND r.role = 'social-worker') AS caseload`;
}

/** Undefined when the person is not an active person of the partnership. */
export async function personStanding(
  db: PrismaClient,
  personId: string,
  partnershipId: string,
): Promise<PersonStanding | undefined> {
  const [row] = await hotRead<PersonStanding[]>(
    db,
    Prisma.sql`SELECT ${standingColumns(Prisma.sql`${partnershipId}`)}
    FROM "Person" p WHERE p.id = ${personId} AND p."partnershipId" = ${partnershipId} AND p.active`,
  );
  return row;
}

export interface SessionRow {
  personId: string;
  partnershipId: string;
  data: unknown;
  expiresAt: Date;
  /** The person's standing now; null when they are no longer an active person of the session's partnership. */
  standing: PersonStanding | null;
}

/**
 * A dashboard session and its person's standing in one round trip, since every page needs both: the session says
 * who, the standing what they may see, read fresh on every request (services/sessions.ts).
 */
export async function sessionWithStanding(db: PrismaClient, sessionId: string): Promise<SessionRow | undefined> {
  const [row] = await hotRead<Array<Omit<SessionRow, 'standing'> & { active: boolean | null } & PersonStanding>>(
    db,
    Prisma.sql`SELECT s."personId", s."partnershipId", s.data, s."expiresAt", p.active,
      ${standingColumns(Prisma.sql`s."partnershipId"`)}
    FROM "DashboardSession" s LEFT JOIN "Person" p ON p.id = s."personId" AND p."partnershipId" = s."partnershipId"
    WHERE s.id = ${sessionId}`,
  );
  if (!row) return undefined;
  const { active, roles, managedTeamIds, caseload, ...session } = row;
  return { ...session, standing: active === true ? { roles, managedTeamIds, caseload } : null };
}
