package bench.support;

/** The idle-JVM baseline of bench/startup.sh: a JVM that loads nothing and waits a minute to be measured and ended. */
public final class IdleJvm {

    public static void main(String[] args) throws InterruptedException {
        Thread.sleep(60_000);
    }

}
