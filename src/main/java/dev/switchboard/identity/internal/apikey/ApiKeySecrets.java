package dev.switchboard.identity.internal.apikey;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * The shape of an API key: {@code sb_} followed by 43 base62 characters encoding 32 random bytes. The first
 * 12 characters after {@code sb_} are the lookup prefix; the key is stored only as its SHA-256.
 */
final class ApiKeySecrets {

    static final String PREFIX = "sb_";
    static final int BODY_LENGTH = 43;
    static final int LOOKUP_LENGTH = 12;
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final Pattern SHAPE = Pattern.compile("sb_[0-9A-Za-z]{" + BODY_LENGTH + "}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeySecrets() {
    }

    static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        StringBuilder body = new StringBuilder();
        BigInteger value = new BigInteger(1, bytes);
        BigInteger base = BigInteger.valueOf(62);
        while (value.signum() > 0) {
            BigInteger[] divided = value.divideAndRemainder(base);
            body.append(BASE62.charAt(divided[1].intValue()));
            value = divided[0];
        }
        while (body.length() < BODY_LENGTH) {
            body.append('0');
        }
        return PREFIX + body.reverse();
    }

    static boolean wellFormed(String key) {
        return key != null && SHAPE.matcher(key).matches();
    }

    static String lookupPrefix(String key) {
        return key.substring(PREFIX.length(), PREFIX.length() + LOOKUP_LENGTH);
    }

    static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
