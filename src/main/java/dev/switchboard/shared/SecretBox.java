package dev.switchboard.shared;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts stored credentials (provider keys, database passwords) with AES-256-GCM under
 * {@code switchboard.security.encryption-key}. Each value gets a fresh 96-bit nonce; the {@code context}
 * (e.g. the owning tenant and row) is bound as associated data, so a ciphertext copied to another row does
 * not decrypt. Layout: version byte {@code 1}, nonce, ciphertext with its 128-bit tag.
 */
public final class SecretBox {

    /** Encrypts development data only; the {@code prod} profile refuses to start with it. */
    public static final String DEVELOPMENT_KEY = "c3dpdGNoYm9hcmQtZGV2ZWxvcG1lbnQtb25seS1rZXk=";

    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    public SecretBox(String base64Key) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64Key == null ? "" : base64Key.strip());
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("switchboard.security.encryption-key must be base64 (generate one with: "
                    + "openssl rand -base64 32)");
        }
        if (bytes.length != 32) {
            throw new IllegalArgumentException("switchboard.security.encryption-key must be 32 bytes, base64-encoded "
                    + "(generate one with: openssl rand -base64 32); it was " + bytes.length + " bytes");
        }
        this.key = new SecretKeySpec(bytes, "AES");
    }

    public byte[] seal(String plaintext, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(VERSION).put(nonce).put(sealed).array();
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("AES-GCM is not available", ex);
        }
    }

    /**
     * Decrypts what {@link #seal} produced for the same context.
     *
     * @throws IllegalStateException when the value was sealed under another key or context, or was altered
     */
    public String open(byte[] sealed, String context) {
        if (sealed == null || sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != VERSION) {
            throw new IllegalStateException("Not a sealed value of this version");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("A stored secret could not be decrypted: was switchboard.security.encryption-key "
                    + "changed since it was stored?");
        }
    }
}
