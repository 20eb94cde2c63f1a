package dev.switchboard.shared.internal.config;

import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;

/**
 * Gives back to the operating system the heap that start-up needed and the running server does not. Building the
 * context allocates a few hundred megabytes of short-lived objects (configuration classes read, bean definitions,
 * proxies); the JVM keeps the heap it grew for them committed, so an idle replica stayed at its start-up peak. Once
 * the context is refreshed and before readiness turns to accepting traffic ({@link ApplicationStartedEvent} comes
 * before {@code ApplicationReadyEvent}), one full collection runs with the free-heap ratios lowered, so that the
 * collector shrinks the heap to what is live, then the JVM's ratios are put back: under load the heap grows again as
 * it always did, up to {@code -Xmx}. Ratios set on the command line ({@code -XX:MinHeapFreeRatio},
 * {@code -XX:MaxHeapFreeRatio}) are left alone, and {@code -XX:+DisableExplicitGC} turns the collection into a no-op.
 * Off with {@code switchboard.startup.trim-heap=false}.
 */
@Component
class StartupHeapTrim implements ApplicationListener<ApplicationStartedEvent> {

    private static final Logger log = LoggerFactory.getLogger(StartupHeapTrim.class);

    /** Free share of the heap kept after the trim's collection: enough not to collect again at the first requests. */
    static final String MIN_FREE = "10";
    static final String MAX_FREE = "20";

    private final SwitchboardProperties properties;

    StartupHeapTrim(SwitchboardProperties properties) {
        this.properties = properties;
    }

    @Override
    public void onApplicationEvent(ApplicationStartedEvent event) {
        if (properties.startup().trimHeap()) {
            trim();
        }
    }

    /** Collects once with lowered free-heap ratios; returns the committed heap in bytes before and after. */
    static long[] trim() {
        LongSupplier committed = () -> ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
        long before = committed.getAsLong();
        long started = System.nanoTime();
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        VMOption min = option(vm, "MinHeapFreeRatio");
        VMOption max = option(vm, "MaxHeapFreeRatio");
        boolean lower = min != null && max != null && min.getOrigin() == VMOption.Origin.DEFAULT
                && max.getOrigin() == VMOption.Origin.DEFAULT && min.isWriteable() && max.isWriteable();
        try {
            if (lower) {
                // Min before max going down (min <= max at every step), max before min going up.
                vm.setVMOption("MinHeapFreeRatio", MIN_FREE);
                vm.setVMOption("MaxHeapFreeRatio", MAX_FREE);
            }
            System.gc();
        }
        catch (RuntimeException ex) {
            log.debug("Start-up heap trim: the free-heap ratios could not be lowered", ex);
        }
        finally {
            if (lower) {
                restore(vm, max);
                restore(vm, min);
            }
        }
        long after = committed.getAsLong();
        log.info("Start-up heap trim: committed heap {} MB -> {} MB ({} ms; switchboard.startup.trim-heap)",
                before >> 20, after >> 20, (System.nanoTime() - started) / 1_000_000);
        return new long[] {before, after};
    }

    private static VMOption option(HotSpotDiagnosticMXBean vm, String name) {
        try {
            return vm.getVMOption(name);
        }
        catch (IllegalArgumentException ex) {
            return null;
        }
    }

    private static void restore(HotSpotDiagnosticMXBean vm, VMOption option) {
        try {
            vm.setVMOption(option.getName(), option.getValue());
        }
        catch (RuntimeException ex) {
            log.warn("Start-up heap trim: could not restore {}={}", option.getName(), option.getValue(), ex);
        }
    }
}
