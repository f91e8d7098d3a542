package dev.steward.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's own behaviour, without a running local mode. */
class StewardCliTest {
    @TempDir
    Path dataDir;

    @Test
    void aCommandWhileLocalModeIsNotRunningSaysSoInOneLineWithoutAStackTrace() {
        HelpdeskIT.StewardCliRun run = HelpdeskIT.StewardCliRun.of("ask", "--tenant", "demo", "--data-dir", dataDir.toString(),
                "How long do refunds take?");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("steward: local mode is not running with data dir " + dataDir + ": start it with ./steward up");
        assertThat(run.err()).doesNotContain("\tat ", "Exception");
    }
}
