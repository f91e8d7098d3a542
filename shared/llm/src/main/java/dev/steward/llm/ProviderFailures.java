package dev.steward.llm;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.steward.core.error.PermanentException;
import dev.steward.core.error.StewardException;
import dev.steward.core.error.TransientException;
import java.io.IOException;
import java.nio.channels.UnresolvedAddressException;
import java.util.OptionalInt;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;

/**
 * Turns whatever a provider client threw into our two outcomes. An HTTP status decides first (408, 429 and 5xx are
 * transient, other 4xx permanent); without one, LangChain4j's retriable exceptions, timeouts and failures to
 * connect are transient; anything else is permanent, because retrying cannot fix a reply we do not understand.
 */
public final class ProviderFailures {
    private static final int MAX_DETAIL = 300;

    private ProviderFailures() {}

    public static StewardException classify(String id, Throwable failure) {
        if (failure instanceof StewardException already) {
            return already;
        }
        OptionalInt status = status(failure);
        String detail = detail(failure);
        if (status.isPresent()) {
            int code = status.getAsInt();
            if (code == 408 || code == 429 || code >= 500) {
                return new TransientException("model " + id + " answered HTTP " + code + ": " + detail, failure);
            }
            if (code >= 400) {
                return new PermanentException("model " + id + " refused the request (HTTP " + code + "): " + detail, failure);
            }
        }
        if (failure instanceof RetriableException || timedOut(failure)) {
            return new TransientException("model " + id + " timed out or is throttled: " + detail, failure);
        }
        if (unreachable(failure)) {
            return new TransientException("model " + id + " could not be reached: " + detail, failure);
        }
        return new PermanentException("model " + id + " failed: " + detail, failure);
    }

    /** The HTTP status of the first exception in the chain that carries one. */
    static OptionalInt status(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpException http) {
                return OptionalInt.of(http.statusCode());
            }
            if (t instanceof SdkServiceException sdk && sdk.statusCode() > 0) {
                return OptionalInt.of(sdk.statusCode());
            }
        }
        return OptionalInt.empty();
    }

    private static boolean timedOut(Throwable failure) {
        return has(failure, ApiCallTimeoutException.class) || has(failure, ApiCallAttemptTimeoutException.class)
                || has(failure, java.net.http.HttpTimeoutException.class) || has(failure, java.net.SocketTimeoutException.class);
    }

    private static boolean unreachable(Throwable failure) {
        return has(failure, IOException.class) || has(failure, UnresolvedAddressException.class)
                || has(failure, UnresolvedModelServerException.class);
    }

    private static boolean has(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** What went wrong, from the most specific exception that says so, cut to a log-friendly length. */
    private static String detail(Throwable failure) {
        String message = null;
        for (Throwable t = failure; t != null && message == null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BedrockRuntimeException aws && aws.awsErrorDetails() != null) {
                message = aws.awsErrorDetails().errorCode() + ": " + aws.awsErrorDetails().errorMessage();
            } else if (t instanceof HttpException http) {
                message = http.getMessage();
            }
        }
        if (message == null) {
            Throwable root = failure;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            message = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        }
        message = message.replaceAll("\\s+", " ").strip();
        return message.length() <= MAX_DETAIL ? message : message.substring(0, MAX_DETAIL) + "...";
    }
}
