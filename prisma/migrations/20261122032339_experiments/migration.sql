-- AlterTable
ALTER TABLE "conversations" ADD COLUMN     "experiment_arm" TEXT,
ADD COLUMN     "experiment_id" UUID;

-- AddForeignKey
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_experiment_id_fkey" FOREIGN KEY ("experiment_id") REFERENCES "experiments"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Hand-written: an experiment's results read its conversations, and most conversations have none.
CREATE INDEX "conversations_experiment_id_idx" ON "conversations" ("experiment_id", "experiment_arm") WHERE "experiment_id" IS NOT NULL;
-- Hand-written: at most one running experiment per assistant (a conversation serves one arm).
CREATE UNIQUE INDEX "experiments_one_running_idx" ON "experiments" ("assistant_id") WHERE "status" = 'running';
