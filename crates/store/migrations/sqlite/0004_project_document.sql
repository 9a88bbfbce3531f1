-- The project file text of each project's current version: the audit trail's "before" is
-- read from it in one query instead of reassembling the project from its tables.
alter table project add column document text not null default '';
