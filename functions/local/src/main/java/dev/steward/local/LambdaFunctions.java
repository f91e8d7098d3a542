package dev.steward.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.steward.core.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The functions local mode hosts, by name, each as a stream handler. Typed handlers are adapted with AWS's own
 * Lambda event serializers ({@code aws-lambda-java-serialization}), so an event arrives in a handler exactly as
 * the Lambda Java runtime would deliver it.
 */
final class LambdaFunctions {
    private final Map<String, RequestStreamHandler> byName = new LinkedHashMap<>();

    LambdaFunctions stream(String name, RequestStreamHandler handler) {
        byName.put(name, handler);
        return this;
    }

    <I, O> LambdaFunctions typed(String name, RequestHandler<I, O> handler, Class<I> input) {
        PojoSerializer<I> in = LambdaEventSerializers.serializerFor(input, LambdaFunctions.class.getClassLoader());
        byName.put(name, (stream, out, context) -> {
            O result = handler.handleRequest(in.fromJson(stream), context);
            if (result == null) {
                out.write("null".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } else if (LambdaEventSerializers.isLambdaSupportedEvent(result.getClass().getName())) {
                @SuppressWarnings("unchecked")
                PojoSerializer<O> serializer = (PojoSerializer<O>) LambdaEventSerializers.serializerFor(result.getClass(),
                        LambdaFunctions.class.getClassLoader());
                serializer.toJson(result, out);
            } else {
                Json.mapper().writeValue(out, result);
            }
        });
        return this;
    }

    Map<String, RequestStreamHandler> all() {
        return Map.copyOf(byName);
    }
}
