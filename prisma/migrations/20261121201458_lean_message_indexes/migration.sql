-- DropIndex
DROP INDEX "conversations_assistant_id_status_updated_at_idx";

-- DropIndex
DROP INDEX "messages_turn_status_created_at_idx";

-- DropIndex
DROP INDEX "messages_delivery_status_created_at_idx";

-- CreateIndex
CREATE INDEX "conversations_assistant_id_status_idx" ON "conversations"("assistant_id", "status");

-- Hand-written: the sweeper's lookups, as partial indexes that hold only the rows it looks for.
CREATE INDEX "messages_pending_since_idx" ON "messages" ("created_at") WHERE "turn_status" = 'pending';
CREATE INDEX "messages_queued_since_idx" ON "messages" ("created_at") WHERE "delivery_status" = 'queued';
-- Room on each page for HOT updates of the per-message counters.
ALTER TABLE "conversations" SET (fillfactor = 80);
