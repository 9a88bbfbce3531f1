-- Tokens for programs calling the JSON API (Authorization: Bearer …), one user each.

create table api_token (
    -- Lowercase hex SHA-256 of the token; the token itself is shown once and never stored.
    api_token_id text primary key,
    app_user_id integer not null references app_user (app_user_id) on delete cascade,
    -- What it is for, e.g. the name of the program that uses it.
    name text not null,
    created_at text not null,
    updated_at text not null
);
