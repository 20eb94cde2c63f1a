package dev.switchboard.identity.internal.token;

/** What login and refresh return: a short-lived JWT and the single-use token that renews it. */
public record TokenPair(String accessToken, String refreshToken, String tokenType, long expiresIn) {

    static TokenPair bearer(String accessToken, String refreshToken, long expiresIn) {
        return new TokenPair(accessToken, refreshToken, "Bearer", expiresIn);
    }
}
