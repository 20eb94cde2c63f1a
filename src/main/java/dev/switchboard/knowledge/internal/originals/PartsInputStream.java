package dev.switchboard.knowledge.internal.originals;

import java.io.InputStream;
import java.util.Optional;
import java.util.function.IntFunction;

/** The bytes of parts 0, 1, 2… read one part at a time, as the reader gets to them, until a part is missing. */
final class PartsInputStream extends InputStream {

    private final IntFunction<Optional<byte[]>> parts;
    private byte[] current = new byte[0];
    private int position;
    private int next;
    private boolean ended;

    PartsInputStream(IntFunction<Optional<byte[]>> parts) {
        this.parts = parts;
    }

    @Override
    public int read() {
        return available() > 0 || fill() ? current[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        if (available() == 0 && !fill()) {
            return -1;
        }
        int n = Math.min(length, available());
        System.arraycopy(current, position, buffer, offset, n);
        position += n;
        return n;
    }

    @Override
    public int available() {
        return current.length - position;
    }

    /** Loads the next non-empty part; false at the end. */
    private boolean fill() {
        while (!ended) {
            Optional<byte[]> part = parts.apply(next++);
            if (part.isEmpty()) {
                ended = true;
                current = new byte[0];
                position = 0;
                return false;
            }
            current = part.get();
            position = 0;
            if (current.length > 0) {
                return true;
            }
        }
        return false;
    }
}
