-- AlterTable
ALTER TABLE "Publication" ADD COLUMN     "readerComments" BOOLEAN NOT NULL DEFAULT false;
