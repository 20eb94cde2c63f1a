package dev.switchboard.ops.internal.doctor;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The doctor's command line: {@code doctor --url <base> [--api-key <key>] [--include-rate-limit]
 * [--rate-limit-attempts <n>] [--json]}; the key may come from the environment instead.
 *
 * @param rateLimitAttempts how many requests the rate-limit check sends at most before it gives up; the default,
 *        {@value #DEFAULT_RATE_LIMIT_ATTEMPTS}, is above the default tier's requests per minute (free: 60) with room for
 *        the requests the other checks made in the same minute
 */
record DoctorOptions(URI base, String apiKey, boolean includeRateLimit, int rateLimitAttempts, boolean json) {

    static final int DEFAULT_RATE_LIMIT_ATTEMPTS = 500;

    static final String USAGE = "usage: doctor --url https://switchboard.example.com [--api-key KEY] [--include-rate-limit] "
            + "[--rate-limit-attempts N] [--json] (the key may instead be in SWITCHBOARD_DOCTOR_API_KEY)";

    boolean hasKey() {
        return apiKey != null;
    }

    boolean https() {
        return "https".equals(base.getScheme());
    }

    /** Where the key is read from when {@code --api-key} is not given, so that it stays out of shell history. */
    static final String KEY_VARIABLE = "SWITCHBOARD_DOCTOR_API_KEY";

    static DoctorOptions parse(List<String> args) {
        return parse(args, System::getenv);
    }

    /**
     * The options in {@code args}, the key from {@value #KEY_VARIABLE} in {@code environment} unless {@code --api-key}
     * names one; or an {@link IllegalArgumentException} whose message says what is wrong.
     */
    static DoctorOptions parse(List<String> args, UnaryOperator<String> environment) {
        String url = null;
        String key = null;
        boolean rateLimit = false;
        boolean json = false;
        int attempts = DEFAULT_RATE_LIMIT_ATTEMPTS;
        for (int i = 0; i < args.size(); i++) {
            String name = args.get(i);
            switch (name) {
                case "--url" -> url = value(args, ++i, name);
                case "--api-key" -> key = value(args, ++i, name);
                case "--include-rate-limit" -> rateLimit = true;
                case "--json" -> json = true;
                case "--rate-limit-attempts" -> attempts = positive(value(args, ++i, name));
                default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
            }
        }
        if (key == null) {
            key = environment.apply(KEY_VARIABLE);
        }
        if (url == null) {
            throw new IllegalArgumentException("--url is missing\n" + USAGE);
        }
        return new DoctorOptions(base(url), key == null || key.isBlank() ? null : key.strip(), rateLimit, attempts, json);
    }

    private static String value(List<String> args, int index, String name) {
        if (index >= args.size()) {
            throw new IllegalArgumentException(name + " needs a value\n" + USAGE);
        }
        return args.get(index);
    }

    private static int positive(String value) {
        try {
            int number = Integer.parseInt(value);
            if (number > 0) {
                return number;
            }
        }
        catch (NumberFormatException ignored) {
            // said below
        }
        throw new IllegalArgumentException("--rate-limit-attempts must be a positive number, not " + value);
    }

    private static URI base(String url) {
        URI uri;
        try {
            uri = URI.create(url.strip().replaceAll("/+$", ""));
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("--url " + url + " is not a URL: " + ex.getMessage(), ex);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("--url must be an http or https URL with a host, such as https://switchboard.example.com, "
                    + "not " + url);
        }
        return uri;
    }
}
