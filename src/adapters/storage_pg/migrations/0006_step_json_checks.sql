-- Nothing changes in PostgreSQL: its per-step JSON columns are jsonb, which is parsed once as it
-- is stored. SQLite's 0006 drops the json_valid() CHECKs that parsed them a second time. This
-- keeps the version numbers of both dialects the same.
SELECT 1;
