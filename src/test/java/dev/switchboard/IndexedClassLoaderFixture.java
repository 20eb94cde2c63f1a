package dev.switchboard;

import java.util.function.Supplier;

/** A class that depends on the JDK alone, packed into the jars {@link IndexedClassLoaderTests} loads it from. */
public final class IndexedClassLoaderFixture implements Supplier<String> {

    @Override
    public String get() {
        return "loaded from " + getClass().getProtectionDomain().getCodeSource().getLocation();
    }
}
