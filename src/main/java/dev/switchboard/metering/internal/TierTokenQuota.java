package dev.switchboard.metering.internal;

import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Component;

import dev.switchboard.identity.Caller;
import dev.switchboard.metering.Bucket;
import dev.switchboard.metering.Limit;
import dev.switchboard.metering.RateDecision;
import dev.switchboard.metering.RateLimiter;
import dev.switchboard.metering.TokenQuota;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@link TokenQuota} on the same buckets as the rate limits (in Redis when configured): the user's bucket at
 * the user's tier and, for a key, the key's bucket at the key's tier. A reservation takes from every bucket or
 * from none, atomically ({@link RateLimiter#consume(List, long)}): a refusal takes nothing. Each refusal counts in
 * {@code switchboard_rate_limit_rejections_total{limit="tokens"}}, beside the request limits' refusals.
 */
@Component
class TierTokenQuota implements TokenQuota {

    private final RateLimiter buckets;
    private final MeteringProperties properties;
    private final MeterRegistry meters;

    TierTokenQuota(RateLimiter buckets, MeteringProperties properties, MeterRegistry meters) {
        this.buckets = buckets;
        this.properties = properties;
        this.meters = meters;
    }

    @Override
    public Result reserve(Caller caller, long tokens) {
        List<Bucket> drawnOn = bucketsOf(caller);
        RateDecision decision = buckets.consume(drawnOn, tokens);
        if (!decision.allowed()) {
            meters.counter("switchboard.rate_limit.rejections", "limit", TooManyRequests.limitFamily(decision.limit().name()))
                    .increment();
        }
        return new Result(decision.allowed() ? Optional.of(new Reservation(drawnOn, tokens)) : Optional.empty(), decision);
    }

    @Override
    public void settle(Reservation reservation, long usedTokens) {
        long difference = reservation.reserved() - usedTokens;
        for (Bucket bucket : reservation.buckets()) {
            if (difference > 0) {
                buckets.refund(bucket.limit(), bucket.key(), difference);
            }
            else if (difference < 0) {
                buckets.charge(bucket.limit(), bucket.key(), -difference);
            }
        }
    }

    /** The key's bucket (for a key) and the user's, which every credential of the user shares. */
    private List<Bucket> bucketsOf(Caller caller) {
        Bucket user = new Bucket(limit(properties.userTierOf(caller)), MeteringProperties.userBucketKey(caller));
        if (caller.apiKeyId() == null) {
            return List.of(user);
        }
        return List.of(new Bucket(limit(properties.tierOf(caller)), MeteringProperties.bucketKey(caller)), user);
    }

    private Limit limit(String tier) {
        return new Limit("tokens-" + tier, properties.tier(tier).tokensPerDay(), PERIOD);
    }
}
