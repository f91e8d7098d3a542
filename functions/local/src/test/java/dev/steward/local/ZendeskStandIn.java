package dev.steward.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.steward.core.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for Zendesk's ticket API (what local mode's {@code STEWARD_ZENDESK_BASE_URL} points at), answering as
 * Zendesk does for one agent ({@code Authorization: Basic base64(email/token:token)}, else 401 "Couldn't authenticate
 * you"):
 * <ul>
 *   <li>{@code PUT /api/v2/tickets/{id}.json}: adds the comment to the ticket and answers 200 with the ticket and its
 *       audit, whose events include the new comment, unless a {@link Mishap} was set for that path.</li>
 *   <li>{@code GET /api/v2/tickets/{id}/comments.json}: the ticket's comments as Zendesk shows them ({@code id},
 *       {@code type}, {@code author_id}, {@code body}, {@code plain_body}, {@code public}, {@code audit_id},
 *       {@code via.channel} {@code api}, {@code created_at} in whole seconds), oldest first unless
 *       {@code sort_order=desc}, {@code per_page} of them (default and cap 100), with {@code next_page} and
 *       {@code count}.</li>
 *   <li>{@code GET /api/v2/users/me.json}: the agent, {@code {"user": {"id", "email"}}}.</li>
 * </ul>
 * Requests are handled concurrently, so a stalled answer holds up nothing else. Writes and reads are recorded apart,
 * so that counting what was written is not disturbed by Steward looking.
 */
final class ZendeskStandIn implements AutoCloseable {
    /** What the stand-in received: method, path, Authorization header, body (empty for a GET), when. */
    record Received(String method, String path, String authorization, JsonNode body, Instant at) {}

    /** How the next PUT to a path goes wrong, once. */
    enum Mishap {
        /** Turned away with 429 and a {@code Retry-After} of 12 s (longer than the connector waits out itself); nothing added. */
        RATE_LIMITED,
        /** The comment is added, but the answer comes only after the stall, later than the connector waits for it. */
        ADDED_ANSWER_LATE,
        /** Nothing is added (the request got lost on Zendesk's side) and a 504 comes only after the stall. */
        LOST
    }

    private static final Pattern TICKET = Pattern.compile("/api/v2/tickets/(\\d+)(/comments)?\\.json");
    private static final String ME = "/api/v2/users/me.json";
    private static final long AGENT_ID = 361_000L;

    private final HttpServer server;
    private final String email;
    private final String authorization;
    private final Duration stall;
    private final List<Received> writes = new CopyOnWriteArrayList<>();
    private final List<Received> reads = new CopyOnWriteArrayList<>();
    private final Map<String, Mishap> mishaps = new ConcurrentHashMap<>();
    private final Map<Long, List<ObjectNode>> comments = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(9000);

