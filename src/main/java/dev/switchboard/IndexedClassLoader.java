package dev.switchboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.JarURLConnection;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The class loader Switchboard runs in when started with {@code java -jar}: the same jars, in the same order, as Spring
 * Boot's launcher loader, plus an index of which jars hold entries in which directory.
 *
 * <p>Why: the launcher's loader is a {@link URLClassLoader} over about 320 nested jars, and a URL class path finds a class
 * by asking every jar in turn, building a URL for each; a class that is absent (every {@code @ConditionalOnClass} that
 * does not match) asks all of them. A start-up profile of the plain jar had half of the main thread's samples in that
 * search. With the index a class or resource is looked up only in the jars that have entries in its directory, and an
 * absent one is refused without opening any.
 *
 * <p>What stays the same: parent-first delegation to the launcher loader's parent; the first jar in class-path order wins;
 * {@link #getResources} lists every jar's copy in that order; packages are defined from the jar's manifest; each class's
 * code source is its jar. Multi-release jars are indexed under their unversioned names and read through the jar file the
 * launcher opened, so the runtime version's entry is the one defined. Directory names, the empty name and names with a
 * leading slash are left to the class path's own search.
 *
 * <p>Off with {@code -Dswitchboard.startup.indexed-class-loader=false} (or the environment variable
 * {@code SWITCHBOARD_STARTUP_INDEXED_CLASS_LOADER=false}): read before Spring starts, so not a Spring setting.
 */
final class IndexedClassLoader extends URLClassLoader {

    static final String SWITCH = "switchboard.startup.indexed-class-loader";

    /** Set once the application runs in this loader: what was indexed and how long it took, for the start-up log. */
    static final String SUMMARY = "switchboard.startup.class-loader";

    private static final String LAUNCHED_CLASS_LOADER = "org.springframework.boot.loader.launch.LaunchedClassLoader";
    private static final String VERSIONS = "META-INF/versions/";
    private static final int[] NONE = {};

    static {
        registerAsParallelCapable();
    }

    private final URL[] jarUrls;
    private final JarFile[] jars;
    private final Map<String, int[]> jarsByDirectory;

    IndexedClassLoader(URL[] urls, ClassLoader parent) throws IOException {
        super(urls, parent);
        this.jarUrls = urls.clone();
        this.jars = new JarFile[urls.length];
        Map<String, List<Integer>> index = new HashMap<>();
        for (int i = 0; i < urls.length; i++) {
            JarURLConnection connection = (JarURLConnection) urls[i].openConnection();
            jars[i] = connection.getJarFile();
            for (Enumeration<JarEntry> entries = jars[i].entries(); entries.hasMoreElements();) {
                String name = entries.nextElement().getName();
                add(index, directoryOf(name), i);
                if (name.startsWith(VERSIONS)) {
                    int slash = name.indexOf('/', VERSIONS.length());
                    if (slash > 0 && slash < name.length() - 1) {
                        add(index, directoryOf(name.substring(slash + 1)), i);
                    }
                }
            }
        }
        this.jarsByDirectory = new HashMap<>(index.size() * 4 / 3 + 1);
        index.forEach((directory, jarIndexes) -> jarsByDirectory.put(directory,
                jarIndexes.stream().mapToInt(Integer::intValue).toArray()));
    }

    /**
     * Runs {@code main} again in an indexed loader over the launcher loader's jars when {@code main}'s class was loaded
     * by Spring Boot's launcher from a packaged jar (and the switch is not off).
     *
     * @return whether {@code main} ran there: the caller returns at once
     */
    static boolean relaunch(Class<?> main, String[] args) throws Exception {
        ClassLoader current = main.getClassLoader();
        if (!enabled() || !(current instanceof URLClassLoader launched)
                || !current.getClass().getName().equals(LAUNCHED_CLASS_LOADER)) {
            return false;
        }
        URL[] urls = launched.getURLs();
        if (urls.length == 0 || !Arrays.stream(urls).allMatch(url -> url.getProtocol().equals("jar"))) {
            return false; // an exploded archive: directories on the class path, nothing nested to search
        }
        long started = System.nanoTime();
        IndexedClassLoader indexed = new IndexedClassLoader(urls, current.getParent());
        System.setProperty(SUMMARY, "indexed class loader over %d jars (%d directories, built in %d ms)".formatted(urls.length,
                indexed.jarsByDirectory.size(), (System.nanoTime() - started) / 1_000_000));
        Thread.currentThread().setContextClassLoader(indexed);
        try {
            Class.forName(main.getName(), true, indexed).getMethod("main", String[].class).invoke(null, (Object) args);
        }
        catch (InvocationTargetException failed) {
            if (failed.getCause() instanceof Exception exception) {
                throw exception;
            }
            throw failed;
        }
        return true;
    }

    private static boolean enabled() {
        String value = System.getProperty(SWITCH, System.getenv("SWITCHBOARD_STARTUP_INDEXED_CLASS_LOADER"));
        return value == null || !value.trim().equalsIgnoreCase("false");
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        String path = name.replace('.', '/').concat(".class");
        for (int i : candidates(path)) {
            JarEntry entry = jars[i].getJarEntry(path);
            if (entry != null) {
                try {
                    return define(name, i, entry);
                }
                catch (IOException unreadable) {
                    throw new ClassNotFoundException(name, unreadable);
                }
            }
        }
        throw new ClassNotFoundException(name);
    }

    @Override
    public URL findResource(String name) {
        if (!indexable(name)) {
            return super.findResource(name);
        }
        for (int i : candidates(name)) {
            JarEntry entry = jars[i].getJarEntry(name);
            if (entry != null) {
                return resource(i, entry);
            }
        }
        return null;
    }

    @Override
    public Enumeration<URL> findResources(String name) throws IOException {
        if (!indexable(name)) {
            return super.findResources(name);
        }
        List<URL> found = new ArrayList<>(1);
        for (int i : candidates(name)) {
            JarEntry entry = jars[i].getJarEntry(name);
            if (entry != null) {
                found.add(resource(i, entry));
            }
        }
        return Collections.enumeration(found);
    }

    private Class<?> define(String name, int jar, JarEntry entry) throws IOException {
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            definePackageOnce(name.substring(0, dot), jar);
        }
        byte[] bytes;
        try (InputStream in = jars[jar].getInputStream(entry)) {
            bytes = in.readAllBytes();
        }
        // The signers are known once the entry has been read to its end.
        return defineClass(name, bytes, 0, bytes.length, new CodeSource(jarUrls[jar], entry.getCodeSigners()));
    }

    private void definePackageOnce(String name, int jar) throws IOException {
        if (getDefinedPackage(name) != null) {
            return;
        }
        Manifest manifest = jars[jar].getManifest();
        try {
            if (manifest != null) {
                definePackage(name, manifest, jarUrls[jar]);
            }
            else {
                definePackage(name, null, null, null, null, null, null, null);
            }
        }
        catch (IllegalArgumentException definedMeanwhile) {
            // Another thread defined it first (this loader is parallel capable): that is the package.
            if (getDefinedPackage(name) == null) {
                throw definedMeanwhile;
            }
        }
    }

    private int[] candidates(String name) {
        return jarsByDirectory.getOrDefault(directoryOf(name), NONE);
    }

    @SuppressWarnings("deprecation") // URL(URL, String): how the URL class path itself makes an entry's URL, through the jar URL's handler
    private URL resource(int jar, JarEntry entry) {
        try {
            // The entry's real name: in a multi-release jar the versioned one the jar file chose, as the class path names it.
            return new URL(jarUrls[jar], entry.getRealName());
        }
        catch (MalformedURLException impossible) {
            throw new UncheckedIOException(impossible);
        }
    }

    private static boolean indexable(String name) {
        return !name.isEmpty() && !name.startsWith("/") && !name.endsWith("/");
    }

    /** {@code a/b/C.class} → {@code a/b/}; {@code a/b/} → {@code a/}; {@code C.class} → the empty string. */
    static String directoryOf(String name) {
        int end = name.endsWith("/") ? name.length() - 1 : name.length();
        return name.substring(0, name.lastIndexOf('/', end - 1) + 1);
    }

    private static void add(Map<String, List<Integer>> index, String directory, int jar) {
        List<Integer> jarIndexes = index.computeIfAbsent(directory, d -> new ArrayList<>(1));
        if (jarIndexes.isEmpty() || jarIndexes.get(jarIndexes.size() - 1) != jar) {
            jarIndexes.add(jar);
        }
    }
}
