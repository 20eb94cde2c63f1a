package dev.switchboard.metering.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.metering.Bucket;
import dev.switchboard.metering.Limit;
import dev.switchboard.metering.RateDecision;
import dev.switchboard.metering.RateLimiter;
import io.github.bucket4j.EstimationProbe;

/**
 * Buckets in this process: exact for one replica; with several, each keeps its own (use Redis then). A decision
 * on several buckets holds each bucket's monitor, taken in the order of the bucket names so that two decisions
 * never wait for each other; every operation on a bucket holds its monitor, so no one sees half a decision.
 */
class LocalRateLimiter implements RateLimiter {

    private final Cache<String, io.github.bucket4j.Bucket> buckets = Caffeine.newBuilder()
            .maximumSize(200_000)
            .expireAfterAccess(Duration.ofHours(2))
            .build();

    @Override
    public RateDecision consume(List<Bucket> wanted, long tokens) {
        List<Held> held = wanted.stream().map(b -> held(b.limit(), b.key()))
                .sorted(Comparator.comparing(Held::name)).toList();
        return locked(held, 0, () -> consumeHeld(held, tokens));
    }

    /** Runs {@code decision} holding the monitors of {@code held} from {@code from} on. */
    private <T> T locked(List<Held> held, int from, Supplier<T> decision) {
        if (from == held.size()) {
            return decision.get();
        }
        synchronized (held.get(from).bucket()) {
            return locked(held, from + 1, decision);
        }
    }

    private RateDecision consumeHeld(List<Held> held, long tokens) {
        List<RateDecision> refused = new ArrayList<>();
        for (Held h : held) {
            EstimationProbe estimate = h.bucket().estimateAbilityToConsume(tokens);
            if (!estimate.canBeConsumed()) {
                refused.add(RateDecisions.of(h.limit(), false, estimate.getRemainingTokens(), tokens));
            }
        }
        if (!refused.isEmpty()) {
            return RateDecisions.closestToRefusal(refused);
        }
        // Every bucket has the tokens and no one else can take them while the monitors are held.
        return RateDecisions.closestToRefusal(held.stream()
                .map(h -> RateDecisions.of(h.limit(), h.bucket().tryConsumeAndReturnRemaining(tokens)))
                .toList());
    }

    @Override
    public void refund(Limit limit, String key, long tokens) {
        io.github.bucket4j.Bucket bucket = held(limit, key).bucket();
        synchronized (bucket) {
            bucket.addTokens(tokens);
        }
    }

    @Override
    public void charge(Limit limit, String key, long tokens) {
        io.github.bucket4j.Bucket bucket = held(limit, key).bucket();
        synchronized (bucket) {
            bucket.consumeIgnoringRateLimits(tokens);
        }
    }

    /** The bucket, resolved once per decision: the same object is locked and used. */
    private Held held(Limit limit, String key) {
        String name = limit.name() + ':' + key;
        return new Held(limit, name, buckets.get(name, k -> io.github.bucket4j.Bucket.builder()
                .addLimit(l -> l.capacity(limit.capacity()).refillGreedy(limit.capacity(), limit.period()))
                .build()));
    }

    private record Held(Limit limit, String name, io.github.bucket4j.Bucket bucket) {
    }
}
