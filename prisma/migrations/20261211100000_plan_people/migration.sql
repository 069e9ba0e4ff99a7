-- Issue 10, people who change: a plan's people and team change through its events (worker-allocated, member-joined,
-- member-left, team-changed). PlanRole and Plan.teamId become the read model's "as of today"; what the plan was
-- registered with is kept here, to recompute from and to recognise a retried registration.
ALTER TABLE "Plan" ADD COLUMN "registeredTeamId" TEXT;
ALTER TABLE "Plan" ADD COLUMN "registeredRoles" JSONB;

UPDATE "Plan" p SET
  "registeredTeamId" = p."teamId",
  "registeredRoles" = COALESCE(
    (SELECT jsonb_agg(jsonb_build_object('personId', r."personId", 'role', r.role, 'agency', r.agency) ORDER BY r.role, r."personId")
     FROM "PlanRole" r WHERE r."planId" = p.id),
    '[]'::jsonb);
