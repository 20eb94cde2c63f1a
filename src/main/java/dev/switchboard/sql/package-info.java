/**
 * Registered databases, their schema catalog, questions turned into SQL, the guard that admits only
 * read-only statements, and the executor that runs them under limits.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Text-to-SQL", allowedDependencies = {"shared", "tenancy", "llm"})
package dev.switchboard.sql;
