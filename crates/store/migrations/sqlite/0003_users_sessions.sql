-- People who log in, and their sessions.

create table app_user (
    app_user_id integer primary key,
    organisation_id integer not null references organisation (organisation_id),
    username text not null,
    display_name text not null,
    -- A role of DESIGN.md by its Chinese name (经办人, 财政局审核, 管理员 …).
    role text not null,
    -- argon2id in PHC format; the password itself is never stored.
    password_hash text not null,
    -- Failed log-ins in a row, and until when the account is locked after five.
    failed_logins bigint not null,
    locked_until text,
    created_at text not null,
    updated_at text not null,
    constraint app_user_username_unique unique (username)
);

create table app_session (
    -- Lowercase hex SHA-256 of the session token; the token itself is only in the cookie.
    app_session_id text primary key,
    app_user_id integer not null references app_user (app_user_id) on delete cascade,
    -- The token forms must carry (CSRF).
    csrf_token text not null,
    -- The session ends at expires_at (absolute) or after a long pause since last_seen_at.
    last_seen_at text not null,
    expires_at text not null,
    created_at text not null,
    updated_at text not null
);
