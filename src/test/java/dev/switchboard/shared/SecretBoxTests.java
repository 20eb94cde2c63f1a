package dev.switchboard.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

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
        assertThat(first[0]).isEqualTo((byte) 1);
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
    void aValueSealedUnderAnotherKeyDoesNotOpen() {
        byte[] sealed = new SecretBox(OTHER_KEY).seal("sk-live-secret", "c");

        assertThatIllegalStateException().isThrownBy(() -> box.open(sealed, "c"))
                .withMessageContaining("changed since it was stored");
    }

    @Test
    void truncatedOrForeignBytesAreRefusedWithoutDecrypting() {
        assertThatIllegalStateException().isThrownBy(() -> box.open(new byte[] {1, 2, 3}, "c"));
        assertThatIllegalStateException().isThrownBy(() -> box.open(null, "c"));
        byte[] sealed = box.seal("x", "c");
        sealed[0] = 2;
        assertThatIllegalStateException().isThrownBy(() -> box.open(sealed, "c")).withMessageContaining("version");
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
