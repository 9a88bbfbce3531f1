-- Every approved version of a project's target sheet: the first approval and each approved
-- adjustment (调整), oldest first, each the snapshot that was reviewed.

create table target_version (
    project_id bigint not null references project (project_id) on delete cascade,
    -- 1 for the first approval, then one more per approved adjustment.
    seq bigint not null,
    -- 'target_sheet' or 'adjustment'.
    kind text not null,
    snapshot_hash text not null references snapshot (snapshot_hash) on delete cascade,
    -- Who gave the final approval, and when (RFC 3339 UTC).
    approved_by text not null,
    approved_at text not null,
    created_at text not null,
    updated_at text not null,
    primary key (project_id, seq)
);
