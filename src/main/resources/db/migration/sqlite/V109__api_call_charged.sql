-- Whether a call is usage (counted in the ledger and against its key's daily tokens and
-- monthly spend): an answer that came, or a tool loop's answer that failed after rounds
-- that were spent. A key's counters are summed from here when a node starts or syncs;
-- without this column, failures' tokens were summed too. Calls recorded before it are taken
-- as charged when they came (200), as they were read back then.
ALTER TABLE api_calls ADD COLUMN charged INTEGER NOT NULL DEFAULT 0;
UPDATE api_calls SET charged = CASE WHEN status = 200 THEN 1 ELSE 0 END;
