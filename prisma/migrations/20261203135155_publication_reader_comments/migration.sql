-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Publication" (
    "slug" TEXT NOT NULL PRIMARY KEY,
    "versionId" TEXT NOT NULL,
    "publishedBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "readerComments" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "Publication_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "NotebookVersion" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Publication" ("createdAt", "publishedBy", "slug", "versionId") SELECT "createdAt", "publishedBy", "slug", "versionId" FROM "Publication";
DROP TABLE "Publication";
ALTER TABLE "new_Publication" RENAME TO "Publication";
CREATE UNIQUE INDEX "Publication_versionId_key" ON "Publication"("versionId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
