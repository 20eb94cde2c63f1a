package dev.switchboard.knowledge.internal.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random chunks spread over three tenants and three knowledge bases, random searches: every hit is in the
 * searched tenant and knowledge bases, and a search returns min(limit, chunks in scope) hits, so the filter works
 * inside the search rather than after it. Run against each implementation by a subclass; every try works in tenants
 * and knowledge bases of its own, so the index may be shared by all tries.
 */
abstract class ChunkIndexIsolationPropertyTests {
    static final List<String> WORDS = List.of("alpha", "beta", "gamma", "delta");

    record Placed(int tenant, int base, int word, float x, float y) {
    }

    record Search(int tenant, Set<Integer> bases, int word, int limit) {
    }

    @Provide
    Arbitrary<List<Placed>> chunks() {
        return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 2), Arbitraries.integers()
                .between(0, 3),
                Arbitraries.floats().between(0.1f, 1), Arbitraries.floats().between(-1, 1)).as(Placed::new).list().ofMinSize(1).ofMaxSize(
                        60);
    }

    @Provide
    Arbitrary<Search> searches() {
        return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 2).set().ofMinSize(1),
                Arbitraries.integers().between(0, 3), Arbitraries.integers().between(1, 40)).as(Search::new);
    }

    /** The index under test, the same for every try. */
    abstract ChunkIndex index();

    @Property(tries = 60)
    void searchesStayInScopeAndFillTheirLimit(@ForAll("chunks") List<Placed> placed, @ForAll("searches") Search search) {
        List<UUID> tenants = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        List<UUID> knowledgeBases = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        List<IndexedChunk> chunks = new ArrayList<>();
        for (Placed p : placed) {
            chunks.add(new IndexedChunk(tenants.get(p.tenant()), knowledgeBases.get(p.base()), UUID.randomUUID(), "d", UUID.randomUUID(), 0,
                    "",
                    WORDS.get(p.word()) + " text", "m", new float[] {p.x(), p.y()}));
        }
        ChunkIndex index = index();
        index.upsert(chunks);
        UUID tenant = tenants.get(search.tenant());
        Set<UUID> bases = new HashSet<>();
        search.bases().forEach(base -> bases.add(knowledgeBases.get(base)));

        long inScope = placed.stream().filter(p -> p.tenant() == search.tenant() && search.bases().contains(p.base())).count();
        long inScopeWithWord = placed.stream()
                .filter(p -> p.tenant() == search.tenant() && search.bases().contains(p.base()) && p.word() == search.word()).count();
        Set<UUID> allowed = new HashSet<>();
        chunks.stream().filter(c -> c.tenantId().equals(tenant) && bases.contains(c.knowledgeBaseId())).forEach(c -> allowed.add(c
                .chunkId()));

        List<ChunkHit> dense = index.dense(tenant, bases, "m", new float[] {1, 0}, search.limit());
        List<ChunkHit> lexical = index.lexical(tenant, bases, WORDS.get(search.word()), search.limit());

        assertThat(dense).hasSize((int) Math.min(search.limit(), inScope)).allSatisfy(hit -> assertThat(allowed).contains(hit.chunkId()));
        assertThat(lexical).hasSize((int) Math.min(search.limit(), inScopeWithWord)).allSatisfy(hit -> assertThat(allowed).contains(hit
                .chunkId()));
    }
}
