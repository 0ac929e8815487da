-- Indexes on the columns the side-by-side filters and orders by (issue 16).
-- PostGraphile 5 offers a column in condition/filter/orderBy only when an
-- index (without a predicate) has it as a key (PgIndexBehaviorsPlugin), and
-- PostgreSQL needs them to read a page of a filter without scanning.
-- Yurong reads from its in-memory read model, so they cost it nothing but
-- write time. Names start with pgbench_ so they are easy to drop:
--   DROP INDEX pgbench_enterprises_city, ...;
CREATE INDEX IF NOT EXISTS pgbench_enterprises_city ON enterprises (city, id);
CREATE INDEX IF NOT EXISTS pgbench_enterprises_track ON enterprises (track, id);
CREATE INDEX IF NOT EXISTS pgbench_enterprises_founded_on ON enterprises (founded_on, id);
CREATE INDEX IF NOT EXISTS pgbench_enterprises_name ON enterprises (name, id);
CREATE INDEX IF NOT EXISTS pgbench_enterprises_updated_at ON enterprises (updated_at, id);
CREATE INDEX IF NOT EXISTS pgbench_financial_products_kind ON financial_products (kind, id);
CREATE INDEX IF NOT EXISTS pgbench_financial_products_program ON financial_products (program, id);
ANALYZE enterprises;
ANALYZE financial_products;
ANALYZE institutions;
