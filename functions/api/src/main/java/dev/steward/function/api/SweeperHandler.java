package dev.steward.function.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.time.Duration;
import java.util.Map;

/** Scheduled Lambda entry of {@link RunSweeper} (EventBridge rate schedule); the event's content is not used. */
public final class SweeperHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final RunSweeper sweeper;

    public SweeperHandler() {
        this(new RunSweeper(ApiConfig.fromEnvironment(System.getenv()),
                Duration.ofSeconds(Long.parseLong(System.getenv().getOrDefault("STEWARD_SWEEP_STALE_SECONDS", "120")))));
    }

    public SweeperHandler(RunSweeper sweeper) {
        this.sweeper = sweeper;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        RunSweeper.Sweep s = sweeper.sweepOnce();
        return Map.of("examined", s.examined(), "resumed", s.resumed(), "expired", s.expired(),
                "abandonedUploads", s.abandonedUploads());
    }
}
