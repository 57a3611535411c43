-- Hand-written: the sweepers' partial indexes, usable by the sweepers only.
--
-- When ANALYZE runs, hardly any message is pending or queued, so the planner takes these
-- indexes for nearly empty. A hot-path statement that names the same status (a turn's commit,
-- a reply's sent mark or claim) then preferred reading the whole index and filtering by id over
-- a primary-key lookup. During a backlog (orchestrators or a channel down) every such statement
-- read every waiting row: draining the backlog was quadratic.
--
-- Each predicate now also names the role, which only the sweepers' queries state, so the
-- planner cannot use these indexes for anything else. The pending-turns index by conversation
-- stays as it is: every query that can use it is bounded by a conversation.

DROP INDEX "messages_pending_since_idx";
CREATE INDEX "messages_pending_since_idx" ON "messages" ("created_at")
  WHERE "turn_status" = 'pending' AND "role" = 'user';

DROP INDEX "messages_queued_since_idx";
CREATE INDEX "messages_queued_since_idx" ON "messages" ("created_at")
  WHERE "delivery_status" = 'queued' AND "role" <> 'user';

-- The sweeper of replies left sending (a sender stopped mid-call) scanned the whole table.
CREATE INDEX "messages_sending_since_idx" ON "messages" ("delivery_attempted_at")
  WHERE "delivery_status" = 'sending' AND "role" <> 'user';
