package dev.switchboard.identity.internal.oauth;

/** Where the authorization server's pages and endpoints are (Spring Security's defaults for the endpoints). */
final class OAuthPaths {

    static final String AUTHORIZE = "/oauth2/authorize";
    static final String TOKEN = "/oauth2/token";
    static final String REGISTER = "/oauth2/register";
    /** The sign-in page of the authorization flow (a server-rendered form). */
    static final String SIGN_IN = "/oauth2/sign-in";
    /** The consent page: which client asks for what. */
    static final String CONSENT = "/oauth2/consent";
    /** RFC 8414 metadata. */
    static final String METADATA = "/.well-known/oauth-authorization-server";

    private OAuthPaths() {
    }
}
