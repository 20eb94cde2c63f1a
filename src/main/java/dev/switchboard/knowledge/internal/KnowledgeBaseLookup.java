package dev.switchboard.knowledge.internal;

import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;

import dev.switchboard.knowledge.KnowledgeBase;
import dev.switchboard.knowledge.KnowledgeBaseCatalog;

/** {@link KnowledgeBaseCatalog} over {@link KnowledgeBases} (row-level security keeps other tenants' out of sight). */
@Service
class KnowledgeBaseLookup implements KnowledgeBaseCatalog {

    private final KnowledgeBases bases;

    KnowledgeBaseLookup(KnowledgeBases bases) {
        this.bases = bases;
    }

    @Override
    public Optional<KnowledgeBase> find(UUID id) {
        return bases.find(id);
    }
}
