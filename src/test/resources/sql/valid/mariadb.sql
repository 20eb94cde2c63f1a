=== basic: every customer's name and city
SELECT id, name, city FROM customers ORDER BY id
=== basic: products over 50
SELECT name, price FROM products WHERE price > 50 ORDER BY price DESC
=== basic: all order columns
SELECT * FROM orders ORDER BY id
=== basic: backtick quoted names
SELECT `id`, `name` FROM `products` ORDER BY `id`
=== basic: distinct cities
SELECT DISTINCT city FROM customers ORDER BY city
=== basic: like filter
SELECT name FROM customers WHERE name LIKE 'A%' ORDER BY name
=== basic: in list
SELECT id, status FROM orders WHERE status IN ('pending', 'cancelled') ORDER BY id
=== basic: masked email selected as it is
SELECT id, name, email FROM customers ORDER BY id
=== basic: allowed employee columns
SELECT id, name, dept, manager_id FROM employees ORDER BY id
=== aggregate: count of orders
SELECT COUNT(*) FROM orders
=== aggregate: revenue per status
SELECT status, SUM(total) AS revenue, COUNT(*) AS orders FROM orders GROUP BY status ORDER BY status
=== aggregate: having
SELECT customer_id, AVG(total) AS average FROM orders GROUP BY customer_id HAVING COUNT(*) > 1 ORDER BY customer_id
=== aggregate: revenue per month
SELECT DATE_FORMAT(created_at, '%Y-%m') AS month, SUM(total) AS revenue FROM orders GROUP BY DATE_FORMAT(created_at, '%Y-%m') ORDER BY month
=== aggregate: group_concat
SELECT city, GROUP_CONCAT(name ORDER BY name SEPARATOR ', ') AS people FROM customers GROUP BY city ORDER BY city
=== aggregate: count distinct
SELECT COUNT(DISTINCT customer_id) FROM orders
=== join: orders with customer names
SELECT o.id, c.name, o.total FROM orders o JOIN customers c ON c.id = o.customer_id ORDER BY o.id
=== join: customers without orders
SELECT c.name FROM customers c LEFT JOIN orders o ON o.customer_id = c.id WHERE o.id IS NULL ORDER BY c.name
=== join: three tables
SELECT o.id, p.name, i.quantity FROM orders o JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id ORDER BY o.id, p.name
=== join: self join managers
SELECT e.name, m.name AS manager FROM employees e LEFT JOIN employees m ON m.id = e.manager_id ORDER BY e.id
=== subquery: in
SELECT name FROM customers WHERE id IN (SELECT customer_id FROM orders WHERE total > 150) ORDER BY name
=== subquery: exists
SELECT c.name FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.status = 'pending') ORDER BY c.name
=== subquery: derived table
SELECT t.customer_id, t.spent FROM (SELECT customer_id, SUM(total) AS spent FROM orders GROUP BY customer_id) t WHERE t.spent > 100 ORDER BY t.customer_id
=== cte: top customers
WITH spend AS (SELECT customer_id, SUM(total) AS spent FROM orders GROUP BY customer_id) SELECT c.name, s.spent FROM spend s JOIN customers c ON c.id = s.customer_id ORDER BY s.spent DESC LIMIT 3
=== cte: recursive counter
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5) SELECT i FROM n
=== window: rank
SELECT id, total, RANK() OVER (ORDER BY total DESC) AS position FROM orders ORDER BY position, id
=== window: running total
SELECT customer_id, id, SUM(total) OVER (PARTITION BY customer_id ORDER BY created_at) AS running FROM orders ORDER BY customer_id, id
=== set: union
SELECT name FROM customers UNION SELECT name FROM products ORDER BY name
=== set: union all with limit
SELECT city AS label FROM customers UNION ALL SELECT category FROM products ORDER BY label LIMIT 5
=== expression: if and case
SELECT id, IF(total > 100, 'big', 'small') AS size, CASE status WHEN 'shipped' THEN 1 ELSE 0 END AS done FROM orders ORDER BY id
=== expression: date functions
SELECT id, YEAR(created_at) AS y, DATEDIFF('2025-12-31', created_at) AS days_left FROM orders ORDER BY id
=== expression: date_sub interval
SELECT COUNT(*) FROM orders WHERE created_at > DATE_SUB('2025-10-10 10:10:00', INTERVAL 30 DAY)
=== expression: string functions
SELECT UPPER(name), CHAR_LENGTH(name), CONCAT(name, ' (', city, ')') FROM customers ORDER BY id
=== expression: ifnull
SELECT id, IFNULL(note, '(none)') FROM orders ORDER BY id
=== limit: mysql offset form
SELECT id FROM orders ORDER BY id LIMIT 2, 3
=== limit: over the cap
SELECT id FROM orders ORDER BY id LIMIT 1000
