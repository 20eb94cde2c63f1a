package dev.switchboard;

import java.io.File;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
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

    /** The packages a loader above this one can have (null: ask the parent for every class, as a class loader does). */
    private final Set<String> parentPackages;

    IndexedClassLoader(URL[] urls, ClassLoader parent) throws IOException {
        this(urls, parent, null);
    }

    /**
     * @param parentPackages every package the parent and the loaders above it can define a class in, or null if that is
     *        not known: a class in another package is then looked up in these jars without asking the parent first
     */
    IndexedClassLoader(URL[] urls, ClassLoader parent, Set<String> parentPackages) throws IOException {
        super(urls, parent);
        this.parentPackages = parentPackages;
        this.jarUrls = urls.clone();
        this.jars = new JarFile[urls.length];
        Map<String, List<Integer>> index = new HashMap<>();
        for (int i = 0; i < urls.length; i++) {
            JarURLConnection connection = (JarURLConnection) urls[i].openConnection();
            jars[i] = connection.getJarFile();
            index(jars[i], i, index);
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
        IndexedClassLoader indexed = new IndexedClassLoader(urls, current.getParent(), parentPackages(current.getParent()));
        System.setProperty(SUMMARY, "indexed class loader over %d jars (%d directories, built in %d ms); %s".formatted(urls.length,
                indexed.jarsByDirectory.size(), (System.nanoTime() - started) / 1_000_000, indexed.parentPackages == null
                        ? "every class asked of the parent loader first"
                        : "only classes of the %d JDK and launcher packages asked of the parent loader first"
                                .formatted(indexed.parentPackages.size())));
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

    /**
     * The packages the launcher loader's parent can define classes in, when that parent is the JVM's own application
     * loader over the packaged jar alone: the JDK's (every package of the boot layer's modules) and those of the
     * packaged jar's own classes outside {@code BOOT-INF/} (the launcher). Null, so that every class is asked of the
     * parent first, when anything else could answer: another class path entry (a {@code -javaagent} jar is one), a
     * manifest {@code Class-Path}, an appended boot class path or a custom system class loader.
     */
    static Set<String> parentPackages(ClassLoader parent) throws IOException {
        String classPath = System.getProperty("java.class.path", "");
        if (parent != ClassLoader.getSystemClassLoader()
                || !parent.getClass().getName().equals("jdk.internal.loader.ClassLoaders$AppClassLoader")
                || System.getProperty("java.system.class.loader") != null
                || System.getProperty("jdk.boot.class.path.append") != null
                || classPath.isEmpty() || classPath.contains(File.pathSeparator)) {
            return null;
        }
        Set<String> packages = new HashSet<>();
        for (Module module : ModuleLayer.boot().modules()) {
            packages.addAll(module.getPackages());
        }
        try (JarFile launched = new JarFile(classPath)) {
            Manifest manifest = launched.getManifest();
            if (manifest != null && manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH) != null) {
                return null;
            }
            for (Enumeration<JarEntry> entries = launched.entries(); entries.hasMoreElements();) {
                String name = entries.nextElement().getName();
                if (name.endsWith(".class") && !name.startsWith("BOOT-INF/")) {
                    String directory = directoryOf(name);
                    packages.add(directory.isEmpty() ? "" : directory.substring(0, directory.length() - 1).replace('/', '.'));
                }
            }
        }
        return Set.copyOf(packages);
    }

    /**
     * A class in a package none of the loaders above this one has is looked up in these jars at once: asking the parent
     * first would have it search the packaged jar and throw a {@link ClassNotFoundException}, stack trace and all, for
     * each of the application's ~11,000 classes.
     */
    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (parentMayHave(name, '.')) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> type = findLoadedClass(name);
            if (type == null) {
                type = findClass(name);
            }
            if (resolve) {
                resolveClass(type);
            }
            return type;
        }
    }

    /**
     * A class file of a package none of the loaders above this one has (Spring reads them to learn a class's annotations
     * without loading it) is looked up in these jars at once, like its class; other resources parent first.
     */
    @Override
    public URL getResource(String name) {
        if (!name.endsWith(".class") || !indexable(name) || parentMayHave(name.substring(0, name.length() - 6), '/')) {
            return super.getResource(name);
        }
        return findResource(name);
    }

    private boolean parentMayHave(String name, char separator) {
        int last = name.lastIndexOf(separator);
        return parentPackages == null || last < 0 || parentPackages.contains(separator == '.' ? name.substring(0, last)
                : name.substring(0, last).replace('/', '.'));
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

    // A method of its own, not a loop in the constructor: the JIT compiles it as it is, where a loop in the constructor
    // ran long enough to be compiled on the stack, a compilation that took the compiler ~0.6 s of a 2-core start.
    private static void index(JarFile jar, int i, Map<String, List<Integer>> index) {
        for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements();) {
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

    private static void add(Map<String, List<Integer>> index, String directory, int jar) {
        List<Integer> jarIndexes = index.computeIfAbsent(directory, d -> new ArrayList<>(1));
        if (jarIndexes.isEmpty() || jarIndexes.get(jarIndexes.size() - 1) != jar) {
            jarIndexes.add(jar);
        }
    }
}
