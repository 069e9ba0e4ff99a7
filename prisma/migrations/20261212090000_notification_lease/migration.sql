-- The outbox sends without holding a transaction open across SMTP: a sender claims a row with a short lease
-- (status 'sending' until "leaseUntil"), sends, then marks it sent (activities/outbox.ts). Notifications that cannot
-- be delivered by retrying are flagged, for the dashboard, /metrics and the administrators' alert; both counts are
-- read from indexes alone.

-- AlterTable
ALTER TABLE "Notification" ADD COLUMN     "leaseUntil" TIMESTAMPTZ(3),
ADD COLUMN     "undeliverable" BOOLEAN NOT NULL DEFAULT false;

-- Rows that failed before this migration because nobody held the role were undeliverable: say so.
UPDATE "Notification" SET "undeliverable" = true
WHERE "status" = 'failed' AND "lastError" LIKE 'no active person holds the role%';

-- DropIndex
DROP INDEX "Notification_status_idx";

-- CreateIndex
CREATE INDEX "Notification_status_undeliverable_idx" ON "Notification"("status", "undeliverable");

-- CreateIndex
CREATE INDEX "NotificationAttempt_outcome_smtpResponse_idx" ON "NotificationAttempt"("outcome", "smtpResponse");
