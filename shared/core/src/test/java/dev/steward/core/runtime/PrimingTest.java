package dev.steward.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.crac.CheckpointException;
import org.crac.Context;
import org.crac.Resource;
import org.crac.RestoreException;
import org.junit.jupiter.api.Test;

class PrimingTest {
    /**
     * The runtime's side, as a CRaC implementation behaves: resources held weakly, each one's beforeCheckpoint
     * called when the snapshot is about to be taken. (A JVM without CRaC, like this one, never calls the hooks.)
     */
    static final class SnapshottingRuntime extends Context<Resource> {
        private final List<WeakReference<Resource>> resources = new ArrayList<>();

        @Override
        public void register(Resource resource) {
            resources.add(new WeakReference<>(resource));
        }

        @Override
        public void beforeCheckpoint(Context<? extends Resource> context) throws CheckpointException {
            for (WeakReference<Resource> r : resources) {
                Resource resource = r.get();
                if (resource != null) {
                    try {
                        resource.beforeCheckpoint(this);
                    } catch (Exception e) {
                        throw new CheckpointException();
                    }
                }
            }
        }

        @Override
        public void afterRestore(Context<? extends Resource> context) throws RestoreException {}
    }

    @Test
    void registeredWorkRunsWhenTheRuntimeTakesTheSnapshotAndNotBefore() throws Exception {
        SnapshottingRuntime runtime = new SnapshottingRuntime();
        AtomicInteger ran = new AtomicInteger();
        Priming.beforeSnapshot(runtime, "counter", ran::incrementAndGet);
        assertThat(ran).hasValue(0);
        System.gc(); // the runtime holds hooks weakly: one nobody else kept would be gone and never run

        runtime.beforeCheckpoint(null);

        assertThat(ran).hasValue(1);
    }

    @Test
    void aFailingPrimingDoesNotStopTheSnapshot() throws Exception {
        SnapshottingRuntime runtime = new SnapshottingRuntime();
        AtomicInteger ran = new AtomicInteger();
        Priming.beforeSnapshot(runtime, "broken", () -> {
            throw new IllegalStateException("model file missing");
        });
        Priming.beforeSnapshot(runtime, "fine", ran::incrementAndGet);

        runtime.beforeCheckpoint(null); // would throw CheckpointException if a hook threw

        assertThat(ran).hasValue(1);
    }

    @Test
    void onAJvmWithoutCracRegisteringIsHarmless() {
        AtomicInteger ran = new AtomicInteger();
        Priming.beforeSnapshot("counter", ran::incrementAndGet);
        assertThat(ran).hasValue(0);
    }
}