    /** Starts on 127.0.0.1 and a free port; {@code stall}: how long a {@link Mishap} that stalls holds its answer. */
    ZendeskStandIn(String email, String token, Duration stall) throws IOException {
        this.email = email;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((email + "/token:" + token).getBytes(StandardCharsets.UTF_8));
        this.stall = stall;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/api/v2/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next PUT to {@code path} goes wrong as {@code mishap}; later ones go through. */
    void goWrongOnce(String path, Mishap mishap) {
        mishaps.put(path, mishap);
    }

    /** Whether a mishap set for {@code path} is still waiting for its PUT. */
    boolean pending(String path) {
        return mishaps.containsKey(path);
    }

    /** Every PUT received, turned away, lost or refused ones included, in order. */
    List<Received> writes() {
        return List.copyOf(writes);
    }

    /** The PUTs received for {@code path}, in order. */
    List<Received> writesTo(String path) {
        return writes.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** Every GET received, in order. */
    List<Received> reads() {
        return List.copyOf(reads);
    }

    /** The comments ticket {@code id} has, oldest first, as the comment list shows them. */
    List<JsonNode> comments(long ticket) {
        return List.copyOf(comments.getOrDefault(ticket, List.of()));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            byte[] sent = exchange.getRequestBody().readAllBytes();
            Received received = new Received(method, path, auth, sent.length == 0 ? Json.object() : Json.mapper().readTree(sent), Instant.now());
            (method.equals("GET") ? reads : writes).add(received);
            Matcher ticket = TICKET.matcher(path);
            boolean update = ticket.matches() && ticket.group(2) == null && method.equals("PUT");
            boolean list = ticket.matches() && ticket.group(2) != null && method.equals("GET");
            if (update && mishaps.remove(path) instanceof Mishap mishap) {
                goneWrong(exchange, mishap, Long.parseLong(ticket.group(1)), received.body());
            } else if (!authorization.equals(auth)) {
                reply(exchange, 401, Json.object().put("error", "Couldn't authenticate you"));
            } else if (method.equals("GET") && path.equals(ME)) {
                reply(exchange, 200, Json.object().set("user", Json.object().put("id", AGENT_ID).put("email", email)));
            } else if (list) {
                reply(exchange, 200, page(Long.parseLong(ticket.group(1)), exchange.getRequestURI()));
            } else if (update) {
                reply(exchange, 200, answer(Long.parseLong(ticket.group(1)), add(Long.parseLong(ticket.group(1)), received.body())));
            } else {
                reply(exchange, 404, Json.object().put("error", "InvalidEndpoint").put("description", "Not found"));
            }
        }
    }

    /** A mishap happens whatever the credentials: Zendesk's front end turns away or loses requests before it checks them. */
    private void goneWrong(HttpExchange exchange, Mishap mishap, long ticket, JsonNode update) throws IOException {
        switch (mishap) {
            case RATE_LIMITED -> {
                exchange.getResponseHeaders().set("Retry-After", "12");
                reply(exchange, 429, Json.object().put("error", "TooManyRequests").put("description", "Rate limit exceeded"));
            }
            case ADDED_ANSWER_LATE -> {
                ObjectNode added = add(ticket, update);
                pause();
                reply(exchange, 200, answer(ticket, added));
            }
            case LOST -> {
                pause();
                reply(exchange, 504, Json.object().put("error", "GatewayTimeout"));
            }
        }
    }

    private ObjectNode add(long ticket, JsonNode update) {
        JsonNode comment = update.path("ticket").path("comment");
        ObjectNode shown = Json.object().put("id", ids.incrementAndGet()).put("type", "Comment").put("author_id", AGENT_ID)
                .put("body", comment.path("body").asText()).put("plain_body", comment.path("body").asText())
                .put("public", comment.path("public").asBoolean(true)).put("audit_id", ids.incrementAndGet())
                .put("created_at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        shown.putObject("via").put("channel", "api");
        comments.computeIfAbsent(ticket, t -> new CopyOnWriteArrayList<>()).add(shown);
        return shown;
    }

    private static ObjectNode answer(long ticket, ObjectNode comment) {
        ObjectNode out = Json.object();
        out.putObject("ticket").put("id", ticket).put("status", "open");
        ObjectNode audit = out.putObject("audit").put("id", comment.get("audit_id").asLong()).put("ticket_id", ticket);
        audit.putArray("events").addObject().put("id", comment.get("id").asLong()).put("type", "Comment")
                .put("public", comment.get("public").asBoolean()).put("body", comment.get("body").asText());
        return out;
    }

    private ObjectNode page(long ticket, URI uri) {
        Map<String, String> params = new java.util.HashMap<>();
        for (String pair : uri.getRawQuery() == null ? new String[0] : uri.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length < 2 ? "" : URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        List<JsonNode> all = new ArrayList<>(comments(ticket));
        if ("desc".equals(params.get("sort_order"))) {
            Collections.reverse(all);
        }
        int perPage = Math.min(100, Integer.parseInt(params.getOrDefault("per_page", "100")));
        ObjectNode page = Json.object();
        page.putArray("comments").addAll(all.subList(0, Math.min(perPage, all.size())));
        if (perPage < all.size()) {
            page.put("next_page", baseUrl() + "/api/v2/tickets/" + ticket + "/comments.json?page=2&per_page=" + perPage);
        } else {
            page.putNull("next_page");
        }
        return page.putNull("previous_page").put("count", all.size());
    }

    private void pause() {
        try {
            Thread.sleep(stall);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
