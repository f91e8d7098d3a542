package dev.steward.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.steward.core.error.PermanentException;
import dev.steward.core.error.StewardException;
import dev.steward.core.error.TransientException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelNotReadyException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

class ProviderFailuresTest {

    private static StewardException classify(Throwable t) {
        return ProviderFailures.classify("p/m", t);
    }

    @Test
    void throttlingTimeoutsAndServerErrorsAreTransient() {
        assertThat(classify(new RateLimitException(new HttpException(429, "slow down")))).isInstanceOf(TransientException.class)
                .hasMessageContaining("HTTP 429").hasMessageContaining("slow down");
        assertThat(classify(new InternalServerException(new HttpException(502, "bad gateway")))).isInstanceOf(TransientException.class);
        assertThat(classify(new InvalidRequestException(new HttpException(408, "request timeout")))).isInstanceOf(TransientException.class);
        assertThat(classify(new TimeoutException(new HttpTimeoutException("request timed out")))).isInstanceOf(TransientException.class)
                .hasMessageContaining("timed out");
    }

    @Test
    void otherClientErrorsArePermanent() {
        assertThat(classify(new InvalidRequestException(new HttpException(400, "bad tool schema")))).isInstanceOf(PermanentException.class)
                .hasMessageContaining("HTTP 400").hasMessageContaining("bad tool schema").hasMessageContaining("p/m");
        assertThat(classify(new InvalidRequestException(new HttpException(401, "invalid api key")))).isInstanceOf(PermanentException.class);
        assertThat(classify(new InvalidRequestException(new HttpException(404, "model not found")))).isInstanceOf(PermanentException.class);
    }

    @Test
    void failingToConnectIsTransient() {
        assertThat(classify(new RuntimeException(new ConnectException("Connection refused")))).isInstanceOf(TransientException.class)
                .hasMessageContaining("could not be reached").hasMessageContaining("Connection refused");
        assertThat(classify(new UnresolvedModelServerException(new UnresolvedAddressException()))).isInstanceOf(TransientException.class);
        assertThat(classify(SdkClientException.builder().message("Unable to execute HTTP request")
                .cause(new ConnectException("Connection refused")).build())).isInstanceOf(TransientException.class);
        assertThat(classify(ApiCallTimeoutException.create(60_000))).isInstanceOf(TransientException.class);
    }

    @Test
    void bedrockServiceErrorsAreClassifiedByStatusAndNamedByErrorCode() {
        assertThat(classify(aws(ThrottlingException.builder(), 429, "ThrottlingException", "Too many requests")))
                .isInstanceOf(TransientException.class).hasMessageContaining("ThrottlingException: Too many requests");
        assertThat(classify(aws(ModelNotReadyException.builder(), 429, "ModelNotReadyException", "warming up")))
                .isInstanceOf(TransientException.class);
        assertThat(classify(aws(ServiceUnavailableException.builder(), 503, "ServiceUnavailableException", "unavailable")))
                .isInstanceOf(TransientException.class);
        assertThat(classify(aws(ValidationException.builder(), 400, "ValidationException", "Malformed input request")))
                .isInstanceOf(PermanentException.class).hasMessageContaining("ValidationException: Malformed input request");
    }

    private static Throwable aws(software.amazon.awssdk.awscore.exception.AwsServiceException.Builder builder, int status,
                                 String code, String message) {
        return builder.statusCode(status).message(message)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
    }

    @Test
    void anythingUnrecognisedIsPermanentAndKeepsItsCause() {
        IllegalArgumentException unknown = new IllegalArgumentException("Unknown stop reason: model_context_window_exceeded");

        StewardException classified = classify(unknown);

        assertThat(classified).isInstanceOf(PermanentException.class).hasMessageContaining("model_context_window_exceeded");
        assertThat(classified.getCause()).isSameAs(unknown);
    }

    @Test
    void ourOwnExceptionsPassThroughUnchanged() {
        TransientException already = new TransientException("x");

        assertThat(classify(already)).isSameAs(already);
    }

    @Test
    void longProviderMessagesAreCut() {
        assertThat(classify(new InvalidRequestException(new HttpException(400, "x".repeat(5_000)))).getMessage()).hasSizeLessThan(400);
    }
}
