-- One email per deadline, whatever the obligation is called: a meeting recorded late, dated before others already
-- recorded, renumbers a chain (core-group#3 becomes core-group#4) but not the deadline itself (its kind, the day its
-- clock started and its due day). The sending activity sends nothing for a deadline already written to at that level.
ALTER TABLE "Notification" ADD COLUMN "deadline" TEXT;
CREATE INDEX "Notification_planId_level_deadline_idx" ON "Notification"("planId", "level", "deadline");
