package dev.switchboard.identity.internal.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jose.jwk.RSAKey;
import dev.switchboard.identity.internal.IdentityProperties;
import dev.switchboard.shared.DataDirectory;

/** The signing key comes from the setting, else the file, else a development key kept under the data directory. */
class OAuthSigningKeyTests {

    @TempDir
    Path directory;

    @Test
    void theDevelopmentKeyIsGeneratedOnceKeptPrivateAndReused() throws Exception {
        DataDirectory data = new DataDirectory(directory);
        RSAKey first = OAuthSigningKey.load(settings("", ""), data);
        RSAKey second = OAuthSigningKey.load(settings("", ""), data);
        assertThat(second.getKeyID()).isEqualTo(first.getKeyID());
        assertThat(first.isPrivate()).isTrue();
        assertThat(first.toRSAPublicKey().getModulus().bitLength()).isEqualTo(3072);
        Path file = directory.resolve("oauth").resolve(OAuthSigningKey.DEVELOPMENT_FILE);
        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void theSettingWinsOverTheFileAndTheFileOverTheDevelopmentKey() throws Exception {
        String settingPem = pem(2048);
        String filePem = pem(2048);
        Path file = Files.writeString(directory.resolve("mounted.pem"), filePem, StandardCharsets.US_ASCII);
        DataDirectory data = new DataDirectory(directory.resolve("data"));
        RSAKey fromSetting = OAuthSigningKey.load(settings(settingPem, file.toString()), data);
        RSAKey fromFile = OAuthSigningKey.load(settings("", file.toString()), data);
        assertThat(fromSetting.getKeyID()).isEqualTo(OAuthSigningKey.parse(settingPem, "s").getKeyID());
        assertThat(fromFile.getKeyID()).isEqualTo(OAuthSigningKey.parse(filePem, "f").getKeyID()).isNotEqualTo(fromSetting.getKeyID());
        assertThat(directory.resolve("data").resolve("oauth")).doesNotExist();
    }

    @Test
    void aKeyThatIsNoRsaPrivateKeyOrTooShortIsRefusedWithTheCommandToMakeOne() throws Exception {
        assertThatThrownBy(() -> OAuthSigningKey.parse("-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----",
                "the setting"))
                .hasMessageContaining("the setting").hasMessageContaining("openssl genpkey");
        assertThatThrownBy(() -> OAuthSigningKey.parse(pem(1024), "the setting")).hasMessageContaining("2048");
    }

    private static String pem(int bits) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits);
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(generator.generateKeyPair().getPrivate()
                .getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    private static IdentityProperties.OAuth settings(String key, String file) {
        return new IdentityProperties.OAuth(key, file, Duration.ofHours(1), Duration.ofDays(30), 10);
    }
}
