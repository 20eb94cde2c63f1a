package dev.switchboard.shared;

/**
 * Values a module stores sealed by {@link SecretBox} (provider keys, database passwords, MCP credentials). Modules
 * contribute one bean per sealed column, usually a {@link SealedColumn}; after the encryption key changed, the re-seal
 * job ({@code ops}) walks every tenant and moves each value to the current key through these.
 */
public interface SealedSecrets {

    /** What the values are, for logs and metrics: {@code "LLM provider API keys"}. */
    String description();

    /**
     * In the caller's transaction, whose tenant context selects the rows: re-seals under the current key at most
     * {@code batch} values not sealed with it yet, in row order after {@code after} (null: from the first row),
     * skipping rows another transaction holds.
     */
    Batch reseal(Object after, int batch);

    /** In the caller's transaction: how many of the current tenant's values are not sealed with the current key. */
    long stale();

    /**
     * One batch's outcome.
     *
     * @param resealed values now sealed with the current key
     * @param failed values no known key opens (named in the log, left as they are)
     * @param last the row id to continue after, or null when the batch reached the last row
     */
    record Batch(int resealed, int failed, Object last) {
    }
}
