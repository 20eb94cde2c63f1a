package dev.switchboard.shared.internal.web;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.ServletException;

import org.apache.catalina.AccessLog;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The HTTP exchanges in flight, from Tomcat's engine pipeline until Tomcat has finished writing the response, and the
 * wait for them at shutdown. Spring Boot's graceful shutdown waits until no servlet is running, but Tomcat writes the
 * end of a response after the servlet has returned (a streamed one after its async request completes): the web server
 * stopped right after could close a connection whose answer is not out yet, and the client would lose a response the
 * server had produced. Counted from the first valve to the access-log callback, which Tomcat makes once the response is
 * finished; the lifecycle stops between the graceful shutdown and the web server's stop and waits for the count to
 * reach zero, at most {@code spring.lifecycle.timeout-per-shutdown-phase}.
 */
final class InFlightExchanges extends ValveBase implements AccessLog {

    private static final Logger log = LoggerFactory.getLogger(InFlightExchanges.class);

    /** The request note marking an exchange this valve counted (so that it is uncounted once). */
    private static final String COUNTED = InFlightExchanges.class.getName();

    /**
     * Between Spring Boot's graceful shutdown ({@code SmartLifecycle.DEFAULT_PHASE - 1024}, stopped first) and the web
     * server's stop ({@code DEFAULT_PHASE - 2048}).
     */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1536;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final Duration timeout;
    private volatile boolean running;
    private boolean requestAttributesEnabled;

    InFlightExchanges(Duration timeout) {
        super(true);
        this.timeout = timeout;
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        if (request.getNote(COUNTED) == null) {
            request.setNote(COUNTED, Boolean.TRUE);
            inFlight.incrementAndGet();
        }
        getNext().invoke(request, response);
    }

    @Override
    public void log(Request request, Response response, long time) {
        if (request.getNote(COUNTED) != null) {
            request.removeNote(COUNTED);
            if (inFlight.decrementAndGet() == 0) {
                synchronized (inFlight) {
                    inFlight.notifyAll();
                }
            }
        }
    }

    /** The exchanges whose response is not finished yet. */
    int inFlight() {
        return inFlight.get();
    }

    @Override
    public void setRequestAttributesEnabled(boolean requestAttributesEnabled) {
        this.requestAttributesEnabled = requestAttributesEnabled;
    }

    @Override
    public boolean getRequestAttributesEnabled() {
        return requestAttributesEnabled;
    }

    /**
     * Waits until no response is unfinished, at most {@code timeout}; logs a warning if some still are.
     */
    void awaitNone() {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (inFlight) {
            try {
                for (long left = timeout.toNanos(); inFlight.get() > 0 && left > 0; left = deadline - System.nanoTime()) {
                    inFlight.wait(Math.max(1, left / 1_000_000));
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        if (inFlight.get() > 0) {
            log.warn("Stopping the web server with {} responses not finished after {}", inFlight.get(), timeout);
        }
    }

    /** The shutdown step: stopped between the graceful shutdown and the web server's stop, it waits for the responses. */
    static final class Drain implements SmartLifecycle {

        private final InFlightExchanges exchanges;
        private volatile boolean running;

        Drain(InFlightExchanges exchanges) {
            this.exchanges = exchanges;
        }

        @Override
        public void start() {
            running = true;
        }

        @Override
        public void stop() {
            exchanges.awaitNone();
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getPhase() {
            return PHASE;
        }
    }
}
