/**
 * Registered databases, their schema catalog, questions turned into SQL, the guard that admits only
 * read-only statements, and the executor that runs them under limits.
 *
 * <p>Besides shared, tenancy and llm (the models that write SQL, the embedding similarity that chooses tables), it
 * uses identity: who the caller is and their role decide which registered databases they may use, and changes to
 * registered databases are audited as {@code identity.SecurityEventOccurred}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Text-to-SQL", allowedDependencies = {"shared", "tenancy", "llm", "identity"})
package dev.switchboard.sql;
