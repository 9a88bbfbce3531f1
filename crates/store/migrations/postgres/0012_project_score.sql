-- The computed total and grade of each project, kept with every save so that the project list
-- can filter and sort by them without scoring thousands of projects per request. Null when
-- the project names no known framework.

alter table project add column score_centi bigint;
alter table project add column grade text;

create index project_year on project (year);
