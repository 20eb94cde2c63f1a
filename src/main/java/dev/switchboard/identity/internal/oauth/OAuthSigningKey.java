package dev.switchboard.identity.internal.oauth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import dev.switchboard.identity.internal.IdentityProperties;
import dev.switchboard.shared.DataDirectory;

/**
 * The RSA key that signs OAuth access tokens (RS256; its public half is published at {@code /oauth2/jwks}): from
 * {@code switchboard.identity.oauth.signing-key} (PEM, from the environment), else from the file
 * {@code signing-key-file} (a mounted secret), else — development only, refused under {@code prod} by
 * {@link OAuthSigningKeyRequirement} — a key generated once and kept in {@code <data-dir>/oauth/signing-key.pem}, so
 * that tokens survive a restart. The key id is the key's RFC 7638 thumbprint.
 */
final class OAuthSigningKey {

    private static final Logger log = LoggerFactory.getLogger(OAuthSigningKey.class);
    static final String DEVELOPMENT_FILE = "signing-key.pem";

    private OAuthSigningKey() {
    }

    static RSAKey load(IdentityProperties.OAuth settings, DataDirectory dataDirectory) {
        if (!settings.signingKey().isBlank()) {
            return parse(settings.signingKey(), "switchboard.identity.oauth.signing-key");
        }
        if (!settings.signingKeyFile().isBlank()) {
            return parse(read(Path.of(settings.signingKeyFile())), "switchboard.identity.oauth.signing-key-file");
        }
        Path file = dataDirectory.directory("oauth").resolve(DEVELOPMENT_FILE);
        if (!Files.exists(file)) {
            log.warn("No switchboard.identity.oauth.signing-key: generated a development key in {} (refused under prod)", file);
            write(file, generatePem());
        }
        return parse(read(file), file.toString());
    }

    static RSAKey parse(String pem, String source) {
        String body = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "").replaceAll("\\s", "");
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            if (!(rsa.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body))) instanceof RSAPrivateCrtKey key)) {
                throw new IllegalStateException(source + " is not an RSA private key with its CRT parameters");
            }
            if (key.getModulus().bitLength() < 2048) {
                throw new IllegalStateException(source + " is shorter than 2048 bits");
            }
            RSAPublicKey publicKey = (RSAPublicKey) rsa.generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
            return new RSAKey.Builder(publicKey).privateKey(key).keyUse(KeyUse.SIGNATURE).keyIDFromThumbprint().build();
        }
        catch (GeneralSecurityException | IllegalArgumentException | JOSEException ex) {
            throw new IllegalStateException(source + " is not a PEM-encoded PKCS#8 RSA private key (-----BEGIN PRIVATE KEY-----); "
                    + "generate one with: openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072", ex);
        }
    }

    private static String generatePem() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(3072);
            byte[] encoded = generator.generateKeyPair().getPrivate().getEncoded();
            return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(encoded) + "\n-----END PRIVATE KEY-----\n";
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("Cannot generate an RSA key", ex);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read the OAuth signing key " + file, ex);
        }
    }

    private static void write(Path file, String pem) {
        try {
            Path partial = file.resolveSibling(file.getFileName() + ".partial");
            Files.deleteIfExists(partial);
            Files.createFile(partial);
            try {
                Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
            }
            catch (UnsupportedOperationException ex) {
                // Not a POSIX file system (Windows): the data directory's own permissions protect it.
            }
            Files.writeString(partial, pem, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot write the development OAuth signing key " + file, ex);
        }
    }
}
