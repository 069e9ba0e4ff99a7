-- CreateTable
CREATE TABLE "AccessLog" (
    "id" TEXT NOT NULL,
    "tokenId" TEXT NOT NULL,
    "route" TEXT NOT NULL,
    "planId" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AccessLog_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AccessLog_planId_at_idx" ON "AccessLog"("planId", "at");

-- CreateIndex
CREATE INDEX "AccessLog_tokenId_at_idx" ON "AccessLog"("tokenId", "at");

-- AddForeignKey
ALTER TABLE "AccessLog" ADD CONSTRAINT "AccessLog_tokenId_fkey" FOREIGN KEY ("tokenId") REFERENCES "ApiToken"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessLog" ADD CONSTRAINT "AccessLog_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE SET NULL ON UPDATE CASCADE;
