package dev.switchboard.chat.internal.turn;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.switchboard.chat.internal.ChatProperties;
import dev.switchboard.knowledge.KnowledgeSearch;
import dev.switchboard.knowledge.SearchHit;
import dev.switchboard.llm.Passage;
import dev.switchboard.persona.Persona;

/**
 * Stage 3: the passages of the persona's knowledge bases that bear on the message (hybrid search). When the
 * best of them falls below the relevance threshold none are used, and the turn knows it searched and found
 * nothing — so the persona says so instead of guessing.
 */
@Component
class Retrieval {

    /** What retrieval found: passages (by chunk id, with the hits they came from) and whether it searched at all. */
    record Retrieved(List<Passage> passages, Map<String, SearchHit> hits, boolean searched, boolean foundNothing) {

        static final Retrieved NONE = new Retrieved(List.of(), Map.of(), false, false);
    }

    private final KnowledgeSearch search;
    private final ChatProperties properties;

    Retrieval(KnowledgeSearch search, ChatProperties properties) {
        this.search = search;
        this.properties = properties;
    }

    /**
     * The hits behind passages found other than by retrieval (a tool's), by chunk id, so that their citations name
     * the document exactly like retrieved ones; passages that are not stored chunks are left out.
     */
    Map<String, SearchHit> hits(List<Passage> passages, Map<String, SearchHit> known) {
        Set<UUID> unknown = new LinkedHashSet<>();
        for (Passage passage : passages) {
            if (!known.containsKey(passage.id())) {
                try {
                    unknown.add(UUID.fromString(passage.id()));
                }
                catch (IllegalArgumentException notAChunk) {
                    // A passage of another tool: cited by its source alone.
                }
            }
        }
        if (unknown.isEmpty()) {
            return known;
        }
        Map<String, SearchHit> hits = new LinkedHashMap<>(known);
        search.chunks(unknown).forEach(hit -> hits.put(hit.chunkId().toString(), hit));
        return hits;
    }

    Retrieved retrieve(Persona persona, String question) {
        if (persona.knowledgeBaseIds().isEmpty() || question.isBlank()) {
            return Retrieved.NONE;
        }
        KnowledgeSearch.Results results = search.search(new LinkedHashSet<>(persona.knowledgeBaseIds()), question,
                properties.passages());
        if (!results.relevant() || results.hits().isEmpty()) {
            return new Retrieved(List.of(), Map.of(), true, true);
        }
        Map<String, SearchHit> hits = new LinkedHashMap<>();
        List<Passage> passages = results.hits().stream().map(hit -> {
            hits.put(hit.chunkId().toString(), hit);
            String source = hit.location() == null || hit.location().isBlank() ? hit.documentName()
                    : hit.documentName() + ", " + hit.location();
            return new Passage(hit.chunkId().toString(), source, hit.text());
        }).toList();
        return new Retrieved(passages, hits, true, false);
    }
}
