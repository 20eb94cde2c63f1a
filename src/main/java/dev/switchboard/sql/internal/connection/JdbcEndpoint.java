package dev.switchboard.sql.internal.connection;

import java.time.Duration;
import java.util.Properties;

/**
 * How a driver is told to reach a registered database: its JDBC URL and connection properties — credentials, the
 * TLS mode in the driver's words, timeouts, and the checked socket factory with its {@link OutboundSockets} key.
 * The password travels as a property, never in the URL (which pools and drivers log).
 *
 * @param url the JDBC URL, without credentials
 * @param properties the driver properties, the password among them
 */
record JdbcEndpoint(String url, Properties properties) {

    /** Never the properties: they hold the password. */
    @Override
    public String toString() {
        return "JdbcEndpoint[" + url + "]";
    }

    static JdbcEndpoint of(RegisteredDatabase database, String outboundKey, Duration connectTimeout) {
        Properties properties = new Properties();
        properties.setProperty("user", database.username());
        if (database.hasPassword()) {
            properties.setProperty("password", database.password());
        }
        properties.setProperty(OutboundSockets.PROPERTY, outboundKey);
        // A statement that outlives its own timeout by this much means the server or the network is gone.
        Duration socketTimeout = database.statementTimeout().multipliedBy(2).plusSeconds(10);
        String host = database.host().indexOf(':') >= 0 ? "[" + database.host() + "]" : database.host();
        return switch (database.kind()) {
            case POSTGRESQL -> postgres(database, host, properties, connectTimeout, socketTimeout);
            case MYSQL, MARIADB -> mariaDb(database, host, properties, connectTimeout, socketTimeout);
        };
    }

    private static JdbcEndpoint postgres(RegisteredDatabase database, String host, Properties properties, Duration connectTimeout,
            Duration socketTimeout) {
        properties.setProperty("socketFactory", PostgresSocketFactory.class.getName());
        properties.setProperty("connectTimeout", Long.toString(seconds(connectTimeout)));
        properties.setProperty("loginTimeout", Long.toString(seconds(connectTimeout)));
        properties.setProperty("socketTimeout", Long.toString(seconds(socketTimeout)));
        properties.setProperty("ApplicationName", "switchboard");
        switch (database.tlsMode()) {
            case DISABLE -> properties.setProperty("sslmode", "disable");
            case REQUIRE -> properties.setProperty("sslmode", "require");
            case VERIFY_FULL -> {
                properties.setProperty("sslmode", "verify-full");
                // The JVM's trust store, as for every other outbound TLS connection, rather than ~/.postgresql/root.crt.
                properties.setProperty("sslfactory", "org.postgresql.ssl.DefaultJavaSSLFactory");
            }
        }
        return new JdbcEndpoint("jdbc:postgresql://" + host + ":" + database.port() + "/" + urlPart(database.database()),
                properties);
    }

    private static JdbcEndpoint mariaDb(RegisteredDatabase database, String host, Properties properties, Duration connectTimeout,
            Duration socketTimeout) {
        properties.setProperty("socketFactory", MariaDbSocketFactory.class.getName());
        properties.setProperty("connectTimeout", Long.toString(connectTimeout.toMillis()));
        properties.setProperty("socketTimeout", Long.toString(socketTimeout.toMillis()));
        // Never LOAD DATA LOCAL: a hostile server could ask for any file of ours.
        properties.setProperty("allowLocalInfile", "false");
        properties.setProperty("permitMysqlScheme", "true");
        properties.setProperty("sslMode", switch (database.tlsMode()) {
            case DISABLE -> "disable";
            case REQUIRE -> "trust";
            case VERIFY_FULL -> "verify-full";
        });
        return new JdbcEndpoint("jdbc:mariadb://" + host + ":" + database.port() + "/" + urlPart(database.database()), properties);
    }

    private static long seconds(Duration duration) {
        return Math.max(1, (duration.toMillis() + 999) / 1000);
    }

    /** The database name as a URL path segment: percent-encoded, so a name cannot add parameters. */
    private static String urlPart(String name) {
        return java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
