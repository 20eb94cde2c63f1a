package dev.switchboard.sql.internal.connection;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Optional;

import javax.net.ssl.SSLException;

import dev.switchboard.shared.OutboundRefusedException;

/**
 * Why connecting to a registered database failed, in words for its administrator. The driver's own message is never
 * shown (it may quote the server, the SQL or the configuration); the reason is told from the exception's kind and
 * SQLSTATE alone.
 *
 * @param reason what went wrong, for the problem's detail
 * @param refused the outbound address policy refused the destination, if that is why
 */
public record ConnectFailure(String reason, Optional<OutboundRefusedException> refused) {

    /** The failure behind {@code thrown}, which may be wrapped by the pool and the driver. */
    public static ConnectFailure of(Throwable thrown, RegisteredDatabase database) {
        Optional<OutboundRefusedException> refused = OutboundRefusedException.in(thrown);
        if (refused.isPresent()) {
            return new ConnectFailure(refused.get().getBody().getDetail(), refused);
        }
        return new ConnectFailure(reason(thrown, database), Optional.empty());
    }

    private static String reason(Throwable thrown, RegisteredDatabase database) {
        String address = database.address();
        String state = sqlState(thrown);
        if (state != null && state.startsWith("28")) {
            return "The database refused the user name or password (user '" + database.username() + "').";
        }
        if ("3D000".equals(state) || errorCode(thrown) == 1049 || errorCode(thrown) == 1044) {
            return "The server at " + address + " has no database '" + database.database() + "' that user '"
                    + database.username() + "' may connect to.";
        }
        if (has(thrown, UnknownHostException.class)) {
            return "The host " + database.host() + " does not resolve.";
        }
        if (has(thrown, ConnectException.class) || has(thrown, NoRouteToHostException.class)) {
            return "Nothing accepts connections at " + address + " (connection refused or no route): is the server up "
                    + "and the port right?";
        }
        if (has(thrown, SocketTimeoutException.class)) {
            return "The server at " + address + " did not answer in time.";
        }
        if (has(thrown, SSLException.class) || "08004".equals(state) && database.tlsMode() != TlsMode.DISABLE) {
            return "The TLS handshake with " + address + " failed (tlsMode " + database.tlsMode().wireName()
                    + "): the server may not offer TLS, or its certificate is not trusted or does not name the host.";
        }
        return "The server at " + address + " refused the connection" + (state == null ? "." : " (SQLSTATE " + state + ").");
    }

    private static String sqlState(Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null && !sql.getSQLState().startsWith("08")) {
                return sql.getSQLState();
            }
        }
        for (Throwable cause = thrown; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    private static int errorCode(Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getErrorCode() != 0) {
                return sql.getErrorCode();
            }
        }
        return 0;
    }

    private static boolean has(Throwable thrown, Class<? extends Throwable> kind) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (kind.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
