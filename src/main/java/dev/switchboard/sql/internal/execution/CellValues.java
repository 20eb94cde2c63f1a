package dev.switchboard.sql.internal.execution;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/**
 * Turns a JDBC cell into a value a JSON answer carries — string, number, boolean or null — within a bounded size:
 * text longer than {@code maxChars} is cut with a marker saying how much was left out, binary values are described
 * by their length, never copied, and large objects are read only up to the bound.
 */
final class CellValues {

    static final String BINARY_MARKER = "[binary, %d bytes]";

    private final int maxChars;

    CellValues(int maxChars) {
        if (maxChars < 16) {
            throw new IllegalArgumentException("maxChars must be at least 16");
        }
        this.maxChars = maxChars;
    }

    Object read(ResultSet rows, int column, int sqlType) throws SQLException {
        return switch (sqlType) {
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY -> binary(rows.getBytes(column));
            case Types.BLOB -> blob(rows.getBlob(column));
            case Types.CLOB, Types.NCLOB -> clob(rows.getClob(column));
            case Types.BIT, Types.BOOLEAN -> rows.getObject(column) instanceof Boolean bool ? bool
                    : text(rows.getString(column));
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> number(rows.getObject(column));
            case Types.DECIMAL, Types.NUMERIC, Types.REAL, Types.FLOAT, Types.DOUBLE -> number(rows.getObject(column));
            default -> text(rows.getString(column));
        };
    }

    /** Cuts text over the bound: the first {@code maxChars} characters and a marker with the count left out. */
    String text(String value) {
        if (value == null || value.length() <= this.maxChars) {
            return value;
        }
        return value.substring(0, this.maxChars) + "…[" + (value.length() - this.maxChars) + " more characters]";
    }

    private Object number(Object value) {
        return switch (value) {
            case null -> null;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case Long l -> l;
            case BigInteger big -> new BigDecimal(big);
            case BigDecimal decimal -> decimal;
            case Double d when d.isNaN() || d.isInfinite() -> d.toString();
            case Float f when f.isNaN() || f.isInfinite() -> f.toString();
            case Double d -> d;
            case Float f -> f.doubleValue();
            default -> text(value.toString());
        };
    }

    private static String binary(byte[] value) {
        return value == null ? null : String.format(BINARY_MARKER, value.length);
    }

    private static String blob(Blob value) throws SQLException {
        return value == null ? null : String.format(BINARY_MARKER, value.length());
    }

    private String clob(Clob value) throws SQLException {
        if (value == null) {
            return null;
        }
        long length = value.length();
        String head = value.getSubString(1, (int) Math.min(length, this.maxChars + 1L));
        return length <= this.maxChars ? head
                : head.substring(0, this.maxChars) + "…[" + (length - this.maxChars) + " more characters]";
    }

}
