-- AlterTable
ALTER TABLE "conversations" ADD COLUMN     "language" TEXT,
ADD COLUMN     "state" JSONB;
