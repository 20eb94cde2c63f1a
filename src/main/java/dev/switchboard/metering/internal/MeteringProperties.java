package dev.switchboard.metering.internal;

import java.util.HashMap;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import dev.switchboard.identity.Caller;

/**
 * Rate limits and quotas.
 *
 * @param globalRequestsPerSecond requests per second for the whole deployment (all callers); 0 turns it off
 * @param loginPerAddressPerMinute sign-in attempts per client address per minute
 * @param loginPerAccountPerMinute sign-in attempts per e-mail address per minute
 * @param anonymousPerAddressPerMinute other unauthenticated API requests (sign-up, refresh) per address per minute
 * @param defaultTier the tier of users no admin gave one
 * @param tiers the tiers users (and admins' keys) can be given
 * @param redisFailure what to do when Redis does not answer: {@code open} allows and counts, {@code closed} answers 503
 * @param oauthRegistrationsPerAddressPerHour OAuth client registrations ({@code POST /oauth2/register}) per address per
 *        hour
 */
@Validated
@ConfigurationProperties("switchboard.metering")
public record MeteringProperties(
        @Min(0) @DefaultValue("1000") long globalRequestsPerSecond,
        @Min(1) @DefaultValue("10") long loginPerAddressPerMinute,
        @Min(1) @DefaultValue("5") long loginPerAccountPerMinute,
        @Min(1) @DefaultValue("30") long anonymousPerAddressPerMinute,
        @NotBlank @DefaultValue("free") String defaultTier,
        Map<String, @Valid Tier> tiers,
        @NotNull @DefaultValue("open") RedisFailure redisFailure,
        @Min(1) @DefaultValue("10") long oauthRegistrationsPerAddressPerHour) {

    public MeteringProperties {
        Map<String, Tier> merged = new HashMap<>(DEFAULT_TIERS);
        if (tiers != null) {
            merged.putAll(tiers);
        }
        tiers = Map.copyOf(merged);
        if (!tiers.containsKey(defaultTier)) {
            throw new IllegalArgumentException("switchboard.metering.default-tier '" + defaultTier
                    + "' is not one of switchboard.metering.tiers " + tiers.keySet());
        }
    }

    /**
     * @param requestsPerMinute API requests per minute per user of the tier (all their keys and sessions together),
     *        and per key of the tier (a key's requests draw on both)
     * @param tokensPerDay LLM tokens per day per user of the tier, and per key of the tier (a key's calls draw on both)
     */
    public record Tier(@Min(1) @DefaultValue("60") long requestsPerMinute, @Min(1) @DefaultValue("100000") long tokensPerDay) {
    }

    /** Shipped tiers; configuration may change them or add others. */
    static final Map<String, Tier> DEFAULT_TIERS = Map.of(
            "free", new Tier(60, 100_000),
            "pro", new Tier(600, 2_000_000),
            "enterprise", new Tier(6_000, 50_000_000));

    public enum RedisFailure { OPEN, CLOSED }

    /** The tier a caller's credential is metered by: its key's or the user's, when configured, else the default tier. */
    String tierOf(Caller caller) {
        return known(caller.tier());
    }

    /** The tier of the user behind a caller, whatever the credential. */
    String userTierOf(Caller caller) {
        return known(caller.userTier());
    }

    private String known(String tier) {
        return tier != null && tiers.containsKey(tier) ? tier : defaultTier;
    }

    /** The user's own bucket, which every credential of the user draws on for request rates and token quotas. */
    static String userBucketKey(Caller caller) {
        return "user:" + caller.userId();
    }

    /** The credential's own bucket: the API key's, or the user's for sessions. */
    static String bucketKey(Caller caller) {
        return caller.apiKeyId() != null ? "key:" + caller.apiKeyId() : "user:" + caller.userId();
    }

    Tier tier(String name) {
        return tiers.getOrDefault(name == null ? defaultTier : name, tiers.get(defaultTier));
    }
}
