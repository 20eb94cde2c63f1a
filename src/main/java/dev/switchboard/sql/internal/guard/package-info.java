/**
 * The SQL guard: decides on the parsed statement — never on text patterns — whether SQL written for a question
 * may run against a registered database (one plain query, allowed tables, columns and functions, a bounded
 * LIMIT), and gives the SQL to run or a reason to act on. See docs/sql.md.
 */
package dev.switchboard.sql.internal.guard;
