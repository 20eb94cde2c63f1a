package dev.switchboard.shared;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The directory under which Switchboard keeps what it stores on local disk ({@code switchboard.data-dir}):
 * the embedded PostgreSQL cluster, and later the knowledge index and uploaded originals.
 */
public final class DataDirectory {

    private final Path root;

    public DataDirectory(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The absolute root directory. */
    public Path root() {
        return root;
    }

    /** A sub-directory of the root, created if missing. */
    public Path directory(String name) {
        Path directory = root.resolve(name).normalize();
        if (!directory.startsWith(root)) {
            throw new IllegalArgumentException("Not a sub-directory of the data directory: " + name);
        }
        try {
            return Files.createDirectories(directory);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot create " + directory + " (check switchboard.data-dir)", ex);
        }
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
