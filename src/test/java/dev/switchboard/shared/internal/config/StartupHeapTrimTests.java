package dev.switchboard.shared.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;

import com.sun.management.HotSpotDiagnosticMXBean;

/** The start-up trim collects with lowered free-heap ratios and puts the JVM's own back afterwards. */
class StartupHeapTrimTests {

    final HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);

    @Test
    void theHeapDoesNotGrowAndTheRatiosAreRestored() {
        String min = vm.getVMOption("MinHeapFreeRatio").getValue();
        String max = vm.getVMOption("MaxHeapFreeRatio").getValue();
        long[] committed = StartupHeapTrim.trim();
        assertThat(committed[1]).as("committed heap after the trim").isLessThanOrEqualTo(committed[0]).isPositive();
        assertThat(vm.getVMOption("MinHeapFreeRatio").getValue()).isEqualTo(min);
        assertThat(vm.getVMOption("MaxHeapFreeRatio").getValue()).isEqualTo(max);
    }
}
