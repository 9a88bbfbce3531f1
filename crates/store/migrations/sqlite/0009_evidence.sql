-- Evidence files (佐证材料) for a project's actual values, kept in the database so that every
-- server process sees them; the type was checked by content when uploaded.

create table evidence (
    evidence_id integer primary key,
    project_id integer not null references project (project_id) on delete cascade,
    -- The indicator (target id) it supports; null for the project as a whole (e.g. the budget).
    target_id text,
    -- The uploaded file name without any directory part.
    file_name text not null,
    -- The media type found from the content, e.g. 'application/pdf'.
    media_type text not null,
    size_bytes integer not null,
    -- Lowercase hex SHA-256 of the content.
    sha256 text not null,
    content blob not null,
    uploaded_by text not null,
    created_at text not null,
    updated_at text not null
);

create index evidence_project on evidence (project_id);
