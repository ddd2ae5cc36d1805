-- A fencing token for each shard's lease: it goes up by one whenever another node takes the
-- shard over. The holder remembers the number it got, and each of its writes (taking in a
-- gateway event, renewing) checks it in the same transaction, so a node that paused past its
-- lease (a long GC, a slow database) and wakes up still connected writes nothing.
ALTER TABLE discord_gateway_leases ADD COLUMN epoch BIGINT NOT NULL DEFAULT 0;
