package dev.switchboard.support;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.Socket;

/** Redis-backed tests run when Redis answers on 127.0.0.1:6379, and must run under CI=true. */
public final class TestRedis {

    private TestRedis() {
    }

    public static void assumeAvailable() {
        boolean reachable;
        try (Socket socket = new Socket("127.0.0.1", 6379)) {
            reachable = true;
        }
        catch (IOException ex) {
            reachable = false;
        }
        if (!reachable && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true requires Redis on 127.0.0.1:6379 (run ../shared/services.sh)");
        }
        assumeThat(reachable).as("Redis on 127.0.0.1:6379").isTrue();
    }
}
