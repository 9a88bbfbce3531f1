-- The home page's recent changes read the newest entries: by time, through an index, so that
-- the large before/after texts of older entries are never read.

create index audit_entry_at on audit_entry (at);
