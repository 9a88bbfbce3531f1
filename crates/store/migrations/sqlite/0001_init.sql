-- The first schema: organisations and projects with everything a project file holds.
-- Money is integer fen, scores are integer hundredths of a point, exact decimals are text
-- as written ("1140", "0.5"), dates are text (YYYY-MM-DD), lists are JSON arrays of text.

create table organisation (
    organisation_id integer primary key,
    -- The organisation above this one; null for the top (the finance bureau).
    parent_id integer references organisation (organisation_id),
    name text not null,
    -- 财政局, 部门 or 处室.
    kind text not null,
    created_at text not null,
    updated_at text not null,
    constraint organisation_name_unique unique (name)
);

create table project (
    project_id integer primary key,
    organisation_id integer not null references organisation (organisation_id),
    code text not null,
    name text not null,
    year integer not null,
    department text not null,
    office text,
    category text,
    nature text,
    supervisor text,
    contact text,
    start_date text,
    end_date text,
    overall_goal text,
    annual_goal text,
    -- JSON array of role names, applicant first, payer last.
    approval_chain text not null,
    appropriation_fen bigint not null,
    approval_document text,
    -- Optimistic locking: every save must name the version it read.
    version bigint not null,
    created_at text not null,
    updated_at text not null,
    constraint project_unique unique (organisation_id, year, name)
);

create table policy_document (
    project_id integer not null references project (project_id) on delete cascade,
    position integer not null,
    title text not null,
    number text,
    issuer text,
    created_at text not null,
    primary key (project_id, position)
);

create table project_fact (
    project_id integer not null references project (project_id) on delete cascade,
    position integer not null,
    name text not null,
    value text not null,
    unit text not null,
    source text,
    note text,
    created_at text not null,
    primary key (project_id, position)
);

create table budget_adjustment (
    project_id integer not null references project (project_id) on delete cascade,
    position integer not null,
    adjusted_on text,
    amount_fen bigint not null,
    document text,
    reason text,
    created_at text not null,
    primary key (project_id, position)
);

create table fund_receipt (
    project_id integer not null references project (project_id) on delete cascade,
    position integer not null,
    -- 当年财政拨款, 上年结转资金 or 其他资金.
    source text not null,
    received_on text,
    amount_fen bigint not null,
    note text,
    created_at text not null,
    primary key (project_id, position)
);

create table spending_line (
    project_id integer not null references project (project_id) on delete cascade,
    position integer not null,
    paid_on text,
    purpose text not null,
    amount_fen bigint not null,
    payee text,
    functional_code text,
    economic_code text,
    -- JSON array of the target ids whose output this spending produced.
    target_ids text not null,
    note text,
    created_at text not null,
    primary key (project_id, position)
);

create table target (
    project_id integer not null references project (project_id) on delete cascade,
    position integer not null,
    -- The id the project file gives it (T01), unique in the project.
    target_key text not null,
    category text not null,
    subcategory text not null,
    name text not null,
    comparator text not null,
    -- Exactly one of value_number (a decimal as text) and value_text.
    value_number text,
    value_text text,
    unit text not null,
    direction text not null,
    weight_centi bigint,
    explanation text,
    basis text,
    -- The actual value, when recorded: 'number', 'counts' or 'text' with its fields.
    actual_kind text,
    actual_number text,
    actual_unit text,
    actual_numerator text,
    actual_denominator text,
    actual_text text,
    actual_note text,
    deviation_reason text,
    measures text,
    -- JSON array of evidence references.
    evidence text,
    created_at text not null,
    primary key (project_id, position),
    constraint target_key_unique unique (project_id, target_key)
);

create table evaluation (
    project_id integer primary key references project (project_id) on delete cascade,
    kind text,
    framework text,
    leader text,
    -- JSON arrays of text.
    members text not null,
    principles text not null,
    methods text not null,
    start_date text,
    end_date text,
    signed_on text,
    cutoff_on text,
    limitations text,
    claimed_total_centi bigint,
    claimed_grade text,
    claimed_source text,
    created_at text not null,
    updated_at text not null
);

-- Per framework node: a weight or name set by the evaluation, and the unit's claimed score.
create table evaluation_node (
    project_id integer not null references project (project_id) on delete cascade,
    code text not null,
    weight_centi bigint,
    name text,
    claimed_centi bigint,
    created_at text not null,
    primary key (project_id, code)
);

create table judgment (
    project_id integer not null references project (project_id) on delete cascade,
    position integer not null,
    -- 'node' (a framework code) or 'target' (a target id).
    subject_kind text not null,
    subject text not null,
    -- 'score', 'share', 'deduction' or 'not_applicable'; the value as exact text.
    verdict_kind text not null,
    verdict_value text,
    tier text,
    reason text,
    evidence text not null,
    created_at text not null,
    primary key (project_id, position)
);

create table narrative_section (
    project_id integer not null references project (project_id) on delete cascade,
    section_key text not null,
    body text not null,
    created_at text not null,
    primary key (project_id, section_key)
);
