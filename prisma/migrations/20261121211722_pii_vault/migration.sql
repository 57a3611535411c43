-- CreateTable
CREATE TABLE "pii_vault" (
    "assistant_id" TEXT NOT NULL,
    "message_id" UUID NOT NULL,
    "placeholder" TEXT NOT NULL,
    "pii_type" TEXT NOT NULL,
    "key_id" TEXT NOT NULL,
    "sealed" BYTEA NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pii_vault_pkey" PRIMARY KEY ("message_id","placeholder")
);

-- AddForeignKey
ALTER TABLE "pii_vault" ADD CONSTRAINT "pii_vault_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE CASCADE;
