package dev.steward.connectors.hubspot;

import dev.steward.connectors.Tool;
import dev.steward.connectors.connection.VendorEndpoints;
import dev.steward.connectors.http.ExternalHttpRead;
import dev.steward.connectors.http.ExternalHttpWrite;
import dev.steward.connectors.http.FakeHubSpot;
import dev.steward.connectors.http.VendorFixture;
import dev.steward.connectors.http.VendorTestSupport;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The HubSpot tools' test bed: the connections of Acme and Globex (and not Initech) and a {@link FakeHubSpot} that
 * knows both tokens and {@code records}. The tools' clock is fixed at {@link #CLOCK}.
 */
final class HubSpotFixture extends VendorFixture<FakeHubSpot> {
    static final String ACME_TOKEN = "pat-na1-acme-0000-1111";
    static final String GLOBEX_TOKEN = "pat-eu1-globex-2222-3333";
    static final Clock CLOCK = Clock.fixed(VendorTestSupport.T0.plusMillis(250), ZoneOffset.UTC);

    /** {@code records}: the records that exist, as {@code kind/id}, e.g. {@code contact/512}. */
    HubSpotFixture(Set<String> records) {
        super(new FakeHubSpot(Set.of(ACME_TOKEN, GLOBEX_TOKEN), records));
    }

    @Override
    protected void connect(VendorTestSupport support) {
        support.connect(ACME, "hubspot", Map.of(), ACME_TOKEN);
        support.connect(GLOBEX, "hubspot", Map.of(), GLOBEX_TOKEN);
    }

    @Override
    public Tool tool(String name, URI base, Duration timeout) {
        VendorEndpoints endpoints = new VendorEndpoints(Optional.empty(), base, VendorEndpoints.SLACK_API, VendorEndpoints.GOOGLE_OAUTH,
                VendorEndpoints.GOOGLE_CALENDAR_API, timeout);
        return VendorTestSupport.named(new HubSpotConnector(endpoints, support().stores().connections(),
                new ExternalHttpWrite(support().stores().idempotency(), CLOCK, timeout), new ExternalHttpRead(CLOCK, timeout), CLOCK).tools(), name);
    }
}
