-- CreateTable
CREATE TABLE "CommentMention" (
    "notebookId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "commentId" TEXT NOT NULL,
    "threadId" TEXT NOT NULL,
    "byName" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "seenAt" DATETIME,

    PRIMARY KEY ("notebookId", "userId", "commentId"),
    CONSTRAINT "CommentMention_notebookId_fkey" FOREIGN KEY ("notebookId") REFERENCES "Notebook" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CommentMention_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "CommentMention_userId_seenAt_idx" ON "CommentMention"("userId", "seenAt");
