-- "Is this person the social worker of any plan?" is asked on every dashboard request: answered from the index
-- alone, rather than by scanning a partnership's plan roles for someone who holds none.

-- DropIndex
DROP INDEX "PlanRole_personId_idx";

-- CreateIndex
CREATE INDEX "PlanRole_personId_role_idx" ON "PlanRole"("personId", "role");
