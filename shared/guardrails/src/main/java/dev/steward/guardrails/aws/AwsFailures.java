package dev.steward.guardrails.aws;

import dev.steward.core.error.PermanentException;
import dev.steward.core.error.StewardException;
import dev.steward.core.error.TransientException;
import java.io.IOException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Turns an AWS SDK failure into our two outcomes so the state machine's Retry matches the right one. Transient:
 * throttling (any error code the SDK counts as throttling, e.g. Comprehend's HTTP 400
 * {@code TooManyRequestsException}, Bedrock's 429 {@code ThrottlingException}), 408, 5xx, timeouts and I/O
 * failures. Permanent: every other service error (validation, access denied, unknown guardrail, text too large)
 * and client-side failures such as missing credentials.
 */
final class AwsFailures {
    private static final int MAX_DETAIL = 300;

    private AwsFailures() {}

    static StewardException classify(String service, SdkException failure) {
        if (failure instanceof SdkServiceException service5xx) {
            int status = service5xx.statusCode();
            String detail = detail(failure);
            if (service5xx.isThrottlingException() || status == 408 || status == 429 || status >= 500) {
                return new TransientException(service + " is throttling or unavailable (HTTP " + status + "): " + detail, failure);
            }
            return new PermanentException(service + " rejected the request (HTTP " + status + "): " + detail, failure);
        }
        if (failure instanceof ApiCallTimeoutException || failure instanceof ApiCallAttemptTimeoutException) {
            return new TransientException(service + " timed out: " + detail(failure), failure);
        }
        if (failure instanceof SdkClientException && hasIoCause(failure)) {
            return new TransientException(service + " could not be reached: " + detail(failure), failure);
        }
        return new PermanentException(service + " call failed: " + detail(failure), failure);
    }

    private static boolean hasIoCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private static String detail(SdkException failure) {
        String message = failure instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                ? aws.awsErrorDetails().errorCode() + ": " + aws.awsErrorDetails().errorMessage()
                : String.valueOf(failure.getMessage());
        message = message.replaceAll("\\s+", " ").strip();
        return message.length() <= MAX_DETAIL ? message : message.substring(0, MAX_DETAIL) + "...";
    }
}
