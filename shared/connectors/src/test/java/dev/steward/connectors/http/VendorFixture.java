package dev.steward.connectors.http;

import dev.steward.connectors.Tool;
import dev.steward.core.tenant.TenantId;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A vendor connector's test bed, registered as a static extension: DynamoDB Local with the tenants' connections and a
 * {@link FakeVendorServer} answering as the {@link #vendor()} does, started before all tests, its record of requests
 * cleared before each.
 *
 * @param <V> the fake vendor's API
 */
public abstract class VendorFixture<V extends FakeVendorServer.Api> implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
    /** Two tenants with a connection each (made by {@link #connect}), and one without. */
    public static final TenantId ACME = TenantId.of("acme");
    public static final TenantId GLOBEX = TenantId.of("globex");
    public static final TenantId INITECH = TenantId.of("initech");

    private final V vendor;
    private VendorTestSupport support;
    private FakeVendorServer server;

    protected VendorFixture(V vendor) {
        this.vendor = vendor;
    }

    /** Stores the tenants' connections. */
    protected abstract void connect(VendorTestSupport support);

    /** The tool {@code name} of the vendor's connector that sends to {@code base} with {@code timeout}. */
    public abstract Tool tool(String name, URI base, Duration timeout);

    /** The tool {@code name} of the vendor's connector that sends to the fake vendor. */
    public Tool tool(String name) {
        return tool(name, server.baseUrl(), Duration.ofSeconds(5));
    }

    /** The fake vendor, to give it records to read and to see what it kept. */
    public V vendor() {
        return vendor;
    }

    public VendorTestSupport support() {
        return support;
    }

    public FakeVendorServer server() {
        return server;
    }

    @Override
    public final void beforeAll(ExtensionContext context) throws Exception {
        support = new VendorTestSupport();
        server = new FakeVendorServer(vendor);
        connect(support);
    }

    @Override
    public final void beforeEach(ExtensionContext context) {
        server.reset();
    }

    @Override
    public final void afterAll(ExtensionContext context) {
        server.close();
        support.close();
    }
}
