-- CreateTable
CREATE TABLE "Partnership" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "policyId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Partnership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Team" (
    "id" TEXT NOT NULL,
    "partnershipId" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "Team_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Person" (
    "id" TEXT NOT NULL,
    "partnershipId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "agency" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "Person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Child" (
    "id" TEXT NOT NULL,
    "partnershipId" TEXT NOT NULL,
    "localChildId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "dateOfBirth" DATE,
    "gender" TEXT,
    "ethnicity" TEXT,

    CONSTRAINT "Child_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Plan" (
    "id" TEXT NOT NULL,
    "partnershipId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "childId" TEXT NOT NULL,
    "policyId" TEXT NOT NULL,
    "rulesVersion" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "startedOn" DATE NOT NULL,
    "endedOn" DATE,
    "workflowId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Plan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlanRole" (
    "id" TEXT NOT NULL,
    "planId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "agency" TEXT,

    CONSTRAINT "PlanRole_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlanEvent" (
    "id" TEXT NOT NULL,
    "planId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "on" DATE NOT NULL,
    "payload" JSONB NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PlanEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Obligation" (
    "planId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "due" DATE NOT NULL,
    "status" TEXT NOT NULL,
    "metOn" DATE,
    "fromDate" DATE NOT NULL,
    "ruleId" TEXT NOT NULL,
    "rulesVersion" TEXT NOT NULL,
    "computedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Obligation_pkey" PRIMARY KEY ("planId","key")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "planId" TEXT NOT NULL,
    "obligationKey" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "recipients" JSONB NOT NULL,
    "subject" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "messageId" TEXT,
    "lastError" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMPTZ(3),

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotificationAttempt" (
    "id" TEXT NOT NULL,
    "notificationId" TEXT NOT NULL,
    "attemptedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "outcome" TEXT NOT NULL,
    "smtpResponse" TEXT,
    "error" TEXT,

    CONSTRAINT "NotificationAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Team_partnershipId_name_key" ON "Team"("partnershipId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Person_partnershipId_email_key" ON "Person"("partnershipId", "email");

-- CreateIndex
CREATE UNIQUE INDEX "Child_partnershipId_localChildId_key" ON "Child"("partnershipId", "localChildId");

-- CreateIndex
CREATE UNIQUE INDEX "Plan_workflowId_key" ON "Plan"("workflowId");

-- CreateIndex
CREATE INDEX "Plan_partnershipId_idx" ON "Plan"("partnershipId");

-- CreateIndex
CREATE INDEX "Plan_teamId_idx" ON "Plan"("teamId");

-- CreateIndex
CREATE INDEX "Plan_childId_idx" ON "Plan"("childId");

-- CreateIndex
CREATE INDEX "PlanRole_planId_idx" ON "PlanRole"("planId");

-- CreateIndex
CREATE INDEX "PlanRole_personId_idx" ON "PlanRole"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "PlanRole_planId_personId_role_key" ON "PlanRole"("planId", "personId", "role");

-- CreateIndex
CREATE INDEX "PlanEvent_planId_on_idx" ON "PlanEvent"("planId", "on");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_key_key" ON "Notification"("key");

-- CreateIndex
CREATE INDEX "Notification_planId_idx" ON "Notification"("planId");

-- CreateIndex
CREATE INDEX "Notification_status_idx" ON "Notification"("status");

-- CreateIndex
CREATE INDEX "NotificationAttempt_notificationId_idx" ON "NotificationAttempt"("notificationId");

-- AddForeignKey
ALTER TABLE "Team" ADD CONSTRAINT "Team_partnershipId_fkey" FOREIGN KEY ("partnershipId") REFERENCES "Partnership"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Person" ADD CONSTRAINT "Person_partnershipId_fkey" FOREIGN KEY ("partnershipId") REFERENCES "Partnership"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Child" ADD CONSTRAINT "Child_partnershipId_fkey" FOREIGN KEY ("partnershipId") REFERENCES "Partnership"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Plan" ADD CONSTRAINT "Plan_partnershipId_fkey" FOREIGN KEY ("partnershipId") REFERENCES "Partnership"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Plan" ADD CONSTRAINT "Plan_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Plan" ADD CONSTRAINT "Plan_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Child"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanRole" ADD CONSTRAINT "PlanRole_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanRole" ADD CONSTRAINT "PlanRole_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanEvent" ADD CONSTRAINT "PlanEvent_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Obligation" ADD CONSTRAINT "Obligation_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NotificationAttempt" ADD CONSTRAINT "NotificationAttempt_notificationId_fkey" FOREIGN KEY ("notificationId") REFERENCES "Notification"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Append-only event log (hand-written; Prisma does not model triggers, and `prisma migrate diff` ignores them).
-- PlanEvent is the record of what practitioners told corewatch happened to a child's plan: obligations, reminders
-- and escalations are all derived from it, and an auditor must be able to rebuild every decision from it. Nothing
-- accepted is ever lost or rewritten, so the database itself refuses UPDATE, DELETE and TRUNCATE of its rows;
-- a correction is a new event. (Dropping the whole database, as tests do, is unaffected.)
CREATE FUNCTION "PlanEvent_refuse_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'PlanEvent is append-only: % refused', TG_OP
        USING HINT = 'Events are never changed or removed; record a new event instead.';
END;
$$;

CREATE TRIGGER "PlanEvent_append_only"
    BEFORE UPDATE OR DELETE ON "PlanEvent"
    FOR EACH ROW EXECUTE FUNCTION "PlanEvent_refuse_change"();

CREATE TRIGGER "PlanEvent_no_truncate"
    BEFORE TRUNCATE ON "PlanEvent"
    FOR EACH STATEMENT EXECUTE FUNCTION "PlanEvent_refuse_change"();
