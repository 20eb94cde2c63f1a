package dev.switchboard.knowledge;

import java.util.Optional;
import java.util.UUID;

/**
 * The current tenant's knowledge bases, for modules that must tell an unknown (or another tenant's) knowledge base
 * from one that merely has no match before they search it.
 */
public interface KnowledgeBaseCatalog {

    /** The knowledge base with this id in the current tenant, if there is one. */
    Optional<KnowledgeBase> find(UUID id);
}
