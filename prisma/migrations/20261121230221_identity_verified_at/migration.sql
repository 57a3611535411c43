-- AlterTable
ALTER TABLE "channel_identities" ADD COLUMN     "verified_at" TIMESTAMP(3);
