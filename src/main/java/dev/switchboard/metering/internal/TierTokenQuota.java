package dev.switchboard.metering.internal;

import java.util.Optional;

import dev.switchboard.identity.Caller;
import dev.switchboard.metering.Limit;
import dev.switchboard.metering.RateDecision;
import dev.switchboard.metering.RateLimiter;
import dev.switchboard.metering.TokenQuota;

import org.springframework.stereotype.Component;

/** {@link TokenQuota} on the same buckets as the rate limits (in Redis when configured). */
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
        String tier = properties.tierOf(caller);
        Limit limit = new Limit("tokens-" + tier, properties.tier(tier).tokensPerDay(), PERIOD);
        String key = MeteringProperties.bucketKey(caller);
        RateDecision decision = buckets.consume(limit, key, tokens);
        return new Result(decision.allowed() ? Optional.of(new Reservation(key, limit, tokens)) : Optional.empty(),
                decision);
    }

    @Override
    public void settle(Reservation reservation, long usedTokens) {
        long difference = reservation.reserved() - usedTokens;
        if (difference > 0) {
            buckets.refund(reservation.limit(), reservation.bucketKey(), difference);
        }
        else if (difference < 0) {
            buckets.charge(reservation.limit(), reservation.bucketKey(), -difference);
        }
    }
}
