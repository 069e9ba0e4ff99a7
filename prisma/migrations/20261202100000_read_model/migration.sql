-- The obligations read model (issue 8): obligations are written when events are stored, in the same transaction,
-- with no status (it depends on today and is derived when read); their citations are stored once per rules version;
-- a complete month's Summary figures are stored for the dashboard's trend.
--
-- Rows written by the plan workflow before this change carry a status and no partnership: they are discarded.
-- Rebuild them from the event log after deploying: `corewatch obligations rebuild`.
DELETE FROM "Obligation";

-- AlterTable
ALTER TABLE "Obligation" DROP COLUMN "status",
ADD COLUMN "partnershipId" TEXT NOT NULL,
ADD COLUMN "teamId" TEXT NOT NULL;

-- AlterTable
ALTER TABLE "Plan" ADD COLUMN "evaluationError" TEXT,
ADD COLUMN "nextDueOn" DATE,
ADD COLUMN "nextDueKey" TEXT,
ADD COLUMN "nextDueKind" TEXT;

-- DropIndex
DROP INDEX "Plan_partnershipId_idx";

-- CreateTable
CREATE TABLE "RuleCitation" (
    "rulesVersion" TEXT NOT NULL,
    "ruleId" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "section" TEXT NOT NULL,
    "quote" TEXT NOT NULL,
    "note" TEXT,

    CONSTRAINT "RuleCitation_pkey" PRIMARY KEY ("rulesVersion","ruleId")
);

-- CreateTable
CREATE TABLE "MonthlyFigure" (
    "partnershipId" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "scopeId" TEXT NOT NULL,
    "scopeName" TEXT NOT NULL,
    "measureId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "label" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "denominator" INTEGER,
    "percentage" DOUBLE PRECISION,
    "rag" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "computedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MonthlyFigure_pkey" PRIMARY KEY ("partnershipId","month","scope","scopeId","measureId")
);

-- CreateIndex
CREATE INDEX "Plan_partnershipId_id_idx" ON "Plan"("partnershipId", "id");

-- CreateIndex
CREATE INDEX "Plan_partnershipId_nextDueOn_id_idx" ON "Plan"("partnershipId", "nextDueOn", "id");

-- CreateIndex
CREATE INDEX "Notification_createdAt_id_idx" ON "Notification"("createdAt", "id");

-- CreateIndex
CREATE INDEX "Obligation_partnershipId_metOn_due_idx" ON "Obligation"("partnershipId", "metOn", "due");

-- CreateIndex
CREATE INDEX "Obligation_partnershipId_due_idx" ON "Obligation"("partnershipId", "due");

-- AddForeignKey
ALTER TABLE "Obligation" ADD CONSTRAINT "Obligation_rulesVersion_ruleId_fkey" FOREIGN KEY ("rulesVersion", "ruleId") REFERENCES "RuleCitation"("rulesVersion", "ruleId") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MonthlyFigure" ADD CONSTRAINT "MonthlyFigure_partnershipId_fkey" FOREIGN KEY ("partnershipId") REFERENCES "Partnership"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Plan.endedOn was never written before: set it once from the log, so intake refuses events after an end at once,
-- before the rebuild has run (the rebuild then writes the same value through the engine).
UPDATE "Plan" AS p SET "endedOn" = e."endedOn"
FROM (SELECT "planId", min("on") AS "endedOn" FROM "PlanEvent" WHERE type = 'plan-ended' GROUP BY "planId") AS e
WHERE e."planId" = p."id";
