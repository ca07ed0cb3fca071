-- Nothing changes in PostgreSQL: its enumerations are types (0001_runs), and SQLite's 0005 turns
-- its enumeration CHECKs from IN lists into comparisons joined by OR, which only SQLite needed
-- (a temporary table for every IN list at every write). This keeps the version numbers of both
-- dialects the same: schema version 5 means the same tables everywhere.
SELECT 1;
