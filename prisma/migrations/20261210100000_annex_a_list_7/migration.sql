-- Annex A List 7 as Ofsted's template writes it (issue 10, part 6). "Subject to Emergency Protection Order or
-- Protected Under Police Powers in Last Six Months" takes the template's a) Yes / b) No / c) Unknown, so it is stored
-- as corewatch's key ('yes' | 'no' | 'unknown', domain/annex-a.ts) rather than a boolean: existing answers keep their
-- meaning. "Number of Previous Child Protection Plans" is NULL when intake did not say, rather than a 0 nobody gave:
-- existing rows keep the number they hold.

-- AlterTable
ALTER TABLE "Plan" ALTER COLUMN "emergencyProtectionLast6Months" SET DATA TYPE TEXT
    USING (CASE WHEN "emergencyProtectionLast6Months" THEN 'yes' WHEN NOT "emergencyProtectionLast6Months" THEN 'no' END),
ALTER COLUMN "previousPlans" DROP NOT NULL,
ALTER COLUMN "previousPlans" DROP DEFAULT;

-- `corewatch annex-a` writes children's data to a file: its extract is logged too, with the command line as the
-- actor (no token or person row stands for an operator holding the database credentials; the OS user is in "route").
-- Hand-written, like the constraint it replaces: Prisma does not model CHECK constraints.
ALTER TABLE "AccessLog" DROP CONSTRAINT "AccessLog_one_actor";
ALTER TABLE "AccessLog" ADD CONSTRAINT "AccessLog_one_actor" CHECK (
    ("actorKind" = 'token' AND "tokenId" IS NOT NULL AND "personId" IS NULL) OR
    ("actorKind" = 'person' AND "personId" IS NOT NULL AND "tokenId" IS NULL) OR
    ("actorKind" = 'command-line' AND "tokenId" IS NULL AND "personId" IS NULL)
);
