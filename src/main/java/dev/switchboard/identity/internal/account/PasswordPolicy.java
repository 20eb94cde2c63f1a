package dev.switchboard.identity.internal.account;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

import dev.switchboard.identity.internal.IdentityProperties;

/**
 * What a password must be: at least {@code switchboard.identity.password.min-length} characters (12), at most
 * 128, and not one of the ~49,000 common passwords shipped in {@code identity/common-passwords.txt}
 * (compared case-insensitively). The list is read at the first check of a password, not at start (most starts check
 * none; reading it took about 50 ms of a start and kept some 4 MB of strings).
 */
@Component
public class PasswordPolicy {

    static final int MAX_LENGTH = 128;

    private final int minLength;

    PasswordPolicy(IdentityProperties properties) {
        this.minLength = properties.password().minLength();
    }

    /** Why the password is refused, or empty when it is acceptable. */
    public Optional<String> problem(String password) {
        if (password == null || password.codePointCount(0, password.length()) < minLength) {
            return Optional.of("must be at least " + minLength + " characters long");
        }
        if (password.length() > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters long");
        }
        if (CommonPasswords.ALL.contains(password.toLowerCase(Locale.ROOT))) {
            return Optional.of("is one of the most common passwords; choose another");
        }
        return Optional.empty();
    }

    /** Loaded when first used (class initialisation: once, thread-safe). */
    private static final class CommonPasswords {

        static final Set<String> ALL = load();

        private CommonPasswords() {
        }
    }

    private static Set<String> load() {
        Set<String> passwords = new HashSet<>(64_000);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                new ClassPathResource("identity/common-passwords.txt").getInputStream(), StandardCharsets.UTF_8))) {
            reader.lines().map(line -> line.strip().toLowerCase(Locale.ROOT)).filter(line -> !line.isEmpty())
                    .forEach(passwords::add);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("The common-password list is missing from the build", ex);
        }
        return Set.copyOf(passwords);
    }
}
