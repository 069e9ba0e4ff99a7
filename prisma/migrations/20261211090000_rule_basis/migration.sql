-- Issue 10: every rule says whether the text it cites gives its number ('stated') or not ('default': the number is
-- corewatch's or the partnership's choice, explained in its note), wherever its quote is shown.
ALTER TABLE "RuleCitation" ADD COLUMN "basis" TEXT NOT NULL DEFAULT 'stated';

-- The citations stored before this change: the England and Sandwell defaults (their notes already say so).
UPDATE "RuleCitation" SET "basis" = 'default'
WHERE "ruleId" IN ('england/later-core-groups', 'england/core-group-record', 'sandwell/later-core-groups', 'sandwell/core-group-record');

ALTER TABLE "RuleCitation" ALTER COLUMN "basis" DROP DEFAULT;
