=== write: plain insert
INSERT INTO orders (customer_id, status, total, created_at) VALUES (1, 'hacked', 0, now())
=== write: update every row
UPDATE orders SET total = 0
=== write: delete every row
DELETE FROM customers
=== write: merge
MERGE INTO orders o USING customers c ON o.customer_id = c.id WHEN MATCHED THEN UPDATE SET total = 0
=== write: upsert
INSERT INTO products (id, name, price) VALUES (1, 'x', 0) ON CONFLICT (id) DO UPDATE SET price = 0
=== write: insert from select
INSERT INTO audit_log SELECT id + 100, name FROM customers
=== write: truncate
TRUNCATE orders
=== write: truncate cascade
TRUNCATE customers, orders CASCADE
=== write: update with returning
UPDATE employees SET salary = salary * 2 RETURNING *
=== write: delete using
DELETE FROM orders USING customers WHERE orders.customer_id = customers.id
=== ddl: drop table
DROP TABLE secrets
=== ddl: drop schema
DROP SCHEMA sqlguard_sample CASCADE
=== ddl: create table
CREATE TABLE pwned (id int)
=== ddl: create table as
CREATE TABLE stolen AS SELECT * FROM secrets
=== ddl: alter table
ALTER TABLE customers ADD COLUMN pwned int
=== ddl: create index
CREATE INDEX pwned_idx ON orders (total)
=== ddl: create function
CREATE FUNCTION f() RETURNS int AS 'SELECT 1' LANGUAGE sql
=== ddl: create view
CREATE VIEW v AS SELECT * FROM secrets
=== ddl: comment on
COMMENT ON TABLE orders IS 'pwned'
=== ddl: rename
ALTER TABLE orders RENAME TO orders_old
=== ddl: create extension
CREATE EXTENSION dblink
=== admin: grant
GRANT ALL ON ALL TABLES IN SCHEMA sqlguard_sample TO PUBLIC
=== admin: revoke
REVOKE SELECT ON orders FROM sqlguard_reader
=== admin: create role
CREATE ROLE pwned SUPERUSER LOGIN
=== admin: alter role
ALTER ROLE sqlguard_reader SUPERUSER
=== admin: set session
SET default_transaction_read_only = off
=== admin: set role
SET ROLE postgres
=== admin: reset
RESET ALL
=== admin: copy to file
COPY orders TO '/tmp/sqlguard_copy.txt'
=== admin: copy to program
COPY (SELECT 1) TO PROGRAM 'id'
=== admin: copy from
COPY orders FROM '/etc/hostname'
=== admin: call
CALL some_procedure()
=== admin: do block
DO $$ BEGIN DELETE FROM orders; END $$
=== admin: lock table
LOCK TABLE orders IN ACCESS EXCLUSIVE MODE
=== admin: explain analyze
EXPLAIN ANALYZE SELECT * FROM orders
=== admin: explain analyze a write
EXPLAIN ANALYZE DELETE FROM orders
=== admin: explain
EXPLAIN SELECT * FROM orders
=== admin: vacuum
VACUUM orders
=== admin: analyze
ANALYZE orders
=== admin: prepare
PREPARE p AS DELETE FROM orders
=== admin: execute
EXECUTE p
=== admin: listen
LISTEN pwned
=== admin: notify
NOTIFY pwned, 'x'
=== admin: begin
BEGIN
=== admin: commit
COMMIT
=== admin: declare cursor
DECLARE c CURSOR FOR SELECT * FROM secrets
=== admin: refresh materialized view
REFRESH MATERIALIZED VIEW mv
=== admin: security label
SECURITY LABEL ON TABLE orders IS 'x'
=== admin: reindex
REINDEX TABLE orders
=== admin: cluster
CLUSTER orders
=== admin: checkpoint
CHECKPOINT
=== admin: table statement
TABLE secrets
=== stacked: select then drop
SELECT 1 FROM orders; DROP TABLE orders
=== stacked: commit then write
SELECT 1 FROM orders; COMMIT; DELETE FROM orders
=== stacked: set then write
SELECT 1 FROM orders; SET transaction_read_only = off; DELETE FROM orders
=== stacked: two selects
SELECT id FROM orders; SELECT value FROM secrets
=== stacked: newline separated
SELECT id FROM orders
;
DELETE FROM orders
=== stacked: after a comment
SELECT id FROM orders -- harmless
; DROP TABLE customers
=== stacked: inside a block comment ending early
SELECT id FROM orders /* a */ ; /* b */ DELETE FROM orders
=== stacked: semicolon in string then a real one
SELECT ';' FROM orders; DELETE FROM orders
=== stacked: rollback then write
ROLLBACK; DELETE FROM orders
=== stacked: end transaction
SELECT 1 FROM orders; END; DROP TABLE secrets
=== cte-write: delete in with
WITH d AS (DELETE FROM orders RETURNING *) SELECT * FROM d
=== cte-write: update in with
WITH u AS (UPDATE employees SET salary = 0 RETURNING id) SELECT count(*) FROM u
=== cte-write: insert in with
WITH i AS (INSERT INTO audit_log VALUES (99, 'x') RETURNING id) SELECT id FROM i
=== cte-write: writing cte in a nested with
WITH a AS (SELECT 1 AS x), b AS (DELETE FROM orders RETURNING id) SELECT x FROM a
=== cte-write: writing cte unused
WITH gone AS (DELETE FROM customers) SELECT 1 FROM orders
=== lock: for update
SELECT * FROM orders FOR UPDATE
=== lock: for share
SELECT * FROM orders FOR SHARE
=== lock: for no key update
SELECT * FROM orders FOR NO KEY UPDATE
=== lock: for key share
SELECT id FROM orders FOR KEY SHARE
=== lock: for update skip locked
SELECT id FROM orders FOR UPDATE SKIP LOCKED
=== lock: for update nowait
SELECT id FROM orders FOR UPDATE NOWAIT
=== lock: for update of a table in a subquery
SELECT * FROM (SELECT id FROM orders FOR UPDATE) o
=== into: select into a new table
SELECT * INTO stolen FROM secrets
=== into: select into from allowed table
SELECT id INTO TEMP t FROM orders
=== catalogue: pg_catalog table
SELECT * FROM pg_catalog.pg_authid
=== catalogue: unqualified pg_ table
SELECT usename, passwd FROM pg_shadow
=== catalogue: information_schema
SELECT table_name FROM information_schema.tables
=== catalogue: information_schema columns
SELECT column_name FROM information_schema.columns WHERE table_name = 'secrets'
=== catalogue: quoted upper-case schema
SELECT * FROM "PG_CATALOG"."PG_USER"
=== catalogue: quoted lower-case schema
SELECT * FROM "pg_catalog"."pg_user"
=== catalogue: pg_stat_activity
SELECT query FROM pg_stat_activity
=== catalogue: pg_settings
SELECT name, setting FROM pg_settings
=== catalogue: catalogue in a subquery
SELECT id FROM orders WHERE customer_id IN (SELECT oid::int FROM pg_class)
=== catalogue: catalogue in a cte
WITH t AS (SELECT rolname FROM pg_roles) SELECT * FROM t
=== catalogue: catalogue joined
SELECT o.id FROM orders o JOIN pg_namespace n ON true
=== catalogue: toast schema
SELECT * FROM pg_toast.pg_toast_2619
=== catalogue: catalogue in a union
SELECT name FROM customers UNION SELECT usename FROM pg_user
=== catalogue: catalogue through lateral
SELECT c.id FROM customers c, LATERAL (SELECT * FROM pg_user) u
=== tables: table not in the allow-list
SELECT * FROM secrets
=== tables: other schema
SELECT * FROM public.orders
=== tables: schema-qualified secret
SELECT value FROM sqlguard_sample.secrets
=== tables: three-part name
SELECT * FROM test.sqlguard_sample.orders
=== tables: secret in a scalar subquery
SELECT (SELECT value FROM secrets LIMIT 1) FROM orders
=== tables: secret in exists
SELECT id FROM orders WHERE EXISTS (SELECT 1 FROM secrets)
=== tables: cte named like an allowed table hides a secret
WITH orders AS (SELECT * FROM secrets) SELECT * FROM orders
=== tables: cte scope does not reach a sibling
SELECT * FROM (WITH s AS (SELECT 1 AS x) SELECT * FROM s) a, s
=== tables: audit log in a union
SELECT id, name FROM customers UNION ALL SELECT id, message FROM audit_log
=== tables: quoted case trick on a table
SELECT * FROM "ORDERS"
=== tables: secret through a parenthesised join
SELECT o.id FROM (orders o JOIN secrets s ON true)
=== columns: restricted column
SELECT salary FROM employees
=== columns: restricted column in where
SELECT id FROM employees WHERE ssn LIKE '1%'
=== columns: star over restricted table
SELECT * FROM employees
=== columns: table star over restricted table
SELECT e.* FROM employees e
=== columns: masked column filtered
SELECT id FROM customers WHERE email LIKE 'ada%'
=== columns: masked column computed
SELECT upper(email) FROM customers
=== columns: masked column ordered
SELECT name FROM customers ORDER BY email
=== columns: star over masked table
SELECT * FROM customers
=== columns: whole-row reference
SELECT e FROM employees e
=== columns: row to json of restricted table
SELECT to_json(e) FROM employees e
=== columns: column alias renaming
SELECT x.pay FROM employees AS x(id, name, dept, manager_id, pay)
=== columns: natural join
SELECT id FROM employees NATURAL JOIN orders
=== columns: restricted column through a cte
WITH e AS (SELECT ssn FROM employees) SELECT * FROM e
=== columns: restricted column correlated
SELECT id FROM orders o WHERE EXISTS (SELECT 1 FROM employees e WHERE e.salary > o.total)
=== columns: masked column in a subquery select
SELECT * FROM (SELECT email FROM customers) c
=== columns: masked column in a union
SELECT email FROM customers UNION SELECT status FROM orders
=== function: pg_sleep
SELECT pg_sleep(10)
=== function: pg_sleep in where
SELECT id FROM orders WHERE pg_sleep(10) IS NOT NULL
=== function: qualified pg_sleep
SELECT pg_catalog.pg_sleep(10)
=== function: quoted pg_sleep
SELECT "pg_sleep"(10)
=== function: pg_read_file
SELECT pg_read_file('/etc/passwd')
=== function: pg_ls_dir
SELECT pg_ls_dir('.')
=== function: lo_import
SELECT lo_import('/etc/passwd')
=== function: lo_export
SELECT lo_export(1, '/tmp/x')
=== function: dblink
SELECT * FROM dblink('host=evil', 'SELECT 1') AS t(x int)
=== function: nextval
SELECT nextval('orders_id_seq')
=== function: setval
SELECT setval('orders_id_seq', 1)
=== function: set_config
SELECT set_config('default_transaction_read_only', 'off', false)
=== function: current_setting
SELECT current_setting('data_directory')
=== function: query_to_xml
SELECT query_to_xml('SELECT * FROM secrets', true, true, '')
=== function: xmlexists
SELECT id FROM orders WHERE xmlexists('//x' PASSING BY REF '<x/>')
=== function: generate_series
SELECT * FROM generate_series(1, 1000000000)
=== function: generate_series in select
SELECT generate_series(1, 1000000000) FROM orders
=== function: pg_terminate_backend
SELECT pg_terminate_backend(pid) FROM orders
=== function: pg_advisory_lock
SELECT pg_advisory_lock(1)
=== function: txid_current writes an xid
SELECT txid_current()
=== function: repeat to exhaust memory
SELECT repeat('x', 1000000000) FROM orders
=== function: version
SELECT version()
=== function: current_user keyword
SELECT current_user FROM orders
=== function: unknown user function
SELECT my_evil_function(id) FROM orders
=== function: function in from
SELECT * FROM unnest(ARRAY[1, 2]) AS u
=== function: regclass cast
SELECT 'secrets'::regclass FROM orders
=== function: regproc cast trick
SELECT 'pg_sleep'::regproc FROM orders
=== function: cast with cast keyword to regclass
SELECT CAST('secrets' AS regclass) FROM orders
=== function: cast to oid
SELECT id::oid FROM orders
=== function: pg_sleep hidden in a cte
WITH s AS (SELECT pg_sleep(5) AS x) SELECT x FROM s
=== function: pg_sleep hidden in order by
SELECT id FROM orders ORDER BY pg_sleep(1)
=== function: pg_sleep hidden in a window
SELECT id, pg_sleep(1) OVER () FROM orders
=== function: pg_sleep hidden in group by
SELECT count(*) FROM orders GROUP BY pg_sleep(1)
=== function: pg_sleep hidden in join condition
SELECT o.id FROM orders o JOIN customers c ON pg_sleep(1) IS NULL
=== function: pg_sleep hidden in limit
SELECT id FROM orders LIMIT (SELECT 1 FROM pg_sleep(1))
=== comment: line comment hides nothing but stacked drop follows
SELECT id FROM orders --
; DROP TABLE orders
=== comment: nested block comment
SELECT id FROM orders /* outer /* inner */ ; DROP TABLE orders; */
=== comment: unterminated block comment
SELECT id FROM orders /* DELETE FROM orders
=== comment: optimizer hint
SELECT /*+ SeqScan(orders) */ id FROM orders
=== quoting: dollar-quoted string with a semicolon
SELECT $$; DROP TABLE orders; $$ FROM orders
=== quoting: tagged dollar quote
SELECT $x$ ' $x$ FROM orders; DROP TABLE orders
=== quoting: escape string with backslash quote
SELECT E'\'; DROP TABLE orders; --' FROM orders
=== quoting: unicode escape identifier
SELECT * FROM U&"\0070g_user"
=== quoting: unicode escape string
SELECT U&'\0041' FROM orders
=== quoting: backticks are not postgres
SELECT `id` FROM orders
=== quoting: unterminated string
SELECT 'abc FROM orders
=== quoting: quoted identifier with a dot
SELECT * FROM "sqlguard_sample.secrets"
=== unicode: fullwidth semicolon
SELECT id FROM orders；DROP TABLE orders
=== unicode: cyrillic letter in table name
SELECT * FROM оrders
=== unicode: zero width space
SELECT id FROM orders​; DROP TABLE orders
=== unicode: right-to-left override
SELECT id FROM orders ‮WHERE 1=1
=== unicode: fullwidth letters
SELECT * FROM ｐｇ_user
=== unicode: non-breaking space
SELECT id FROM orders
=== half-parsed: trailing garbage
SELECT id FROM orders garbage garbage garbage
=== half-parsed: psql meta command
SELECT id FROM orders \g
=== half-parsed: psql shell escape
\! id
=== half-parsed: empty statement
;
=== half-parsed: only a comment
-- nothing here
=== half-parsed: select from nothing with into
SELECT 1 INTO x
=== half-parsed: values with a subquery on a secret
VALUES ((SELECT value FROM secrets LIMIT 1))
=== half-parsed: fetch first
SELECT id FROM orders FETCH FIRST 1000000 ROWS ONLY
=== half-parsed: limit with a subquery
SELECT id FROM orders LIMIT (SELECT count(*) FROM secrets)
=== half-parsed: negative limit
SELECT id FROM orders LIMIT -1
=== half-parsed: placeholder parameter
SELECT id FROM orders WHERE id = $1
=== half-parsed: bare keyword soup
SELECT SELECT FROM FROM
