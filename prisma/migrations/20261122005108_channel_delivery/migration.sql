-- AlterEnum
ALTER TYPE "DeliveryStatus" ADD VALUE 'sending';

-- AlterTable
ALTER TABLE "channel_identities" ADD COLUMN     "opted_out_at" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "messages" ADD COLUMN     "delivery_attempted_at" TIMESTAMP(3);
