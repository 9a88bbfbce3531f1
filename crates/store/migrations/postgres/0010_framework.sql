-- Indicator frameworks uploaded by administrators (the built-in ones live in the binary).
-- A framework is never changed once stored: projects scored with it keep their scores; a
-- changed framework is uploaded under a new name.

create table framework (
    -- The [framework] name of the file, unique and never a built-in name.
    name text primary key,
    title text not null,
    -- The TOML file as uploaded.
    source text not null,
    uploaded_by text not null,
    created_at text not null,
    updated_at text not null
);
