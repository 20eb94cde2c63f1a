package dev.switchboard.shared.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.sun.management.HotSpotDiagnosticMXBean;

/**
 * The start-up trim collects with lowered free-heap ratios and puts the JVM's own back afterwards. Measured in a JVM of
 * its own, as at start-up: in the test fork the heap holds every cached test context, and with that much live data the
 * trim's minimum free share can make the collection grow the heap instead (seen in CI: 196 → 248 MB).
 */
class StartupHeapTrimTests {

    @Test
    void theHeapDoesNotGrowAndTheRatiosAreRestored() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"), Child.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        String result = output.lines().filter(line -> line.startsWith("TRIM ")).findFirst().orElseThrow(() -> new AssertionError(
                "no result from the child JVM: " + output));
        String[] values = result.substring("TRIM ".length()).split(" ");
        long before = Long.parseLong(values[0]);
        long after = Long.parseLong(values[1]);
        assertThat(after).as("committed heap after the trim").isLessThanOrEqualTo(before).isPositive();
        assertThat(values[2]).as("MinHeapFreeRatio restored").isEqualTo(values[3]);
        assertThat(values[4]).as("MaxHeapFreeRatio restored").isEqualTo(values[5]);
    }

    /** Allocates what a start-up leaves behind (garbage), trims, and prints the committed heap and the ratios. */
    static final class Child {

        @SuppressWarnings("unused")
        static volatile byte[][] garbage;

        public static void main(String[] args) {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            String min = vm.getVMOption("MinHeapFreeRatio").getValue();
            String max = vm.getVMOption("MaxHeapFreeRatio").getValue();
            for (int round = 0; round < 8; round++) {
                byte[][] blocks = new byte[16][];
                for (int i = 0; i < blocks.length; i++) {
                    blocks[i] = new byte[1 << 20];
                }
                garbage = blocks;
            }
            garbage = null;
            long[] committed = StartupHeapTrim.trim();
            System.out.println("TRIM " + committed[0] + " " + committed[1] + " " + min + " " + vm.getVMOption("MinHeapFreeRatio")
                    .getValue() + " " + max + " " + vm.getVMOption("MaxHeapFreeRatio").getValue());
        }
    }
}
