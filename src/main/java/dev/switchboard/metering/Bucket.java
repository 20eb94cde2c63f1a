package dev.switchboard.metering;

/**
 * One token bucket: whose it is ({@code key}: an address, {@code key:<id>}, {@code user:<id>}) under which
 * {@code limit}.
 */
public record Bucket(Limit limit, String key) {
}
