-- The audit trail: every change to a project, appended, one hash chain per organisation.
-- Each entry's hash covers its fields and the previous entry's hash, so an edited, inserted
-- or deleted entry breaks the chain (see ARCHITECTURE.md for what this does not prevent).

create table audit_entry (
    audit_entry_id bigint generated always as identity primary key,
    organisation_id bigint not null references organisation (organisation_id),
    -- Position in the organisation's chain: 1, 2, 3 … without gaps.
    seq bigint not null,
    -- When, RFC 3339 UTC.
    at text not null,
    -- Who (a user name, or the command line's user).
    actor text not null,
    -- 'create', 'update' or 'delete'.
    action text not null,
    -- What changed, e.g. 'project:12'.
    object text not null,
    -- The project file text before and after the change ('' when there is none).
    before_text text not null,
    after_text text not null,
    -- Lowercase hex SHA-256 of the previous entry ('' for the first) and of this entry.
    prev_hash text not null,
    hash text not null,
    created_at text not null,
    updated_at text not null,
    constraint audit_entry_seq_unique unique (organisation_id, seq)
);
