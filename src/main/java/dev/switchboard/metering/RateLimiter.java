package dev.switchboard.metering;

import java.util.List;

/**
 * Token buckets keyed by who is limited (an address, an account, a key). In-process without Redis; in Redis
 * with it ({@code spring.data.redis.*}), so that a limit holds exactly across every replica.
 */
public interface RateLimiter {

    /**
     * Takes {@code tokens} from every one of {@code buckets} (distinct) or from none, atomically: a bucket that refuses
     * leaves the others untouched, and no concurrent decision sees some of them taken. The decision is the
     * bucket closest to refusal: when refused, the refusing bucket that needs the longest wait; when allowed,
     * the bucket with the fewest tokens left.
     */
    RateDecision consume(List<Bucket> buckets, long tokens);

    /** Takes {@code tokens} from the bucket of {@code key} under {@code limit}, if it has them. */
    default RateDecision consume(Limit limit, String key, long tokens) {
        return consume(List.of(new Bucket(limit, key)), tokens);
    }

    /** Puts back tokens taken and not used (never above the capacity). */
    void refund(Limit limit, String key, long tokens);

    /** Takes tokens whether or not the bucket has them, going into debt: for usage that already happened. */
    void charge(Limit limit, String key, long tokens);
}
