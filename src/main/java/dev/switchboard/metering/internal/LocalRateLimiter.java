package dev.switchboard.metering.internal;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.switchboard.metering.Limit;
import dev.switchboard.metering.RateDecision;
import dev.switchboard.metering.RateLimiter;

import io.github.bucket4j.Bucket;

/** Buckets in this process: exact for one replica; with several, each keeps its own (use Redis then). */
class LocalRateLimiter implements RateLimiter {

    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .maximumSize(200_000)
            .expireAfterAccess(Duration.ofHours(2))
            .build();

    @Override
    public RateDecision consume(Limit limit, String key, long tokens) {
        return RateDecisions.of(limit, bucket(limit, key).tryConsumeAndReturnRemaining(tokens));
    }

    @Override
    public void refund(Limit limit, String key, long tokens) {
        bucket(limit, key).addTokens(tokens);
    }

    @Override
    public void charge(Limit limit, String key, long tokens) {
        bucket(limit, key).consumeIgnoringRateLimits(tokens);
    }

    private Bucket bucket(Limit limit, String key) {
        return buckets.get(limit.name() + ':' + key, k -> Bucket.builder()
                .addLimit(l -> l.capacity(limit.capacity()).refillGreedy(limit.capacity(), limit.period()))
                .build());
    }
}
