-- The project file text moves to a table of its own: a project row stays small, so the
-- project list (sorting and filtering thousands of rows) reads no 30 KB documents.

create table project_document (
    project_id bigint primary key references project (project_id) on delete cascade,
    document text not null
);

insert into project_document (project_id, document) select project_id, document from project;

alter table project drop column document;
