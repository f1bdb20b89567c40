-- AlterTable
ALTER TABLE "Notebook" ADD COLUMN     "forkedFromNotebookId" TEXT,
ADD COLUMN     "forkedFromVersionId" TEXT;

-- CreateTable
CREATE TABLE "NotebookVersion" (
    "id" TEXT NOT NULL,
    "notebookId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "authorId" TEXT,
    "authorName" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "nbformat" TEXT,
    "ydoc" BYTEA NOT NULL,
    "ydocBaseId" TEXT,
    "runResult" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NotebookVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Publication" (
    "slug" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "publishedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Publication_pkey" PRIMARY KEY ("slug")
);

-- CreateIndex
CREATE INDEX "NotebookVersion_notebookId_createdAt_idx" ON "NotebookVersion"("notebookId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Publication_versionId_key" ON "Publication"("versionId");

-- CreateIndex
CREATE INDEX "Notebook_forkedFromNotebookId_idx" ON "Notebook"("forkedFromNotebookId");

-- AddForeignKey
ALTER TABLE "NotebookVersion" ADD CONSTRAINT "NotebookVersion_notebookId_fkey" FOREIGN KEY ("notebookId") REFERENCES "Notebook"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Publication" ADD CONSTRAINT "Publication_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "NotebookVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;
