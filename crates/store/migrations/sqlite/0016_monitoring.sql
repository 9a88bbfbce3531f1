-- Run-time monitoring (绩效运行监控, 双监控): the deployment's monitoring rules and working-day
-- calendar, each project's monitoring rounds with a value per indicator, and the warnings a
-- submitted round raised, with their stored response deadline and escalation.

-- Settings edited by administrators, as the text they typed ('monitoring_rules',
-- 'work_calendar'); absent means the shipped default.
create table setting (
    name text primary key,
    body text not null,
    updated_by text not null,
    created_at text not null,
    updated_at text not null
);

create table monitoring_round (
    monitoring_round_id integer primary key,
    project_id integer not null references project (project_id) on delete cascade,
    -- The end of the period the round covers (YYYY-MM-DD); one round per date and project.
    period_end text not null,
    -- 'draft' or 'submitted'.
    state text not null,
    -- 项目绩效目标执行总体情况.
    summary text,
    -- 全年预计执行数, in fen.
    expected_fen bigint,
    -- Snapshot at submission: money spent to period_end (ledger and dated spending lines), the
    -- adjusted budget, and the worst warning level.
    executed_fen bigint,
    budget_fen bigint,
    level text,
    version bigint not null,
    submitted_by text,
    submitted_on text,
    created_at text not null,
    updated_at text not null,
    constraint monitoring_round_unique unique (project_id, period_end)
);

create table monitoring_value (
    monitoring_round_id integer not null references monitoring_round (monitoring_round_id) on delete cascade,
    target_key text not null,
    -- Exact decimals as written.
    achieved text,
    expected text,
    -- 'certain', 'possible' or 'impossible'.
    likelihood text,
    -- Cause ids joined by ',' (funding, rules, staff, hardware, other).
    causes text,
    cause_text text,
    measures text,
    note text,
    created_at text not null,
    updated_at text not null,
    primary key (monitoring_round_id, target_key)
);

create table monitoring_warning (
    monitoring_warning_id integer primary key,
    project_id integer not null references project (project_id) on delete cascade,
    monitoring_round_id integer not null references monitoring_round (monitoring_round_id) on delete cascade,
    kind text not null,
    subject text not null,
    -- 'yellow' or 'red'.
    level text not null,
    message text not null,
    raised_on text not null,
    -- Red warnings: the last working day for the response (YYYY-MM-DD).
    deadline text,
    cause text,
    measure text,
    -- 'continue', 'adjust' or 'stop'.
    decision text,
    responded_by text,
    responded_at text,
    -- Set once, by whichever server process first finds the deadline passed.
    escalated_at text,
    created_at text not null,
    updated_at text not null
);

create index monitoring_warning_project on monitoring_warning (project_id, level);
create index monitoring_warning_due on monitoring_warning (deadline)
    where responded_at is null and escalated_at is null;
create index monitoring_round_project on monitoring_round (project_id, state, period_end);
