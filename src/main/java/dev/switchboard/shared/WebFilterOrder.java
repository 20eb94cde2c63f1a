package dev.switchboard.shared;

import org.springframework.core.Ordered;

/**
 * The order of Switchboard's servlet filters, in one place so that the sequence is visible: every response
 * gets a request id and the security headers, ambiguous paths are refused before anything decides on a path
 * (see {@link RequestPaths}), CORS and body limits are decided before authentication, and
 * Spring Security's chain (order -100) comes after all of these.
 */
public final class WebFilterOrder {

    public static final int REQUEST_ID = Ordered.HIGHEST_PRECEDENCE;
    public static final int SECURITY_HEADERS = REQUEST_ID + 10;
    /** Before every filter that decides on the request path. */
    public static final int REQUEST_PATH = REQUEST_ID + 12;
    public static final int HEALTH_ALIAS = REQUEST_ID + 15;
    public static final int CORS = REQUEST_ID + 20;
    public static final int BODY_LIMIT = REQUEST_ID + 30;
    public static final int METRICS_ACCESS = REQUEST_ID + 40;
    /**
     * Before Spring Security's chain: the OAuth authorization server answers its endpoints inside that chain, and
     * their callers are anonymous anyway, so their rate limits cannot wait for {@link #RATE_LIMIT}.
     */
    public static final int AUTHORIZATION_SERVER_RATE_LIMIT = REQUEST_ID + 50;
    /** After Spring Security's chain (-100), which has established who is calling. */
    public static final int RATE_LIMIT = -90;
    /**
     * After rate limiting: who may upload documents, into which knowledge base, is decided before the multipart body
     * is read (and written to temporary files).
     */
    public static final int DOCUMENT_UPLOAD = RATE_LIMIT + 5;

    private WebFilterOrder() {
    }
}
