package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The indexed class loader over real jars (the packaged jar's own run is {@code PackagedJarIT}): it finds what a URL
 * class loader over the same jars finds, in the same order, and refuses what is absent.
 */
class IndexedClassLoaderTests {

    static final String FIXTURE = IndexedClassLoaderFixture.class.getName();

    @TempDir
    Path dir;

    URL one;
    URL two;
    URL versioned;
    IndexedClassLoader loader;

    @BeforeEach
    void jars() throws IOException {
        byte[] fixture;
        try (InputStream in = IndexedClassLoaderFixture.class.getResourceAsStream("IndexedClassLoaderFixture.class")) {
            fixture = in.readAllBytes();
        }
        String classEntry = FIXTURE.replace('.', '/') + ".class";
        one = jar("one.jar", Map.of("Implementation-Title", "fixture one"),
                Map.of(classEntry, fixture, "shared/data.txt", bytes("one"), "META-INF/services/example.Service", bytes("one")));
        two = jar("two.jar", Map.of(), Map.of(classEntry, fixture, "shared/data.txt", bytes("two"), "only/two.txt", bytes("two"),
                "META-INF/services/example.Service", bytes("two")));
        versioned = jar("versioned.jar", Map.of("Multi-Release", "true"),
                Map.of("META-INF/versions/21/mr/release.txt", bytes("21"), "mr/release.txt", bytes("base"),
                        "META-INF/versions/21/mr/only.txt", bytes("21 only")));
        // As a launcher opens a multi-release jar: for the running Java version.
        versioned = new URL(versioned + "#runtime");
        // The platform loader as parent: the test's own class path must not answer for the jars.
        loader = new IndexedClassLoader(new URL[] {one, two, versioned}, ClassLoader.getPlatformClassLoader());
    }

    @Test
    void aClassComesFromTheFirstJarThatHasItWithItsPackageFromThatJarsManifest() throws Exception {
        Class<?> type = loader.loadClass(FIXTURE);

        assertThat(type.getClassLoader()).isSameAs(loader);
        assertThat(type).isNotSameAs(IndexedClassLoaderFixture.class);
        assertThat(type.getProtectionDomain().getCodeSource().getLocation()).isEqualTo(one);
        assertThat(type.getPackage().getImplementationTitle()).isEqualTo("fixture one");
        @SuppressWarnings("unchecked")
        Supplier<String> instance = (Supplier<String>) type.getDeclaredConstructor().newInstance();
        assertThat(instance.get()).isEqualTo("loaded from " + one);
        assertThat(loader.loadClass(FIXTURE)).isSameAs(type);
    }

    @Test
    void classesAndResourcesThatNoJarHasAreRefused() {
        assertThatExceptionOfType(ClassNotFoundException.class).isThrownBy(() -> loader.loadClass("dev.switchboard.Absent"));
        assertThatExceptionOfType(ClassNotFoundException.class).isThrownBy(() -> loader.loadClass("nowhere.Absent"));
        assertThat(loader.getResource("shared/absent.txt")).isNull();
        assertThat(loader.getResource("nowhere/absent.txt")).isNull();
    }

    @Test
    void resourcesAreFoundInClassPathOrder() throws IOException {
        assertThat(read(loader.getResource("shared/data.txt"))).isEqualTo("one");
        assertThat(read(loader.getResource("only/two.txt"))).isEqualTo("two");
        assertThat(Collections.list(loader.getResources("shared/data.txt"))).extracting(IndexedClassLoaderTests::read)
                .containsExactly("one", "two");
        assertThat(Collections.list(loader.getResources("META-INF/services/example.Service")))
                .extracting(IndexedClassLoaderTests::read).containsExactly("one", "two");
    }

    @Test
    void aMultiReleaseJarAnswersWithTheEntryTheJarFileChoosesForThisRuntime() throws IOException {
        assertThat(read(loader.getResource("mr/release.txt"))).isEqualTo(read(reference().getResource("mr/release.txt")))
                .isEqualTo("21");
        assertThat(read(loader.getResource("mr/only.txt"))).isEqualTo(read(reference().getResource("mr/only.txt")))
                .isEqualTo("21 only");
    }

    @Test
    void directoriesAndTheRootAreLeftToTheClassPathsOwnSearch() throws IOException {
        assertThat(Collections.list(loader.getResources("shared/"))).hasSameSizeAs(Collections.list(reference().getResources("shared/")));
        assertThat(loader.getResource("")).isEqualTo(reference().getResource(""));
    }

    @Test
    void threadsLoadingOneClassAtOnceGetOneClass() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            Callable<Class<?>> load = () -> loader.loadClass(FIXTURE);
            List<Future<Class<?>>> loads = threads.invokeAll(Collections.nCopies(32, load));
            Class<?> first = loads.get(0).get();
            for (Future<Class<?>> each : loads) {
                assertThat(each.get()).isSameAs(first);
            }
        }
        finally {
            threads.shutdownNow();
        }
    }

    @Test
    void withTheParentsPackagesKnownOnlyTheirClassesAreAskedOfTheParent() throws Exception {
        RecordingLoader parent = new RecordingLoader(IndexedClassLoaderTests.class.getClassLoader());
        IndexedClassLoader knowing = new IndexedClassLoader(new URL[] {one, two}, parent, jdkPackages());

        Class<?> fixture = knowing.loadClass(FIXTURE);
        assertThat(fixture.getClassLoader()).isSameAs(knowing);
        assertThat(knowing.getResource(FIXTURE.replace('.', '/') + ".class")).hasToString(one + FIXTURE.replace('.', '/') + ".class");
        assertThatExceptionOfType(ClassNotFoundException.class).isThrownBy(() -> knowing.loadClass("dev.switchboard.Absent"));
        assertThat(knowing.loadClass("java.util.List")).isSameAs(List.class);
        // The parent's own class path holds the fixture too: it was never asked, so it never answered.
        assertThat(parent.asked).contains("java.util.List", "java.util.function.Supplier").doesNotContain(FIXTURE, "dev.switchboard.Absent")
                .allMatch(name -> name.startsWith("java."));
        // Resources other than class files stay parent first.
        assertThat(read(knowing.getResource("shared/data.txt"))).isEqualTo("one");
        assertThat(parent.askedResources).containsExactly("shared/data.txt");
    }

    @Test
    void aClassInOneOfTheParentsPackagesIsTheParentsEvenWhenAJarHasItToo() throws Exception {
        ClassLoader parent = IndexedClassLoaderTests.class.getClassLoader();
        IndexedClassLoader knowing = new IndexedClassLoader(new URL[] {one, two}, parent, Set.of("dev.switchboard"));

        assertThat(knowing.loadClass(FIXTURE)).isSameAs(IndexedClassLoaderFixture.class);
        assertThat(knowing.getResource(FIXTURE.replace('.', '/') + ".class"))
                .isEqualTo(parent.getResource(FIXTURE.replace('.', '/') + ".class"));
    }

    @Test
    void theParentsPackagesAreKnownOnlyForTheJvmsLoaderOverThePackagedJarAlone() throws Exception {
        assertThat(IndexedClassLoader.parentPackages(ClassLoader.getPlatformClassLoader())).isNull();
        // Under the test runner the class path is many entries (or a jar whose manifest lists them): another loader than
        // the packaged jar's could answer, so every class goes to the parent first.
        assertThat(IndexedClassLoader.parentPackages(ClassLoader.getSystemClassLoader())).isNull();
    }

    @Test
    void notRelaunchedOutsideSpringBootsLauncher() throws Exception {
        assertThat(IndexedClassLoader.relaunch(IndexedClassLoaderTests.class, new String[0])).isFalse();
    }

    @Test
    void directories() {
        assertThat(IndexedClassLoader.directoryOf("a/b/C.class")).isEqualTo("a/b/");
        assertThat(IndexedClassLoader.directoryOf("a/b/")).isEqualTo("a/");
        assertThat(IndexedClassLoader.directoryOf("a/")).isEmpty();
        assertThat(IndexedClassLoader.directoryOf("C.class")).isEmpty();
    }

    private static Set<String> jdkPackages() {
        Set<String> packages = new HashSet<>();
        ModuleLayer.boot().modules().forEach(module -> packages.addAll(module.getPackages()));
        return packages;
    }

    /** A parent loader that records what it was asked for. */
    static final class RecordingLoader extends ClassLoader {

        final List<String> asked = new CopyOnWriteArrayList<>();

        final List<String> askedResources = new CopyOnWriteArrayList<>();

        RecordingLoader(ClassLoader parent) {
            super(parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            asked.add(name);
            return super.loadClass(name, resolve);
        }

        @Override
        public URL getResource(String name) {
            askedResources.add(name);
            return super.getResource(name);
        }
    }

    /** A plain URL class loader over the same jars: what the index must agree with. */
    private java.net.URLClassLoader reference() {
        return new java.net.URLClassLoader(new URL[] {one, two, versioned}, ClassLoader.getPlatformClassLoader());
    }

    private URL jar(String name, Map<String, String> attributes, Map<String, byte[]> entries) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        attributes.forEach((key, value) -> manifest.getMainAttributes().putValue(key, value));
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                jar.putNextEntry(new JarEntry(entry.getKey()));
                jar.write(entry.getValue());
                jar.closeEntry();
            }
        }
        return new URL("jar:" + file.toUri() + "!/");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String read(URL url) {
        try (InputStream in = url.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
