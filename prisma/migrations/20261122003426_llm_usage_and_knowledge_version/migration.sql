-- AlterTable
ALTER TABLE "assistants" ADD COLUMN     "knowledge_version" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "conversations" ADD COLUMN     "cost_usd" DECIMAL(12,6) NOT NULL DEFAULT 0,
ADD COLUMN     "tokens_in" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "tokens_out" INTEGER NOT NULL DEFAULT 0;
