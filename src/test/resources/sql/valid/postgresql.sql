=== basic: every customer's name and city
SELECT id, name, city FROM customers ORDER BY id
=== basic: products over 50
SELECT name, price FROM products WHERE price > 50 ORDER BY price DESC
=== basic: all order columns
SELECT * FROM orders ORDER BY id
=== basic: distinct cities
SELECT DISTINCT city FROM customers ORDER BY city
=== basic: like filter
SELECT name FROM customers WHERE name LIKE 'A%' ORDER BY name
=== basic: in list
SELECT id, status FROM orders WHERE status IN ('pending', 'cancelled') ORDER BY id
=== basic: between dates
SELECT id, total FROM orders WHERE created_at BETWEEN '2025-03-01' AND '2025-06-30' ORDER BY id
=== basic: null check
SELECT id FROM orders WHERE note IS NOT NULL ORDER BY id
=== basic: masked email selected as it is
SELECT id, name, email FROM customers ORDER BY id
=== basic: allowed employee columns
SELECT id, name, dept, manager_id FROM employees ORDER BY id
=== aggregate: count of orders
SELECT count(*) FROM orders
=== aggregate: revenue per status
SELECT status, sum(total) AS revenue, count(*) AS orders FROM orders GROUP BY status ORDER BY status
=== aggregate: average order value per customer with having
SELECT customer_id, avg(total) AS average FROM orders GROUP BY customer_id HAVING count(*) > 1 ORDER BY customer_id
=== aggregate: revenue per month
SELECT date_trunc('month', created_at) AS month, sum(total) AS revenue FROM orders GROUP BY month ORDER BY month
=== aggregate: min max
SELECT min(price), max(price), round(avg(price), 2) FROM products
=== aggregate: string_agg of names per city
SELECT city, string_agg(name, ', ' ORDER BY name) AS people FROM customers GROUP BY city ORDER BY city
=== aggregate: count distinct
SELECT count(DISTINCT customer_id) FROM orders
=== aggregate: filter clause emulated with case
SELECT sum(CASE WHEN status = 'shipped' THEN total ELSE 0 END) AS shipped, sum(total) AS all_orders FROM orders
=== join: orders with customer names
SELECT o.id, c.name, o.total FROM orders o JOIN customers c ON c.id = o.customer_id ORDER BY o.id
=== join: revenue per customer name
SELECT c.name, sum(o.total) AS spent FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.name ORDER BY spent DESC, c.name
=== join: customers without orders
SELECT c.name FROM customers c LEFT JOIN orders o ON o.customer_id = c.id WHERE o.id IS NULL ORDER BY c.name
=== join: three tables
SELECT o.id, p.name, i.quantity FROM orders o JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id ORDER BY o.id, p.name
=== join: units sold per category
SELECT p.category, sum(i.quantity) AS units FROM order_items i JOIN products p ON p.id = i.product_id GROUP BY p.category ORDER BY p.category
=== join: self join managers
SELECT e.name, m.name AS manager FROM employees e LEFT JOIN employees m ON m.id = e.manager_id ORDER BY e.id
=== join: cross join small
SELECT c.city, p.category FROM customers c CROSS JOIN products p WHERE c.id = 1 AND p.price < 50 ORDER BY p.category
=== subquery: customers with a big order
SELECT name FROM customers WHERE id IN (SELECT customer_id FROM orders WHERE total > 150) ORDER BY name
=== subquery: exists
SELECT c.name FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.status = 'pending') ORDER BY c.name
=== subquery: scalar in select
SELECT p.name, (SELECT count(*) FROM order_items i WHERE i.product_id = p.id) AS times_ordered FROM products p ORDER BY p.id
=== subquery: derived table
SELECT t.customer_id, t.spent FROM (SELECT customer_id, sum(total) AS spent FROM orders GROUP BY customer_id) t WHERE t.spent > 100 ORDER BY t.customer_id
=== subquery: above average
SELECT id, total FROM orders WHERE total > (SELECT avg(total) FROM orders) ORDER BY id
=== cte: top customers
WITH spend AS (SELECT customer_id, sum(total) AS spent FROM orders GROUP BY customer_id) SELECT c.name, s.spent FROM spend s JOIN customers c ON c.id = s.customer_id ORDER BY s.spent DESC LIMIT 3
=== cte: two ctes
WITH shipped AS (SELECT * FROM orders WHERE status = 'shipped'), per_customer AS (SELECT customer_id, count(*) AS n FROM shipped GROUP BY customer_id) SELECT customer_id, n FROM per_customer ORDER BY customer_id
=== cte: recursive management chain
WITH RECURSIVE chain(id, name, depth) AS (SELECT id, name, 0 FROM employees WHERE manager_id IS NULL UNION ALL SELECT e.id, e.name, c.depth + 1 FROM employees e JOIN chain c ON e.manager_id = c.id) SELECT name, depth FROM chain ORDER BY depth, name
=== cte: recursive counter bounded
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5) SELECT i FROM n
=== window: rank orders by total
SELECT id, total, rank() OVER (ORDER BY total DESC) AS position FROM orders ORDER BY position, id
=== window: running total per customer
SELECT customer_id, id, sum(total) OVER (PARTITION BY customer_id ORDER BY created_at) AS running FROM orders ORDER BY customer_id, id
=== window: row number per city
SELECT name, city, row_number() OVER (PARTITION BY city ORDER BY name) AS n FROM customers ORDER BY city, n
=== window: lag
SELECT id, total, lag(total) OVER (ORDER BY id) AS previous FROM orders ORDER BY id
=== set: union of names
SELECT name FROM customers UNION SELECT name FROM products ORDER BY name
=== set: union all with limit
SELECT city AS label FROM customers UNION ALL SELECT category FROM products ORDER BY label LIMIT 5
=== set: intersect
SELECT customer_id FROM orders WHERE status = 'shipped' INTERSECT SELECT customer_id FROM orders WHERE status = 'pending' ORDER BY customer_id
=== set: except
SELECT id FROM customers EXCEPT SELECT customer_id FROM orders ORDER BY id
=== expression: case buckets
SELECT id, CASE WHEN total >= 150 THEN 'large' WHEN total >= 50 THEN 'medium' ELSE 'small' END AS size FROM orders ORDER BY id
=== expression: casts and arithmetic
SELECT id, CAST(total AS integer) AS whole, total::numeric * 1.2 AS with_tax FROM orders ORDER BY id
=== expression: string functions
SELECT upper(name), length(name), substring(name FROM 1 FOR 3), position('a' IN name) FROM customers ORDER BY id
=== expression: date parts
SELECT id, extract(year FROM created_at) AS y, to_char(created_at, 'YYYY-MM') AS ym FROM orders ORDER BY id
=== expression: coalesce
SELECT id, coalesce(note, '(none)') FROM orders ORDER BY id
=== expression: interval arithmetic
SELECT count(*) FROM orders WHERE created_at > TIMESTAMP '2025-10-10 10:10:00' - INTERVAL '30 days'
=== limit: own limit under the cap
SELECT id FROM orders ORDER BY id LIMIT 3
=== limit: offset
SELECT id FROM orders ORDER BY id LIMIT 3 OFFSET 2
=== limit: over the cap
SELECT id FROM orders ORDER BY id LIMIT 1000
=== values: a values list
VALUES (1, 'one'), (2, 'two')
