-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "ConversationStatus" AS ENUM ('bot', 'handoff', 'closed');

-- CreateEnum
CREATE TYPE "MessageRole" AS ENUM ('user', 'assistant', 'agent', 'system', 'tool');

-- CreateEnum
CREATE TYPE "TurnStatus" AS ENUM ('pending', 'done', 'failed');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('queued', 'sent', 'delivered', 'read', 'failed');

-- CreateEnum
CREATE TYPE "TicketStatus" AS ENUM ('open', 'claimed', 'resolved');

-- CreateEnum
CREATE TYPE "AgentRole" AS ENUM ('agent', 'admin');

-- CreateTable
CREATE TABLE "assistants" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "assistants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customers" (
    "id" UUID NOT NULL,
    "assistant_id" TEXT NOT NULL,
    "display_name" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "erased_at" TIMESTAMP(3),

    CONSTRAINT "customers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "channel_identities" (
    "id" UUID NOT NULL,
    "assistant_id" TEXT NOT NULL,
    "customer_id" UUID NOT NULL,
    "channel" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "verified" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "channel_identities_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "profiles" (
    "id" UUID NOT NULL,
    "assistant_id" TEXT NOT NULL,
    "customer_id" UUID NOT NULL,
    "preferences" JSONB NOT NULL DEFAULT '{}',
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "profiles_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "profile_facts" (
    "id" UUID NOT NULL,
    "assistant_id" TEXT NOT NULL,
    "customer_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "source_message_id" UUID,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "profile_facts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "conversations" (
    "id" UUID NOT NULL,
    "assistant_id" TEXT NOT NULL,
    "customer_id" UUID NOT NULL,
    "channel_identity_id" UUID NOT NULL,
    "channel" TEXT NOT NULL,
    "thread_key" TEXT,
    "status" "ConversationStatus" NOT NULL DEFAULT 'bot',
    "open_key" TEXT,
    "last_seq" INTEGER NOT NULL DEFAULT 0,
    "summary" TEXT,
    "outcome" TEXT,
    "csat" INTEGER,
    "escalation_reason" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "closed_at" TIMESTAMP(3),

    CONSTRAINT "conversations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "messages" (
    "id" UUID NOT NULL,
    "assistant_id" TEXT NOT NULL,
    "conversation_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "role" "MessageRole" NOT NULL,
    "channel" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "quick_replies" JSONB,
    "provider_message_id" TEXT,
    "turn_status" "TurnStatus",
    "delivery_status" "DeliveryStatus",
    "delivery_error" TEXT,
    "in_reply_to_id" UUID,
    "intent" TEXT,
    "confidence" DOUBLE PRECISION,
    "engine" TEXT,
    "timings" JSONB,
    "latency_ms" INTEGER,
    "tokens_in" INTEGER,
    "tokens_out" INTEGER,
    "cost_usd" DECIMAL(12,6),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMP(3),

    CONSTRAINT "messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tool_calls" (
    "id" UUID NOT NULL,
    "assistant_id" TEXT NOT NULL,
    "conversation_id" UUID NOT NULL,
    "message_id" UUID,
    "tool" TEXT NOT NULL,
    "arguments" JSONB NOT NULL,
    "result" JSONB,
    "status" TEXT NOT NULL,
    "error" TEXT,
    "idempotency_key" TEXT NOT NULL,
    "latency_ms" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "tool_calls_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agents" (
    "id" UUID NOT NULL,
    "assistant_id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "AgentRole" NOT NULL DEFAULT 'agent',
    "password_hash" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabled_at" TIMESTAMP(3),

    CONSTRAINT "agents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "handoff_tickets" (
    "id" UUID NOT NULL,
    "assistant_id" TEXT NOT NULL,
    "conversation_id" UUID NOT NULL,
    "status" "TicketStatus" NOT NULL DEFAULT 'open',
    "priority" INTEGER NOT NULL DEFAULT 2,
    "reason" TEXT NOT NULL,
    "summary" TEXT,
    "entities" JSONB NOT NULL DEFAULT '{}',
    "assigned_agent_id" UUID,
    "sla_due_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimed_at" TIMESTAMP(3),
    "resolved_at" TIMESTAMP(3),

    CONSTRAINT "handoff_tickets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "feedback" (
    "id" UUID NOT NULL,
    "assistant_id" TEXT NOT NULL,
    "conversation_id" UUID NOT NULL,
    "message_id" UUID,
    "rating" INTEGER NOT NULL,
    "comment" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "feedback_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "knowledge_documents" (
    "id" UUID NOT NULL,
    "assistant_id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "language" TEXT NOT NULL DEFAULT 'english',
    "content_hash" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "knowledge_documents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "knowledge_chunks" (
    "id" UUID NOT NULL,
    "assistant_id" TEXT NOT NULL,
    "document_id" UUID NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "heading" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "language" TEXT NOT NULL DEFAULT 'english',
    "search_vector" tsvector,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "knowledge_chunks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "experiments" (
    "id" UUID NOT NULL,
    "assistant_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "description" TEXT,
    "arms" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMP(3),
    "ended_at" TIMESTAMP(3),

    CONSTRAINT "experiments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "experiment_assignments" (
    "id" UUID NOT NULL,
    "assistant_id" TEXT NOT NULL,
    "experiment_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "arm" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "experiment_assignments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "assistant_id" TEXT NOT NULL,
    "actor_type" TEXT NOT NULL,
    "actor_id" TEXT,
    "action" TEXT NOT NULL,
    "target_type" TEXT,
    "target_id" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "customers_assistant_id_idx" ON "customers"("assistant_id");

-- CreateIndex
CREATE INDEX "channel_identities_customer_id_idx" ON "channel_identities"("customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "channel_identities_assistant_id_channel_external_id_key" ON "channel_identities"("assistant_id", "channel", "external_id");

-- CreateIndex
CREATE UNIQUE INDEX "profiles_customer_id_key" ON "profiles"("customer_id");

-- CreateIndex
CREATE INDEX "profile_facts_customer_id_key_idx" ON "profile_facts"("customer_id", "key");

-- CreateIndex
CREATE UNIQUE INDEX "conversations_open_key_key" ON "conversations"("open_key");

-- CreateIndex
CREATE INDEX "conversations_assistant_id_status_updated_at_idx" ON "conversations"("assistant_id", "status", "updated_at");

-- CreateIndex
CREATE INDEX "conversations_customer_id_idx" ON "conversations"("customer_id");

-- CreateIndex
CREATE INDEX "messages_turn_status_created_at_idx" ON "messages"("turn_status", "created_at");

-- CreateIndex
CREATE INDEX "messages_delivery_status_created_at_idx" ON "messages"("delivery_status", "created_at");

-- CreateIndex
CREATE INDEX "messages_in_reply_to_id_idx" ON "messages"("in_reply_to_id");

-- CreateIndex
CREATE UNIQUE INDEX "messages_channel_provider_message_id_key" ON "messages"("channel", "provider_message_id");

-- CreateIndex
CREATE UNIQUE INDEX "messages_conversation_id_seq_key" ON "messages"("conversation_id", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "tool_calls_idempotency_key_key" ON "tool_calls"("idempotency_key");

-- CreateIndex
CREATE INDEX "tool_calls_conversation_id_idx" ON "tool_calls"("conversation_id");

-- CreateIndex
CREATE UNIQUE INDEX "agents_assistant_id_email_key" ON "agents"("assistant_id", "email");

-- CreateIndex
CREATE INDEX "handoff_tickets_assistant_id_status_created_at_idx" ON "handoff_tickets"("assistant_id", "status", "created_at");

-- CreateIndex
CREATE INDEX "feedback_assistant_id_created_at_idx" ON "feedback"("assistant_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "knowledge_documents_assistant_id_source_key" ON "knowledge_documents"("assistant_id", "source");

-- CreateIndex
CREATE INDEX "knowledge_chunks_assistant_id_idx" ON "knowledge_chunks"("assistant_id");

-- CreateIndex
CREATE UNIQUE INDEX "knowledge_chunks_document_id_ordinal_key" ON "knowledge_chunks"("document_id", "ordinal");

-- CreateIndex
CREATE UNIQUE INDEX "experiments_assistant_id_key_key" ON "experiments"("assistant_id", "key");

-- CreateIndex
CREATE UNIQUE INDEX "experiment_assignments_experiment_id_customer_id_key" ON "experiment_assignments"("experiment_id", "customer_id");

-- CreateIndex
CREATE INDEX "audit_log_assistant_id_created_at_idx" ON "audit_log"("assistant_id", "created_at");

-- AddForeignKey
ALTER TABLE "channel_identities" ADD CONSTRAINT "channel_identities_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "profiles" ADD CONSTRAINT "profiles_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "profile_facts" ADD CONSTRAINT "profile_facts_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_channel_identity_id_fkey" FOREIGN KEY ("channel_identity_id") REFERENCES "channel_identities"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tool_calls" ADD CONSTRAINT "tool_calls_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "handoff_tickets" ADD CONSTRAINT "handoff_tickets_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "handoff_tickets" ADD CONSTRAINT "handoff_tickets_assigned_agent_id_fkey" FOREIGN KEY ("assigned_agent_id") REFERENCES "agents"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "feedback" ADD CONSTRAINT "feedback_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "knowledge_chunks" ADD CONSTRAINT "knowledge_chunks_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "knowledge_documents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "experiment_assignments" ADD CONSTRAINT "experiment_assignments_experiment_id_fkey" FOREIGN KEY ("experiment_id") REFERENCES "experiments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: Prisma cannot declare these, and later schema-to-schema diffs leave them alone.
-- Full-text search over knowledge chunks: the ingester fills search_vector.
CREATE INDEX "knowledge_chunks_search_vector_idx" ON "knowledge_chunks" USING GIN ("search_vector");
-- The orchestrator's hot lookup: the oldest pending customer message of a conversation.
CREATE INDEX "messages_pending_turns_idx" ON "messages" ("conversation_id", "seq") WHERE "turn_status" = 'pending';
