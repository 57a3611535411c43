-- CreateIndex
CREATE INDEX "conversations_assistant_id_created_at_idx" ON "conversations"("assistant_id", "created_at");
