package dev.steward.core.runtime;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * Work a Lambda function does once before its SnapStart snapshot is taken, so that an execution environment restored
 * from the snapshot starts with it done: models loaded into memory, native libraries linked, lexicons compiled, the
 * hot classes loaded and run once. Without it that work falls on the first request each restored environment serves
 * (SnapStart snapshots what the function's initialisation did, and a handler loads most of these lazily).
 *
 * <p>The work runs in the runtime's CRaC {@code beforeCheckpoint} hook ({@code org.crac}), so it costs nothing where
 * no snapshot is taken (local mode, a function without SnapStart). It must not open network connections or read
 * credentials (both would be stale after a restore) and must not create state that has to differ between
 * environments (random seeds, ids). A failure is logged and swallowed: priming only moves work earlier, and the
 * function still does the work on first use if priming could not.
 */
public final class Priming {
    private static final System.Logger LOG = System.getLogger(Priming.class.getName());
    /** CRaC keeps its resources weakly; these strong references keep them registered. */
    private static final List<Resource> REGISTERED = new CopyOnWriteArrayList<>();

    private Priming() {}

    /** Registers {@code work}, named {@code name} in the log, to run before the snapshot. */
    public static void beforeSnapshot(String name, Runnable work) {
        beforeSnapshot(Core.getGlobalContext(), name, work);
    }

    /** As {@link #beforeSnapshot(String, Runnable)}, with the runtime's context given (tests play the runtime). */
    static void beforeSnapshot(Context<Resource> context, String name, Runnable work) {
        Resource resource = new Resource() {
            @Override
            public void beforeCheckpoint(Context<? extends Resource> context) {
                run(name, work);
            }

            @Override
            public void afterRestore(Context<? extends Resource> context) {
                // nothing to reopen: priming holds no connections
            }
        };
        REGISTERED.add(resource);
        context.register(resource);
    }

    /** Runs {@code work} now, logging how long it took or why it failed; true when it completed. */
    static boolean run(String name, Runnable work) {
        long started = System.nanoTime();
        try {
            work.run();
            LOG.log(Level.INFO, "primed {0} in {1} ms before the snapshot", name, (System.nanoTime() - started) / 1_000_000);
            return true;
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "priming " + name + " failed; the first request will do this work instead", e);
            return false;
        }
    }
}
