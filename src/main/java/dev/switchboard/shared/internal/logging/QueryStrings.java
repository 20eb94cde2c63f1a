package dev.switchboard.shared.internal.logging;

/**
 * The query string as the access log shows it: parameter names kept, every value masked. Values carry OAuth codes,
 * tokens, signatures and search text as often as anything harmless, and no list of "safe" names stays right.
 */
final class QueryStrings {

    static final String MASK = "[REDACTED]";

    private static final int MAX_LENGTH = 512;

    private QueryStrings() {
    }

    /** {@code a=1&token=x&flag} becomes {@code a=[REDACTED]&token=[REDACTED]&flag}; null or empty gives null. */
    static String masked(String query) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (String parameter : query.split("&", -1)) {
            if (!out.isEmpty()) {
                out.append('&');
            }
            int equals = parameter.indexOf('=');
            out.append(equals < 0 ? parameter : parameter.substring(0, equals) + "=" + MASK);
            if (out.length() > MAX_LENGTH) {
                return out.substring(0, MAX_LENGTH) + "…";
            }
        }
        return out.toString();
    }
}
