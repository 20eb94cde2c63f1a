package dev.switchboard.metering.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.switchboard.identity.Caller;
import dev.switchboard.metering.Limit;
import dev.switchboard.metering.RateDecision;
import dev.switchboard.metering.RateLimiter;
import dev.switchboard.metering.TokenQuota;

import org.springframework.stereotype.Component;

/**
 * {@link TokenQuota} on the same buckets as the rate limits (in Redis when configured): the user's bucket at
 * the user's tier and, for a key, the key's bucket at the key's tier. A reservation takes from every bucket or
 * from none: a refusal puts back what the buckets before it gave.
 */
@Component
class TierTokenQuota implements TokenQuota {

    private final RateLimiter buckets;
    private final MeteringProperties properties;

    TierTokenQuota(RateLimiter buckets, MeteringProperties properties) {
        this.buckets = buckets;
        this.properties = properties;
    }

    @Override
    public Result reserve(Caller caller, long tokens) {
        List<Bucket> taken = new ArrayList<>();
        RateDecision last = null;
        for (Bucket bucket : bucketsOf(caller)) {
            last = buckets.consume(bucket.limit(), bucket.key(), tokens);
            if (!last.allowed()) {
                taken.forEach(given -> buckets.refund(given.limit(), given.key(), tokens));
                return new Result(Optional.empty(), last);
            }
            taken.add(bucket);
        }
        return new Result(Optional.of(new Reservation(taken, tokens)), last);
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
        Bucket user = new Bucket(MeteringProperties.userBucketKey(caller), limit(properties.userTierOf(caller)));
        if (caller.apiKeyId() == null) {
            return List.of(user);
        }
        return List.of(new Bucket(MeteringProperties.bucketKey(caller), limit(properties.tierOf(caller))), user);
    }

    private Limit limit(String tier) {
        return new Limit("tokens-" + tier, properties.tier(tier).tokensPerDay(), PERIOD);
    }
}
