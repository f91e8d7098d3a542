package dev.steward.store;

import dev.steward.core.error.TransientException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Which AWS SDK failures are worth another attempt of the whole step. The SDK has already retried by the time one
 * reaches us, so what is left is either a service that stays unavailable for a while (throttling, 5xx), a network
 * that does (the client could not reach the service, timed out), or a request that will never succeed (validation,
 * access denied, a missing table). The state machine retries {@link TransientException} by its class name, with
 * backoff; everything else fails the run with its own name.
 */
public final class AwsFailures {
    private AwsFailures() {}

    /** {@code failure} as a {@link TransientException} saying what was being done, when another attempt may succeed. */
    public static RuntimeException classify(String doing, SdkException failure) {
        return retryable(failure) ? new TransientException(doing + " failed for now: " + failure.getMessage(), failure) : failure;
    }

    static boolean retryable(SdkException failure) {
        if (failure instanceof AwsServiceException service) {
            return service.isThrottlingException() || service.statusCode() >= 500;
        }
        return failure instanceof SdkClientException;
    }
}
