-- Each monitored project's latest submitted round and its unanswered red warnings, kept up to
-- date in the transaction of every submission, answer and escalation, so that the overview of
-- thousands of projects reads one row per project instead of aggregating every warning.
create table monitoring_status (
    project_id integer primary key references project (project_id) on delete cascade,
    period_end text not null,
    executed_fen bigint not null,
    budget_fen bigint not null,
    level text not null,
    open_red bigint not null,
    escalated bigint not null,
    updated_at text not null
);

insert into monitoring_status (project_id, period_end, executed_fen, budget_fen, level, open_red,
    escalated, updated_at)
select r.project_id, r.period_end, r.executed_fen, r.budget_fen, r.level,
    (select count(*) from monitoring_warning w where w.project_id = r.project_id
     and w.level = 'red' and w.responded_at is null),
    (select count(*) from monitoring_warning w where w.project_id = r.project_id
     and w.escalated_at is not null and w.responded_at is null),
    r.updated_at
from monitoring_round r
where r.state = 'submitted' and r.period_end = (select max(r2.period_end) from monitoring_round r2
    where r2.project_id = r.project_id and r2.state = 'submitted');
