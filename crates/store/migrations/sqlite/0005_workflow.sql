-- Review workflows: the state of each project's target sheet and self-evaluation, every step
-- taken, and the frozen copies (snapshots) that submitted work is judged on.

create table workflow (
    project_id integer not null references project (project_id) on delete cascade,
    -- 'target_sheet' or 'self_evaluation'.
    kind text not null,
    -- 'draft', 'submitted', 'department_review', 'finance_review' or 'approved'.
    state text not null,
    -- The snapshot the work was last submitted as (null before the first submission).
    snapshot_hash text,
    version bigint not null,
    created_at text not null,
    updated_at text not null,
    primary key (project_id, kind)
);

create table workflow_step (
    workflow_step_id integer primary key,
    project_id integer not null references project (project_id) on delete cascade,
    kind text not null,
    -- 'submit', 'approve' or 'return'.
    action text not null,
    from_state text not null,
    to_state text not null,
    actor text not null,
    -- Why (mandatory for a return).
    reason text,
    at text not null,
    created_at text not null,
    updated_at text not null
);

create table snapshot (
    -- Lowercase hex SHA-256 of the document.
    snapshot_hash text primary key,
    project_id integer not null references project (project_id) on delete cascade,
    -- The project file text as it was submitted.
    document text not null,
    created_at text not null,
    updated_at text not null
);
