package dev.steward.guardrails.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.run.RunId;
import dev.steward.core.tenant.TenantId;
import dev.steward.guardrails.pii.PiiGuardrail;
import dev.steward.guardrails.pii.PiiVault;
import dev.steward.guardrails.toxicity.ToxicityGuardrail;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GuardrailProvidersTest {

    @Test
    void localIsTheDefaultAndNeedsNoCredentials() {
        try (var p = GuardrailProviders.fromEnvironment(Map.of(), () -> {
            throw new AssertionError("credentials asked for by the local provider");
        })) {
            assertThat(p.provider()).isEqualTo(GuardrailProviders.Provider.LOCAL);
            assertThat(p.pii(new PiiVault(TenantId.of("acme"), RunId.random()))).isInstanceOf(PiiGuardrail.class);
            assertThat(p.detectors()).singleElement().isInstanceOf(ToxicityGuardrail.class);
        }
    }

    @Test
    void badSettingsNameTheVariable() {
        assertThatThrownBy(() -> GuardrailProviders.fromEnvironment(Map.of(GuardrailProviders.PROVIDER, "azure"), () -> Clients.DUMMY))
                .hasMessageContaining("STEWARD_GUARDRAILS_PROVIDER").hasMessageContaining("azure");
        assertThatThrownBy(() -> GuardrailProviders.fromEnvironment(Map.of(GuardrailProviders.PROVIDER, "bedrock",
                GuardrailProviders.REGION, "us-east-1"), () -> Clients.DUMMY))
                .hasMessageContaining("STEWARD_BEDROCK_GUARDRAIL_ID");
        assertThatThrownBy(() -> GuardrailProviders.fromEnvironment(Map.of(GuardrailProviders.PROVIDER, "comprehend",
                GuardrailProviders.REGION, "us-east-1", GuardrailProviders.PII_MIN_SCORE, "high"), () -> Clients.DUMMY))
                .hasMessageContaining("STEWARD_COMPREHEND_PII_MIN_SCORE").hasMessageContaining("high");
    }
}
