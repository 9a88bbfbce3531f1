-- Funds: requests for payment (资金申请) that go through the organisation's approval chain,
-- each decision recorded, and the append-only ledger (支出明细) that payments write.

-- An organisation's approval chain, where it differs from the default (the seed's: 部门负责人
-- → 财务负责人 → 分管领导 → 单位负责人, then 出纳 pays). A step may apply only from an amount
-- (min_fen) or below one (below_fen).
create table fund_chain_step (
    organisation_id integer not null references organisation (organisation_id) on delete cascade,
    position integer not null,
    role text not null,
    min_fen bigint,
    below_fen bigint,
    created_at text not null,
    updated_at text not null,
    primary key (organisation_id, position)
);

create table fund_request (
    fund_request_id integer primary key,
    project_id integer not null references project (project_id) on delete cascade,
    applicant_id integer not null references app_user (app_user_id),
    amount_fen bigint not null,
    purpose text not null,
    payee text not null,
    budget_line text,
    -- The roles that decide, in order, frozen when the request is filed (joined by '、').
    chain text not null,
    -- 'pending', 'returned' (to the applicant), 'approved', 'rejected', 'withdrawn' or 'paid'.
    state text not null,
    -- Position in the chain of the next decision (0-based).
    step bigint not null,
    version bigint not null,
    created_at text not null,
    updated_at text not null
);

create index fund_request_project on fund_request (project_id, state);

create table fund_decision (
    fund_decision_id integer primary key,
    fund_request_id integer not null references fund_request (fund_request_id) on delete cascade,
    -- The chain position decided (null for the applicant's own actions and the payment).
    step bigint,
    -- 'file', 'approve', 'reject', 'return', 'resubmit', 'withdraw' or 'pay'.
    decision text not null,
    actor_id integer not null references app_user (app_user_id),
    actor text not null,
    role text not null,
    reason text,
    at text not null,
    created_at text not null,
    updated_at text not null
);

create index fund_decision_request on fund_decision (fund_request_id);

-- The ledger: one line per payment, never changed or deleted; a correction is a reversing
-- line (negative amount) that names the line it reverses and why.
create table ledger_line (
    ledger_line_id integer primary key,
    project_id integer not null references project (project_id) on delete cascade,
    fund_request_id integer references fund_request (fund_request_id),
    paid_on text not null,
    purpose text not null,
    payee text not null,
    amount_fen bigint not null,
    bank_reference text,
    reverses integer references ledger_line (ledger_line_id),
    reason text,
    created_by text not null,
    created_at text not null,
    updated_at text not null
);

create index ledger_line_project on ledger_line (project_id);
create unique index ledger_line_one_payment on ledger_line (fund_request_id);
create unique index ledger_line_one_reversal on ledger_line (reverses);

create trigger ledger_line_append_only_update before update on ledger_line
begin
    select raise(abort, 'ledger_line is append-only');
end;

-- Deleting a project takes its ledger with it; nothing else deletes a line.
create trigger ledger_line_append_only_delete before delete on ledger_line
when (select count(*) from project where project_id = old.project_id) > 0
begin
    select raise(abort, 'ledger_line is append-only');
end;
