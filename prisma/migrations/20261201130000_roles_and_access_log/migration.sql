-- Roles on the dashboard (issue 4): team managers by team, people bound to their OpenID Connect identity, and an
-- access log whose actor is an API token or a signed-in person, append-only like the event log.

-- AlterTable
ALTER TABLE "Person" ADD COLUMN "oidcIssuer" TEXT,
ADD COLUMN "oidcSubject" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Person_oidcIssuer_oidcSubject_key" ON "Person"("oidcIssuer", "oidcSubject");

-- CreateTable
CREATE TABLE "TeamMember" (
    "teamId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "role" TEXT NOT NULL,

    CONSTRAINT "TeamMember_pkey" PRIMARY KEY ("teamId","personId","role")
);

-- CreateIndex
CREATE INDEX "TeamMember_personId_idx" ON "TeamMember"("personId");

-- AddForeignKey
ALTER TABLE "TeamMember" ADD CONSTRAINT "TeamMember_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TeamMember" ADD CONSTRAINT "TeamMember_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AccessLog: existing rows were all written by API tokens (or by the dashboard's stand-in token rows), so they are
-- backfilled from their token before the new columns become required.
-- DropForeignKey
ALTER TABLE "AccessLog" DROP CONSTRAINT "AccessLog_tokenId_fkey";

-- AlterTable
ALTER TABLE "AccessLog" ADD COLUMN "partnershipId" TEXT,
ADD COLUMN "actorKind" TEXT,
ADD COLUMN "personId" TEXT,
ADD COLUMN "action" TEXT,
ADD COLUMN "reportId" TEXT,
ALTER COLUMN "tokenId" DROP NOT NULL;

UPDATE "AccessLog" AS a SET
    "partnershipId" = t."partnershipId",
    "actorKind" = 'token',
    "action" = CASE WHEN a."route" LIKE '%/download' THEN 'workbook-download' ELSE 'plan-read' END
FROM "ApiToken" AS t WHERE t."id" = a."tokenId";

ALTER TABLE "AccessLog" ALTER COLUMN "partnershipId" SET NOT NULL,
ALTER COLUMN "actorKind" SET NOT NULL,
ALTER COLUMN "action" SET NOT NULL;

-- CreateIndex
CREATE INDEX "AccessLog_partnershipId_at_idx" ON "AccessLog"("partnershipId", "at");

-- CreateIndex
CREATE INDEX "AccessLog_personId_at_idx" ON "AccessLog"("personId", "at");

-- AddForeignKey
ALTER TABLE "AccessLog" ADD CONSTRAINT "AccessLog_partnershipId_fkey" FOREIGN KEY ("partnershipId") REFERENCES "Partnership"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessLog" ADD CONSTRAINT "AccessLog_tokenId_fkey" FOREIGN KEY ("tokenId") REFERENCES "ApiToken"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessLog" ADD CONSTRAINT "AccessLog_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Exactly one actor, of the kind it says (hand-written; Prisma does not model CHECK constraints).
ALTER TABLE "AccessLog" ADD CONSTRAINT "AccessLog_one_actor" CHECK (
    ("actorKind" = 'token' AND "tokenId" IS NOT NULL AND "personId" IS NULL) OR
    ("actorKind" = 'person' AND "personId" IS NOT NULL AND "tokenId" IS NULL)
);

-- Append-only (hand-written): who read a child's record is evidence, so the database refuses to change or remove it,
-- as it does for PlanEvent. (Foreign keys that would SET NULL on delete never fire: tokens and people are revoked or
-- deactivated, not deleted.)
CREATE FUNCTION "AccessLog_refuse_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'AccessLog is append-only: % refused', TG_OP
        USING HINT = 'The access log is evidence; it is never changed or removed.';
END;
$$;

CREATE TRIGGER "AccessLog_append_only"
    BEFORE UPDATE OR DELETE ON "AccessLog"
    FOR EACH ROW EXECUTE FUNCTION "AccessLog_refuse_change"();

CREATE TRIGGER "AccessLog_no_truncate"
    BEFORE TRUNCATE ON "AccessLog"
    FOR EACH STATEMENT EXECUTE FUNCTION "AccessLog_refuse_change"();
