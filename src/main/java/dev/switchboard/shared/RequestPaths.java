package dev.switchboard.shared;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The one path every decision about a request is made on: the path within the application (context path
 * stripped), with path parameters ({@code ;jsessionid=…}) removed from each segment, each segment
 * percent-decoded as UTF-8, and empty ({@code //}) and dot ({@code /./}, {@code /../}) segments collapsed. It
 * is the path Tomcat maps and Spring MVC routes on ({@code RequestPath.parse} matches each segment's
 * decoded value without its parameters), so a filter that decides on it cannot be walked around with
 * {@code /%6detrics} or {@code /%61pi/…}. Case and a trailing slash are kept: routing is case-sensitive and
 * tells {@code /a} from {@code /a/} too.
 * <p>
 * {@link #ambiguity} names the raw forms whose meaning depends on who decodes them (an encoded slash, dot,
 * backslash or percent; dot or empty segments; any {@code ;}); {@code RequestPathFilter} refuses those with
 * 400 before anything else looks at the path, so that for every request that goes on, the raw path and this
 * one differ only by plain percent-encoding.
 */
public final class RequestPaths {

    private RequestPaths() {
    }

    /** The normalised path within the application of this request (or of its forward target). */
    public static String of(HttpServletRequest request) {
        return normalise(rawPathWithinApplication(request));
    }

    /** The request URI as sent, without the context path: nothing decoded or removed. */
    public static String rawPathWithinApplication(HttpServletRequest request) {
        String uri = request.getRequestURI();
        if (uri == null) {
            return "";
        }
        String context = request.getContextPath();
        return context != null && !context.isEmpty() && uri.startsWith(context) ? uri.substring(context.length()) : uri;
    }

    /**
     * Normalises a raw path: path parameters removed, segments decoded, {@code //} and {@code /./} collapsed,
     * {@code ..} resolved (never above the root). Malformed escapes are kept literally; such paths are
     * {@linkplain #ambiguity ambiguous} and refused before anyone decides on them.
     */
    public static String normalise(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "/";
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : raw.split("/", -1)) {
            String value = decode(withoutParameters(segment));
            if (value.isEmpty() || value.equals(".")) {
                continue;
            }
            if (value.equals("..")) {
                segments.pollLast();
                continue;
            }
            segments.addLast(value);
        }
        String path = "/" + String.join("/", segments);
        boolean trailingSlash = raw.endsWith("/") || raw.endsWith("/.") || raw.endsWith("/..");
        return trailingSlash && !segments.isEmpty() ? path + "/" : path;
    }

    /**
     * Why the raw path (within the application) is ambiguous, or empty when it is plain: its only difference
     * from {@link #normalise} is percent-encoding of characters that mean nothing to routing.
     */
    public static Optional<String> ambiguity(String raw) {
        if (raw == null || raw.isEmpty() || raw.charAt(0) != '/') {
            return Optional.empty();
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == ';') {
                return Optional.of("path parameters (';') are not accepted");
            }
            if (c == '\\') {
                return Optional.of("a backslash is not accepted");
            }
            if (c < 0x20 || c == 0x7f) {
                return Optional.of("control characters are not accepted");
            }
            if (c == '%') {
                int value = i + 2 < raw.length() ? hex(raw.charAt(i + 1), raw.charAt(i + 2)) : -1;
                if (value < 0) {
                    return Optional.of("'%' must start a two-digit escape");
                }
                if (value == '/' || value == '\\' || value == '.' || value == '%' || value == ';'
                        || value < 0x20 || value == 0x7f) {
                    return Optional.of("the encoded character %" + raw.substring(i + 1, i + 3).toUpperCase()
                            + " is not accepted");
                }
            }
        }
        String[] segments = raw.split("/", -1);
        for (int i = 1; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.equals(".") || segment.equals("..")) {
                return Optional.of("'.' and '..' segments are not accepted");
            }
            if (segment.isEmpty() && i < segments.length - 1) {
                return Optional.of("empty segments ('//') are not accepted");
            }
            if (!validUtf8(segment)) {
                return Optional.of("percent-escapes must encode UTF-8");
            }
        }
        return Optional.empty();
    }

    private static String withoutParameters(String segment) {
        int semicolon = segment.indexOf(';');
        return semicolon < 0 ? segment : segment.substring(0, semicolon);
    }

    private static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        byte[] bytes = decodeBytes(segment);
        return bytes == null ? segment : new String(bytes, StandardCharsets.UTF_8);
    }

    private static boolean validUtf8(String segment) {
        if (segment.indexOf('%') < 0) {
            return true;
        }
        byte[] bytes = decodeBytes(segment);
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        }
        catch (CharacterCodingException ex) {
            return false;
        }
    }

    /** The bytes of a percent-encoded segment, or {@code null} for a malformed escape. */
    private static byte[] decodeBytes(String segment) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(segment.length());
        byte[] plain = segment.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < plain.length; i++) {
            if (plain[i] == '%') {
                int value = i + 2 < plain.length ? hex((char) plain[i + 1], (char) plain[i + 2]) : -1;
                if (value < 0) {
                    return null;
                }
                out.write(value);
                i += 2;
            }
            else {
                out.write(plain[i]);
            }
        }
        return out.toByteArray();
    }

    private static int hex(char high, char low) {
        int h = Character.digit(high, 16);
        int l = Character.digit(low, 16);
        return h < 0 || l < 0 ? -1 : h * 16 + l;
    }
}
