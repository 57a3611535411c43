-- AlterTable
ALTER TABLE "messages" ADD COLUMN     "turn_started_at" TIMESTAMP(3);
