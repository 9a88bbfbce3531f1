-- A user who left is disabled, not deleted (the audit trail keeps naming them): they cannot
-- log in, and their sessions and API tokens stop working.

alter table app_user add column disabled_at text;
