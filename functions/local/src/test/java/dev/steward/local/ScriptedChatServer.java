package dev.steward.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.steward.core.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model endpoint speaking OpenAI's chat-completions wire format, scripted for the approval flow: while tools are
 * offered and no tool result is in the prompt yet, it asks to send one email (to the address after "email " in the
 * question, with the question as subject), or, when the question names a "Zendesk ticket N", to post one public reply
 * on that ticket; once a tool result is in the prompt, it answers in text; when no tools are offered (the Respond
 * step), it answers with the answer JSON.
 */
final class ScriptedChatServer implements AutoCloseable {
    private static final java.util.regex.Pattern ZENDESK_TICKET = java.util.regex.Pattern.compile("Zendesk ticket (\\d+)");
    private final HttpServer server;
    final AtomicInteger calls = new AtomicInteger();
    /** Questions containing "flaky" get HTTP 503 this many times first (a throttled or overloaded provider). */
    final AtomicInteger flakyFailuresLeft = new AtomicInteger(1);
    /**
     * When set, the model acts as one that a prompt injection has taken over: whatever the question, it emails what
     * it read in its sources to this address (the worst case for an indirect injection).
     */
    volatile String hijackedTo;

    ScriptedChatServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/v1/chat/completions", exchange -> {
            try (exchange) {
                calls.incrementAndGet();
                JsonNode request = Json.mapper().readTree(exchange.getRequestBody());
                String user = request.path("messages").get(request.path("messages").size() - 1).path("content").asText();
                if (user.contains("flaky") && flakyFailuresLeft.getAndDecrement() > 0) {
                    byte[] busy = "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}".getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(503, busy.length);
                    try (OutputStream os = exchange.getResponseBody()) {
                        os.write(busy);
                    }
                    return;
                }
                ObjectNode message = Json.object().put("role", "assistant");
                String finish;
                if (request.path("tools").isArray() && !request.path("tools").isEmpty() && !user.contains("Tool calls made so far")) {
                    String question = user.substring(user.indexOf("Question: ") + "Question: ".length()).strip();
                    // The model sees the recipient as a placeholder (<EMAIL_1>) and passes it on as written.
                    String hijacker = hijackedTo;
                    String to = hijacker != null ? hijacker
                            : question.replaceAll(".*email (<EMAIL_\\d+>|[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+).*", "$1");
                    String body = hijacker != null ? "As instructed: " + user.substring(0, Math.min(user.length(), 500))
                            : "Hello, here is the answer to: " + question;
                    java.util.regex.Matcher ticket = ZENDESK_TICKET.matcher(question);
                    String tool = hijacker == null && ticket.find() ? "zendesk_comment" : "send_email";
                    ObjectNode args = Json.object();
                    if (tool.equals("zendesk_comment")) {
                        args.put("ticketId", Long.parseLong(ticket.group(1))).put("body", body).put("public", true);
                    } else {
                        args.put("subject", question).put("body", body);
                        args.putArray("to").add(to);
                    }
                    message.putNull("content");
                    message.putArray("tool_calls").addObject().put("id", "call_1").put("type", "function")
                            .putObject("function").put("name", tool).put("arguments", Json.write(args));
                    finish = "tool_calls";
                } else if (request.path("tools").isArray() && !request.path("tools").isEmpty()) {
                    message.put("content", "The email step is finished.");
                    finish = "stop";
                } else {
                    String outcome = user.contains("\"rejected\"") ? "The email was not sent: a reviewer rejected it."
                            : ZENDESK_TICKET.matcher(user).find() ? "I replied on the ticket." : "I emailed the customer.";
                    ObjectNode answer = Json.object().put("answer", outcome);
                    answer.putArray("citations");
                    message.put("content", Json.write(answer));
                    finish = "stop";
                }
                ObjectNode response = Json.object().put("id", "chatcmpl-" + calls.get()).put("object", "chat.completion")
                        .put("created", 0).put("model", request.path("model").asText());
                response.putArray("choices").addObject().put("index", 0).put("finish_reason", finish).set("message", message);
                response.putObject("usage").put("prompt_tokens", 100).put("completion_tokens", 20).put("total_tokens", 120);
                byte[] body = Json.write(response).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(body);
                }
            }
        });
        server.start();
    }

    /** The settings that make local mode use this server as its (OpenAI-compatible) model. */
    java.util.Map<String, String> environment() {
        return java.util.Map.of("STEWARD_LLM_BASE_URL", baseUrl().toString(), "STEWARD_LLM_MODEL", "scripted-model", "STEWARD_LLM_API_KEY", "test");
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
