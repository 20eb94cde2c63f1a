package dev.switchboard.knowledge.internal;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import dev.switchboard.knowledge.internal.index.IndexFollower;

/**
 * Readiness of the knowledge index ({@code knowledgeIndex} in {@code /health/ready}): out of service until a replica's
 * Lucene index has caught up with the database once after start (a new replica would otherwise answer searches from
 * an index still being filled); up from then on, and always with pgvector (the index is the database).
 */
@Component("knowledgeIndex")
class KnowledgeIndexHealth implements HealthIndicator {

    private final ObjectProvider<IndexFollower> follower;

    KnowledgeIndexHealth(ObjectProvider<IndexFollower> follower) {
        this.follower = follower;
    }

    @Override
    public Health health() {
        IndexFollower following = follower.getIfAvailable();
        return following == null || following.caughtUp() ? Health.up().build() : Health.outOfService().build();
    }
}
