-- Each organisation's review chain: who takes the reviews inside the department, where it
-- differs from the default (0005_workflow). A step without a row has its default reviewers.

create table review_step (
    organisation_id integer not null references organisation (organisation_id) on delete cascade,
    -- 'target_sheet' or 'self_evaluation'.
    kind text not null,
    -- The state the step leaves: 'submitted' or 'department_review'.
    state text not null,
    -- The roles that take the step, Chinese names joined by '、', e.g. '财务负责人、单位负责人'.
    roles text not null,
    created_at text not null,
    updated_at text not null,
    primary key (organisation_id, kind, state)
);
