package dev.switchboard.shared.internal.web;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.switchboard.shared.BodyLimit;
import dev.switchboard.shared.ProblemResponder;
import dev.switchboard.shared.Problems;
import dev.switchboard.shared.RequestPaths;

/**
 * Refuses request bodies over {@code switchboard.http.max-body} with 413 before authentication, routing or
 * parsing. A declared {@code Content-Length} is judged at once; a chunked body (no length) is read here up
 * to the limit, so that it too is refused before anything else sees it.
 */
class BodySizeLimitFilter extends OncePerRequestFilter {

    private final long maxBytes;
    private final List<BodyLimit> pathLimits;
    private final ProblemResponder problems;

    BodySizeLimitFilter(DataSize maxBody, List<BodyLimit> pathLimits, ProblemResponder problems) {
        this.maxBytes = maxBody.toBytes();
        this.pathLimits = List.copyOf(pathLimits);
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        String path = RequestPaths.of(request);
        Optional<BodyLimit> pathLimit = pathLimits.stream()
                .filter(limit -> path.startsWith(limit.pathPrefix())).findFirst();
        long limit = pathLimit.map(l -> l.max().toBytes()).orElse(maxBytes);
        if (declared > limit) {
            refuse(request, response, limit);
            return;
        }
        if (declared < 0 && request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null && pathLimit.isEmpty()) {
            byte[] body = readAtMost(request.getInputStream(), maxBytes);
            if (body == null) {
                refuse(request, response, maxBytes);
                return;
            }
            chain.doFilter(new BufferedBodyRequest(request, body), response);
            return;
        }
        chain.doFilter(request, response);
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, long limit) throws IOException {
        // The rest of the body is not read: ask the client to close rather than to keep the connection.
        response.setHeader(HttpHeaders.CONNECTION, "close");
        problems.send(request, response, tooLarge(limit));
    }

    static ProblemDetail tooLarge(long limit) {
        return Problems.of(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large",
                "The request body is larger than the limit of " + describe(limit) + ".");
    }

    private static String describe(long bytes) {
        return bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0 ? DataSize.ofBytes(bytes).toMegabytes() + " MB"
                : DataSize.ofBytes(bytes).toKilobytes() + " KB";
    }

    /** The whole body, or {@code null} as soon as it exceeds {@code limit} bytes. */
    private static byte[] readAtMost(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long total = 0;
        for (int n; (n = in.read(buffer)) > 0;) {
            total += n;
            if (total > limit) {
                return null;
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** A request whose chunked body has already been read into memory. */
    private static final class BufferedBodyRequest extends HttpServletRequestWrapper {

        private final byte[] body;

        BufferedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("Non-blocking reads of a buffered body");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            Charset charset = encoding != null ? Charset.forName(encoding) : StandardCharsets.UTF_8;
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
