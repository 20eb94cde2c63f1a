package dev.switchboard.identity.internal.account;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import dev.switchboard.identity.FirstRun;
import dev.switchboard.identity.internal.BootstrapProperties;
import dev.switchboard.identity.internal.SecurityProperties;

/**
 * The first run, guarded by a set-up code. With a real {@code switchboard.security.jwt-secret} the code is derived from
 * it (HMAC-SHA256), so every replica of a cluster accepts the same code, and it cannot be guessed without the secret;
 * with the development secret, which is public, it is random for each start. 100 bits (20 characters of a 32-letter
 * alphabet) make guessing hopeless, so wrong codes need no throttle of their own.
 */
@Service
class FirstRunSetup implements FirstRun {

    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final int CODE_LENGTH = 20;

    private final UserAccounts accounts;
    private final JdbcClient jdbc;
    private final BootstrapProperties properties;
    private final String code;
    /** Once a user exists, one always does (the last admin cannot be deleted): no more look-ups. */
    private volatile boolean usersExist;

    FirstRunSetup(UserAccounts accounts, JdbcClient jdbc, BootstrapProperties properties, SecurityProperties security) {
        this.accounts = accounts;
        this.jdbc = jdbc;
        this.properties = properties;
        this.code = code(security.jwtSecret());
    }

    @Override
    public boolean open() {
        return properties.firstRunEnabled() && !usersExist();
    }

    boolean usersExist() {
        if (!usersExist) {
            usersExist = Boolean.TRUE.equals(jdbc.sql("select switchboard_any_user_exists()").query(Boolean.class).single());
        }
        return usersExist;
    }

    @Override
    public Outcome createAdmin(String setupCode, String email, String password) {
        if (!properties.firstRunEnabled()) {
            return Outcome.CLOSED;
        }
        if (!MessageDigest.isEqual(code.getBytes(StandardCharsets.US_ASCII), normalised(setupCode).getBytes(StandardCharsets.US_ASCII))) {
            return Outcome.WRONG_CODE;
        }
        return accounts.createFirstAdmin(properties.tenant(), email, password).isPresent() ? Outcome.CREATED : Outcome.CLOSED;
    }

    /** The code as the log shows it: groups of four, for reading aloud and typing. */
    String displayed() {
        return String.join("-", code.split("(?<=\\G.{4})"));
    }

    private static String normalised(String typed) {
        return typed == null ? "" : typed.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
    }

    static String code(String jwtSecret) {
        byte[] bits = new byte[CODE_LENGTH];
        if (SecurityProperties.DEVELOPMENT_JWT_SECRET.equals(jwtSecret)) {
            new SecureRandom().nextBytes(bits);
        }
        else {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(jwtSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                System.arraycopy(mac.doFinal("switchboard first-run set-up code".getBytes(StandardCharsets.UTF_8)), 0, bits, 0,
                        CODE_LENGTH);
            }
            catch (NoSuchAlgorithmException | InvalidKeyException ex) {
                throw new IllegalStateException("HmacSHA256 is part of every JDK", ex);
            }
        }
        StringBuilder code = new StringBuilder(CODE_LENGTH);
        for (byte b : bits) {
            code.append(ALPHABET.charAt(b & 31));
        }
        return code.toString();
    }
}
