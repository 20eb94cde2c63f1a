/**
 * Registered databases, their schema catalog, questions turned into SQL, the guard that admits only
 * read-only statements, and the executor that runs them under limits.
 *
 * <p>Besides shared, tenancy and llm (the models that write SQL, the embedding similarity that chooses tables), it
 * uses identity: who the caller is and their role decide which registered databases they may use, and changes to
 * registered databases and every question asked are audited as {@code identity.SecurityEventOccurred}. It uses persona
 * for the provider chain of the agent a question names (and whose tool asks it).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Text-to-SQL", allowedDependencies = {"shared", "tenancy", "llm", "identity",
        "persona"})
package dev.switchboard.sql;
