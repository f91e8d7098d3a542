package dev.steward.guardrails.policy;

import com.cedarpolicy.AuthorizationEngine;
import com.cedarpolicy.BasicAuthorizationEngine;
import com.cedarpolicy.model.schema.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The Cedar engine (native, loaded on first use) and the two texts shipped with Steward: the schema every policy
 * is validated against and the baseline policy. Thread-safe.
 */
final class CedarRuntime {
    static final String SCHEMA_TEXT = resource("steward.cedarschema");
    static final String BASELINE_TEXT = resource("baseline.cedar");

    private CedarRuntime() {}

    /** Initialised on first use, so merely loading the policy classes does not load the native library. */
    private static final class Holder {
        static final AuthorizationEngine ENGINE = new BasicAuthorizationEngine();
        static final Schema SCHEMA = parseSchema();

        private static Schema parseSchema() {
            try {
                return Schema.parse(Schema.JsonOrCedar.Cedar, SCHEMA_TEXT);
            } catch (com.cedarpolicy.model.exception.InternalException e) {
                throw new IllegalStateException("Steward's own Cedar schema does not parse: " + e.getMessage(), e);
            }
        }
    }

    static AuthorizationEngine engine() {
        return Holder.ENGINE;
    }

    static Schema schema() {
        return Holder.SCHEMA;
    }

    private static String resource(String name) {
        try (InputStream in = CedarRuntime.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " next to " + CedarRuntime.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
