package dev.switchboard.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

class SecretBoxTests {

    private static final String OTHER_KEY = Base64.getEncoder()
            .encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

    private final SecretBox box = new SecretBox(SecretBox.DEVELOPMENT_KEY);

    @Test
    void opensWhatItSealedForTheSameContext() {
        byte[] sealed = box.seal("sk-live-ünïcode", "tenant-1/provider-7");

        assertThat(box.open(sealed, "tenant-1/provider-7")).isEqualTo("sk-live-ünïcode");
    }

    @Test
    void theCiphertextShowsNeitherThePlaintextNorARepeatedNonce() {
        byte[] first = box.seal("sk-live-secret", "c");
        byte[] second = box.seal("sk-live-secret", "c");

        assertThat(first).isNotEqualTo(second);
        assertThat(new String(first, StandardCharsets.ISO_8859_1)).doesNotContain("sk-live-secret");
        assertThat(first[0]).isEqualTo((byte) 2);
        assertThat(Arrays.copyOf(first, 5)).isEqualTo(box.currentPrefix());
    }

    @Test
    void aValueCopiedToAnotherRowDoesNotOpen() {
        byte[] sealed = box.seal("sk-live-secret", "tenant-1/provider-7");

        assertThatIllegalStateException().isThrownBy(() -> box.open(sealed, "tenant-2/provider-7"))
                .withMessageContaining("encryption-key");
    }

    @Test
    void anAlteredValueDoesNotOpen() {
        byte[] sealed = box.seal("sk-live-secret", "c");
        sealed[sealed.length - 1] ^= 1;

        assertThatIllegalStateException().isThrownBy(() -> box.open(sealed, "c"));
    }

    @Test
    void aValueSealedUnderAnUnknownKeyIsRefusedNamingTheKeysAndTheSettingToFixIt() {
        SecretBox other = new SecretBox(OTHER_KEY);
        byte[] sealed = other.seal("sk-live-secret", "c");

        assertThatIllegalStateException().isThrownBy(() -> box.open(sealed, "c"))
                .withMessageContaining("sealed with encryption key " + other.keyId())
                .withMessageContaining("(key " + box.keyId() + ")")
                .withMessageContaining("add the key it was sealed with to switchboard.security.previous-encryption-keys")
                .withMessageNotContaining(OTHER_KEY).withMessageNotContaining(SecretBox.DEVELOPMENT_KEY);
    }

    @Test
    void aPreviousKeyOpensWhatItSealedAndResealingMovesTheValueToTheCurrentKey() {
        byte[] old = new SecretBox(OTHER_KEY).seal("sk-live-secret", "c");
        SecretBox rotated = new SecretBox(SecretBox.DEVELOPMENT_KEY, List.of(OTHER_KEY));

        assertThat(rotated.open(old, "c")).isEqualTo("sk-live-secret");
        assertThat(rotated.sealedWithCurrentKey(old)).isFalse();
        byte[] resealed = rotated.reseal(old, "c");
        assertThat(rotated.sealedWithCurrentKey(resealed)).isTrue();
        assertThat(box.open(resealed, "c")).isEqualTo("sk-live-secret");
    }

    @Test
    void valuesSealedBeforeKeyIdsOpenUnderTheCurrentOrAPreviousKey() throws Exception {
        byte[] underDevelopmentKey = legacySeal(SecretBox.DEVELOPMENT_KEY, "sk-legacy", "c");
        byte[] underOtherKey = legacySeal(OTHER_KEY, "sk-legacy-2", "c");

        assertThat(box.open(underDevelopmentKey, "c")).isEqualTo("sk-legacy");
        assertThat(box.sealedWithCurrentKey(underDevelopmentKey)).isFalse();
        assertThat(new SecretBox(SecretBox.DEVELOPMENT_KEY, List.of(OTHER_KEY)).open(underOtherKey, "c"))
                .isEqualTo("sk-legacy-2");
        assertThatIllegalStateException().isThrownBy(() -> box.open(underOtherKey, "c"))
                .withMessageContaining("changed since it was stored")
                .withMessageContaining("switchboard.security.previous-encryption-keys");
    }

    @Test
    void aMalformedPreviousKeyIsRefusedNamingItsSettingAndPosition() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new SecretBox(SecretBox.DEVELOPMENT_KEY, List.of(OTHER_KEY, "c2hvcnQ=")))
                .withMessageContaining("switchboard.security.previous-encryption-keys (entry 2) must be 32 bytes");
    }

    /** The layout before key ids: version 1, nonce, ciphertext and tag. */
    static byte[] legacySeal(String base64Key, String plaintext, String context) throws Exception {
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(base64Key), "AES"),
                new GCMParameterSpec(128, nonce));
        cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.allocate(1 + 12 + sealed.length).put((byte) 1).put(nonce).put(sealed).array();
    }

    @Test
    void truncatedOrForeignBytesAreRefusedWithoutDecrypting() {
        assertThatIllegalStateException().isThrownBy(() -> box.open(new byte[] {1, 2, 3}, "c"));
        assertThatIllegalStateException().isThrownBy(() -> box.open(null, "c"));
        byte[] sealed = box.seal("x", "c");
        sealed[0] = 3;
        assertThatIllegalStateException().isThrownBy(() -> box.open(sealed, "c")).withMessageContaining("Not a sealed value");
    }

    @Test
    void keysThatAreNotThirtyTwoBase64BytesAreRefusedWithTheCommandToMakeOne() {
        assertThatIllegalArgumentException().isThrownBy(() -> new SecretBox("not base64!"))
                .withMessageContaining("openssl rand -base64 32");
        assertThatIllegalArgumentException().isThrownBy(() -> new SecretBox(Base64.getEncoder().encodeToString(new byte[16])))
                .withMessageContaining("it was 16 bytes");
        assertThatIllegalArgumentException().isThrownBy(() -> new SecretBox(null))
                .withMessageContaining("it was 0 bytes");
    }
}
