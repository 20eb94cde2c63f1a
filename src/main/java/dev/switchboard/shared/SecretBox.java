package dev.switchboard.shared;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts stored credentials (provider keys, database passwords, MCP server credentials) with AES-256-GCM under
 * {@code switchboard.security.encryption-key}. Each value gets a fresh 96-bit nonce; the {@code context} (e.g. the
 * owning tenant and row) is bound as associated data, so a ciphertext copied to another row does not decrypt.
 *
 * <p>Layout: version byte {@code 2}, the 4-byte id of the key that sealed it ({@link #keyId}), nonce, ciphertext with
 * its 128-bit tag. Values of version {@code 1} (before key ids: no id, nonce, ciphertext) still open, under whichever
 * known key fits. Keys listed in {@code switchboard.security.previous-encryption-keys} open what they sealed, so the
 * key can be rotated while the re-seal job moves every stored value to the current key.
 */
public final class SecretBox {

    /** Encrypts development data only; the {@code prod} profile refuses to start with it. */
    public static final String DEVELOPMENT_KEY = "c3dpdGNoYm9hcmQtZGV2ZWxvcG1lbnQtb25seS1rZXk=";

    private static final byte LEGACY_VERSION = 1;
    private static final byte VERSION = 2;
    private static final int KEY_ID_BYTES = 4;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String CURRENT_SETTING = "switchboard.security.encryption-key";
    private static final String PREVIOUS_SETTING = "switchboard.security.previous-encryption-keys";

    private final SecretKey current;
    private final byte[] currentId;
    /** Every known key by its hex id, the current one first. */
    private final Map<String, SecretKey> keys = new LinkedHashMap<>();
    private final SecureRandom random = new SecureRandom();

    public SecretBox(String base64Key) {
        this(base64Key, List.of());
    }

    /**
     * @param base64Key the current key: seals every new value
     * @param previousKeys keys that sealed values still stored: they only open
     */
    public SecretBox(String base64Key, List<String> previousKeys) {
        this.current = key(base64Key, CURRENT_SETTING);
        this.currentId = id(current);
        keys.put(HexFormat.of().formatHex(currentId), current);
        for (int i = 0; i < previousKeys.size(); i++) {
            SecretKey previous = key(previousKeys.get(i), PREVIOUS_SETTING + " (entry " + (i + 1) + ")");
            keys.putIfAbsent(HexFormat.of().formatHex(id(previous)), previous);
        }
    }

    /** The id of the current key as it appears in sealed values: 8 hex digits. */
    public String keyId() {
        return HexFormat.of().formatHex(currentId);
    }

    /** What every value sealed under the current key starts with: the version byte and the key id. */
    public byte[] currentPrefix() {
        return ByteBuffer.allocate(1 + KEY_ID_BYTES).put(VERSION).put(currentId).array();
    }

    /** Whether {@code sealed} was sealed under the current key, so re-sealing it would change nothing. */
    public boolean sealedWithCurrentKey(byte[] sealed) {
        return sealed != null && sealed.length > 1 + KEY_ID_BYTES && sealed[0] == VERSION
                && Arrays.equals(sealed, 1, 1 + KEY_ID_BYTES, currentId, 0, KEY_ID_BYTES);
    }

    public byte[] seal(String plaintext, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, current, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(1 + KEY_ID_BYTES + NONCE_BYTES + sealed.length).put(VERSION).put(currentId)
                    .put(nonce).put(sealed).array();
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("AES-GCM is not available", ex);
        }
    }

    /**
     * Decrypts what {@link #seal} produced for the same context, under the current key or a previous one.
     *
     * @throws IllegalStateException when no known key sealed the value, or it was sealed for another context, or altered
     */
    public String open(byte[] sealed, String context) {
        if (sealed != null && sealed.length >= 1 + KEY_ID_BYTES + NONCE_BYTES + TAG_BITS / 8 && sealed[0] == VERSION) {
            String id = HexFormat.of().formatHex(sealed, 1, 1 + KEY_ID_BYTES);
            SecretKey key = keys.get(id);
            if (key == null) {
                throw new IllegalStateException("A stored secret was sealed with encryption key " + id + ", which is neither "
                        + CURRENT_SETTING + " (key " + keyId() + ") nor one of " + PREVIOUS_SETTING + " " + previousIds()
                        + ": add the key it was sealed with to " + PREVIOUS_SETTING);
            }
            return decrypt(key, sealed, 1 + KEY_ID_BYTES, context).orElseThrow(() -> new IllegalStateException(
                    "A stored secret sealed with encryption key " + id + " could not be decrypted: it was altered, or "
                            + "copied from another row (" + CURRENT_SETTING + " is key " + keyId() + ")"));
        }
        if (sealed != null && sealed.length >= 1 + NONCE_BYTES + TAG_BITS / 8 && sealed[0] == LEGACY_VERSION) {
            for (SecretKey key : keys.values()) {
                Optional<String> plain = decrypt(key, sealed, 1, context);
                if (plain.isPresent()) {
                    return plain.get();
                }
            }
            throw new IllegalStateException("A stored secret could not be decrypted under " + CURRENT_SETTING + " (key "
                    + keyId() + ") nor any of " + PREVIOUS_SETTING + " " + previousIds() + ": was the key changed "
                    + "since it was stored? Add the old key to " + PREVIOUS_SETTING);
        }
        throw new IllegalStateException("Not a sealed value");
    }

    /** Opens a value sealed under any known key and seals it again under the current key. */
    public byte[] reseal(byte[] sealed, String context) {
        return seal(open(sealed, context), context);
    }

    private Optional<String> decrypt(SecretKey key, byte[] sealed, int nonceAt, String context) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, nonceAt, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            int body = nonceAt + NONCE_BYTES;
            return Optional.of(new String(cipher.doFinal(sealed, body, sealed.length - body), StandardCharsets.UTF_8));
        }
        catch (AEADBadTagException ex) {
            return Optional.empty();
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("AES-GCM is not available", ex);
        }
    }

    private List<String> previousIds() {
        List<String> ids = new ArrayList<>(keys.keySet());
        ids.remove(keyId());
        return ids;
    }

    private static SecretKey key(String base64Key, String setting) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64Key == null ? "" : base64Key.strip());
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(setting + " must be base64 (generate one with: openssl rand -base64 32)");
        }
        if (bytes.length != 32) {
            throw new IllegalArgumentException(setting + " must be 32 bytes, base64-encoded "
                    + "(generate one with: openssl rand -base64 32); it was " + bytes.length + " bytes");
        }
        return new SecretKeySpec(bytes, "AES");
    }

    /** The first bytes of a SHA-256 of the key: names it in sealed values and messages without revealing it. */
    private static byte[] id(SecretKey key) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update("switchboard-secret-box-key-id:".getBytes(StandardCharsets.US_ASCII));
            return Arrays.copyOf(digest.digest(key.getEncoded()), KEY_ID_BYTES);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("SHA-256 is not available", ex);
        }
    }
}
