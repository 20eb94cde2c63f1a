package dev.switchboard.metering;

/**
 * Token buckets keyed by who is limited (an address, an account, a key). In-process without Redis; in Redis
 * with it ({@code spring.data.redis.*}), so that a limit holds exactly across every replica.
 */
public interface RateLimiter {

    /** Takes {@code tokens} from the bucket of {@code key} under {@code limit}, if it has them. */
    RateDecision consume(Limit limit, String key, long tokens);

    /** Puts back tokens taken and not used (never above the capacity). */
    void refund(Limit limit, String key, long tokens);

    /** Takes tokens whether or not the bucket has them, going into debt: for usage that already happened. */
    void charge(Limit limit, String key, long tokens);
}
