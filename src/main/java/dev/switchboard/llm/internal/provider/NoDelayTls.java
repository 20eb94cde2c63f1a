package dev.switchboard.llm.internal.provider;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The platform's TLS with Nagle's algorithm switched off on every provider connection.
 * <p>
 * OkHttp (under the OpenAI and Anthropic SDKs) never sets {@code TCP_NODELAY}. A request body larger than one
 * write then ends in a small segment that Nagle holds back until the provider acknowledges the previous one —
 * and the provider, still waiting for the rest of the request, delays that acknowledgement by up to 40 ms. The
 * clients Switchboard builds itself take both factories: {@link #PLAIN} and {@link #SOCKETS}, which sets the option
 * on the TCP socket OkHttp hands over for wrapping (the JDK's own HTTP client, used for Ollama, sets it itself).
 */
final class NoDelayTls {

    static final X509TrustManager TRUST = platformTrustManager();

    static final SSLSocketFactory SOCKETS = new NoDelaySocketFactory(platformContext().getSocketFactory());

    /** Plain sockets with Nagle off, for the OkHttp clients Switchboard builds itself (plain-http providers). */
    static final SocketFactory PLAIN = new NoDelayPlainSocketFactory();

    private NoDelayTls() {
    }

    private static X509TrustManager platformTrustManager() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("The platform offers no X.509 trust manager");
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("The platform's trust store cannot be read", e);
        }
    }

    private static SSLContext platformContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {TRUST}, null);
            return context;
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available", e);
        }
    }

    static final class NoDelayPlainSocketFactory extends SocketFactory {

        @Override
        public Socket createSocket() throws IOException {
            Socket socket = new Socket();
            socket.setTcpNoDelay(true);
            return socket;
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return noDelay(new Socket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return noDelay(new Socket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return noDelay(new Socket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return noDelay(new Socket(address, port, localAddress, localPort));
        }

        private static Socket noDelay(Socket socket) throws IOException {
            socket.setTcpNoDelay(true);
            return socket;
        }
    }

    static final class NoDelaySocketFactory extends SSLSocketFactory {

        private final SSLSocketFactory delegate;

        NoDelaySocketFactory(SSLSocketFactory delegate) {
            this.delegate = delegate;
        }

        @Override
        public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
            socket.setTcpNoDelay(true);
            return noDelay(delegate.createSocket(socket, host, port, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return noDelay(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return noDelay(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return noDelay(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return noDelay(delegate.createSocket(address, port, localAddress, localPort));
        }

        @Override
        public Socket createSocket() throws IOException {
            return noDelay(delegate.createSocket());
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }

        private static Socket noDelay(Socket socket) throws IOException {
            socket.setTcpNoDelay(true);
            return socket;
        }
    }
}
