package dev.switchboard.identity.internal.password;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * A password encoder whose every hash (encoding a new password, checking one) runs in a slot of
 * {@link PasswordHashingSlots}. Callers hash outside any transaction: a waiting or hashing request holds no database
 * connection.
 */
public final class BoundedPasswordEncoder implements PasswordEncoder {

    private final PasswordEncoder delegate;
    private final PasswordHashingSlots slots;

    public BoundedPasswordEncoder(PasswordEncoder delegate, PasswordHashingSlots slots) {
        this.delegate = delegate;
        this.slots = slots;
    }

    @Override
    public String encode(CharSequence rawPassword) {
        try (PasswordHashingSlots.Slot slot = slots.acquire()) {
            return delegate.encode(rawPassword);
        }
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
        try (PasswordHashingSlots.Slot slot = slots.acquire()) {
            return delegate.matches(rawPassword, encodedPassword);
        }
    }

    @Override
    public boolean upgradeEncoding(String encodedPassword) {
        return delegate.upgradeEncoding(encodedPassword);
    }
}
