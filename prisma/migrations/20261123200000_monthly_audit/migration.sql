-- AlterTable
ALTER TABLE "Child" ADD COLUMN     "disability" TEXT;

-- AlterTable
ALTER TABLE "Plan" ADD COLUMN     "emergencyProtectionLast6Months" BOOLEAN,
ADD COLUMN     "initialCategory" TEXT,
ADD COLUMN     "latestCategory" TEXT,
ADD COLUMN     "previousPlans" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "PartnershipMember" (
    "id" TEXT NOT NULL,
    "partnershipId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "role" TEXT NOT NULL,

    CONSTRAINT "PartnershipMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MonthlyReport" (
    "id" TEXT NOT NULL,
    "partnershipId" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'generating',
    "filePath" TEXT,
    "checksum" TEXT,
    "byteSize" INTEGER,
    "rowCounts" JSONB,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "generatedAt" TIMESTAMPTZ(3),
    "error" TEXT,
    "notifiedAt" TIMESTAMPTZ(3),

    CONSTRAINT "MonthlyReport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PartnershipMember_personId_idx" ON "PartnershipMember"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "PartnershipMember_partnershipId_personId_role_key" ON "PartnershipMember"("partnershipId", "personId", "role");

-- CreateIndex
CREATE INDEX "MonthlyReport_partnershipId_month_idx" ON "MonthlyReport"("partnershipId", "month");

-- AddForeignKey
ALTER TABLE "PartnershipMember" ADD CONSTRAINT "PartnershipMember_partnershipId_fkey" FOREIGN KEY ("partnershipId") REFERENCES "Partnership"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartnershipMember" ADD CONSTRAINT "PartnershipMember_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MonthlyReport" ADD CONSTRAINT "MonthlyReport_partnershipId_fkey" FOREIGN KEY ("partnershipId") REFERENCES "Partnership"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
