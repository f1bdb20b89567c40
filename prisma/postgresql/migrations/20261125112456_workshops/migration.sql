-- AlterTable
ALTER TABLE "Notebook" ADD COLUMN     "expiresAt" TIMESTAMP(3),
ADD COLUMN     "forkedInWorkshopId" TEXT,
ADD COLUMN     "guestOwnerId" TEXT,
ADD COLUMN     "guestOwnerName" TEXT;

-- CreateTable
CREATE TABLE "Workshop" (
    "id" TEXT NOT NULL,
    "notebookId" TEXT NOT NULL,
    "liveNotebookId" TEXT,
    "attendeeLinkId" TEXT NOT NULL,
    "presenterLinkId" TEXT NOT NULL,
    "startedBy" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMP(3),
    "forksExpireAt" TIMESTAMP(3),

    CONSTRAINT "Workshop_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Workshop_liveNotebookId_key" ON "Workshop"("liveNotebookId");

-- CreateIndex
CREATE UNIQUE INDEX "Workshop_attendeeLinkId_key" ON "Workshop"("attendeeLinkId");

-- CreateIndex
CREATE UNIQUE INDEX "Workshop_presenterLinkId_key" ON "Workshop"("presenterLinkId");

-- CreateIndex
CREATE INDEX "Workshop_notebookId_idx" ON "Workshop"("notebookId");

-- CreateIndex
CREATE INDEX "Notebook_forkedInWorkshopId_idx" ON "Notebook"("forkedInWorkshopId");

-- CreateIndex
CREATE INDEX "Notebook_expiresAt_idx" ON "Notebook"("expiresAt");

-- AddForeignKey
ALTER TABLE "Workshop" ADD CONSTRAINT "Workshop_notebookId_fkey" FOREIGN KEY ("notebookId") REFERENCES "Notebook"("id") ON DELETE CASCADE ON UPDATE CASCADE;
