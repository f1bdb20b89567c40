-- AlterTable
ALTER TABLE "Notebook" ADD COLUMN "expiresAt" DATETIME;
ALTER TABLE "Notebook" ADD COLUMN "forkedInWorkshopId" TEXT;
ALTER TABLE "Notebook" ADD COLUMN "guestOwnerId" TEXT;
ALTER TABLE "Notebook" ADD COLUMN "guestOwnerName" TEXT;

-- CreateTable
CREATE TABLE "Workshop" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "notebookId" TEXT NOT NULL,
    "liveNotebookId" TEXT,
    "attendeeLinkId" TEXT NOT NULL,
    "presenterLinkId" TEXT NOT NULL,
    "startedBy" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" DATETIME,
    "forksExpireAt" DATETIME,
    CONSTRAINT "Workshop_notebookId_fkey" FOREIGN KEY ("notebookId") REFERENCES "Notebook" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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
