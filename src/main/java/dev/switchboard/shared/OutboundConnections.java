package dev.switchboard.shared;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.net.SocketFactory;

import okhttp3.Dns;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

/**
 * The one way Switchboard connects to a destination a user configured — runtime and configured LLM providers,
 * remote embeddings, and next MCP servers and databases. The host is resolved when the connection is made and
 * every address it resolves to must pass the {@link OutboundAddressPolicy} (one forbidden address refuses the
 * name: a resolver may hand out any of them); the connection goes to a checked address, and redirects are
 * never followed (a redirect is a new destination nobody checked).
 * <p>
 * Checking a URL when it is registered ({@link #checkUrl(String)}) gives fast feedback, but only the check at
 * connection time is a guarantee: DNS answers change.
 * <ul>
 * <li>OkHttp (OpenAI, Anthropic and Gemini clients, OpenAI and Gemini embeddings): {@link #okHttp()}, whose {@link #dns()} checks every lookup
 * (an interceptor checks the IP literals OkHttp never looks up).</li>
 * <li>The JDK client (Ollama chat and embeddings): {@link #jdkHttpClient}, which checks the host before each
 * request and dials only checked addresses (plain http directly, https through an in-process tunnel).</li>
 * <li>Sockets (JDBC drivers, MCP over TCP): {@link #socketFactory()}, whose sockets check where they connect, or
 * {@link #socketAddress(String, int)}, a checked, resolved address to connect to.</li>
 * </ul>
 */
public final class OutboundConnections implements AutoCloseable {

    private final OutboundAddressPolicy policy;
    private final OutboundResolver resolver;
    private final Dns dns = this::addresses;
    private ConnectTunnel tunnel;

    /** OkHttp dials IP literals without asking its {@link Dns}: they are checked before the request instead. */
    private final Interceptor literalCheck = chain -> {
        String host = chain.request().url().host();
        if (host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
            addresses(host);
        }
        return chain.proceed(chain.request());
    };

    public OutboundConnections(OutboundAddressPolicy policy, OutboundResolver resolver) {
        this.policy = policy;
        this.resolver = resolver;
    }

    public OutboundAddressPolicy policy() {
        return policy;
    }

    /**
     * Every address of the host, each one allowed.
     *
     * @throws UnknownHostException when the host does not resolve, or (with an {@link OutboundRefusedException}
     *         as its cause) when one of its addresses is forbidden
     */
    public List<InetAddress> addresses(String host) throws UnknownHostException {
        List<InetAddress> addresses = resolver.resolve(host);
        if (addresses.isEmpty()) {
            throw new UnknownHostException(host);
        }
        for (InetAddress address : addresses) {
            Optional<String> refusal = policy.refusal(address);
            if (refusal.isPresent()) {
                throw refused(host, address, refusal.get()).asLookupFailure();
            }
        }
        return addresses;
    }

    /**
     * Sockets that connect only to checked addresses, for drivers that take a socket factory (JDBC) and protocols
     * over TCP: an unresolved destination is resolved here and checked, a resolved one checked as it is.
     */
    public SocketFactory socketFactory() {
        return new CheckedSocketFactory(this);
    }

    /** A checked address to open a socket to (the first the host resolves to). */
    public InetSocketAddress socketAddress(String host, int port) throws UnknownHostException {
        return new InetSocketAddress(addresses(host).getFirst(), port);
    }

    /**
     * Checks a URL a user gives as a destination, now (when it is registered): fast feedback only, since the check
     * is repeated on every connection.
     *
     * @throws IllegalArgumentException with a message for the user when it is no http(s) URL with a host, or the
     *         host does not resolve
     * @throws OutboundRefusedException when the host resolves to a forbidden address
     */
    public void checkUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        }
        catch (Exception ex) {
            throw new IllegalArgumentException("'" + url + "' is not a URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("The URL must start with http:// or https://.");
        }
        if (uri.getHost() == null || uri.getUserInfo() != null) {
            throw new IllegalArgumentException("The URL must name a host and carry no user name or password.");
        }
        try {
            addresses(uri.getHost());
        }
        catch (UnknownHostException ex) {
            throw OutboundRefusedException.in(ex).orElseThrow(
                    () -> new IllegalArgumentException("The host " + uri.getHost() + " does not resolve."));
        }
    }

    /** The resolver OkHttp must use: every lookup checked. */
    public Dns dns() {
        return dns;
    }

    /**
     * An OkHttp client builder with the checking resolver, IP literals checked as well, and redirects off. Further
     * interceptors may be added; none may send a request to another host.
     */
    public OkHttpClient.Builder okHttp() {
        return new OkHttpClient.Builder()
                // Direct: through a JVM-wide proxy (http.proxyHost) the proxy would resolve the destination, unchecked.
                .proxy(Proxy.NO_PROXY)
                .dns(dns)
                .addInterceptor(literalCheck)
                .followRedirects(false)
                .followSslRedirects(false);
    }

    /**
     * A JDK client that checks the host of every request before sending it, connects only to checked addresses
     * and never follows redirects. The JDK client has no resolver hook, so it is given a proxy selector: for plain
     * http the "proxy" is the checked address of the destination itself (the request keeps its {@code Host}
     * header); for https it is an in-process {@code CONNECT} tunnel on loopback ({@link ConnectTunnel}) that
     * resolves, checks and connects, while TLS stays end to end.
     */
    public HttpClient jdkHttpClient(HttpClient.Builder builder) {
        HttpClient client = builder.followRedirects(HttpClient.Redirect.NEVER).proxy(new CheckedProxySelector()).build();
        return new CheckedJdkHttpClient(client, this);
    }

    private synchronized InetSocketAddress tunnel() {
        if (tunnel == null) {
            tunnel = new ConnectTunnel(this);
        }
        return tunnel.address();
    }

    /** Stops the in-process tunnel, if one was opened (the application context calls this on shutdown). */
    @Override
    public synchronized void close() {
        if (tunnel != null) {
            tunnel.close();
            tunnel = null;
        }
    }

    private OutboundRefusedException refused(String host, InetAddress address, String range) {
        boolean literal = address.getHostAddress().equalsIgnoreCase(stripBrackets(host));
        String subject = literal ? "The address " + host + " is in " : "The host " + host + " resolves to an address in ";
        return new OutboundRefusedException(subject + range + ", which Switchboard does not connect to; an operator can "
                + "open the range with " + OutboundAddressPolicy.ALLOWED_NETWORKS_SETTING + ".");
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** Plain http goes "through a proxy" that is the checked address itself; https through the checking tunnel. */
    private final class CheckedProxySelector extends ProxySelector {

        @Override
        public List<Proxy> select(URI uri) {
            if (!"http".equalsIgnoreCase(uri.getScheme())) {
                return List.of(new Proxy(Proxy.Type.HTTP, tunnel()));
            }
            int port = uri.getPort() < 0 ? 80 : uri.getPort();
            try {
                return List.of(new Proxy(Proxy.Type.HTTP, socketAddress(uri.getHost(), port)));
            }
            catch (UnknownHostException ex) {
                throw new UncheckedIOException(ex);
            }
        }

        @Override
        public void connectFailed(URI uri, SocketAddress address, IOException failure) {
            // Nothing to learn: the next request resolves and checks again.
        }
    }
}
