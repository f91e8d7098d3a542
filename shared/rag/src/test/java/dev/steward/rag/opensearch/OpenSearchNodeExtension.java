package dev.steward.rag.opensearch;

import java.net.URI;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives OpenSearch tests one shared node per test JVM: the first test class that needs it starts it
 * ({@link OpenSearchNode#start()}, 20-30 s), and it is stopped when the whole test run ends (the root context closes
 * the stored node). The script's watcher stops it too if the JVM dies first. With system property
 * {@code steward.opensearch.url} set, tests use that node instead and nothing is started.
 */
public final class OpenSearchNodeExtension implements BeforeAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(OpenSearchNodeExtension.class);
    private static volatile URI url;

    @Override
    public void beforeAll(ExtensionContext context) {
        if (url != null) {
            return;
        }
        String given = System.getProperty("steward.opensearch.url");
        if (given != null && !given.isBlank()) {
            url = URI.create(given);
            return;
        }
        OpenSearchNode node = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("node", key -> OpenSearchNode.start(), OpenSearchNode.class);
        url = node.url();
    }

    /** The node's URL; valid in tests of a class extended with this extension. */
    public static URI url() {
        if (url == null) {
            throw new IllegalStateException("no OpenSearch node: extend the test class with OpenSearchNodeExtension");
        }
        return url;
    }
}
