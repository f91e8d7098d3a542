package dev.steward.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.steward.core.json.Json;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reads of a tenant's listing partition of {@code gsi1} ({@link TableAccess#listingKey}), or of a tenant partition of
 * the table itself ({@link #partitionPage}), newest first: what the stores' list methods share. A page is one Query; its cursor is the query's last evaluated key, base64url-encoded
 * JSON, and is accepted back only for the same listing partition, so a cursor one tenant was given positions nothing
 * in another tenant's listing (it is refused, {@link InvalidCursorException}). A cursor is not secret: it holds the
 * keys of an item the caller was just shown.
 */
public final class Listing {
    private static final Set<String> CURSOR_KEYS = Set.of(StewardTable.PK, StewardTable.SK, StewardTable.GSI1_PK, StewardTable.GSI1_SK);
    private static final Set<String> PARTITION_CURSOR_KEYS = Set.of(StewardTable.PK, StewardTable.SK);
    private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {};

    private Listing() {}

    /** Items of one page and the cursor of the next (null: no further page). */
    public record Page<T>(List<T> items, String nextCursor) {
        public Page {
            items = List.copyOf(items);
        }

        public <R> Page<R> map(Function<? super T, ? extends R> f) {
            return new Page<>(items.stream().<R>map(f).toList(), nextCursor);
        }
    }

    /** A cursor that this listing did not give out: malformed, or from another tenant's (or kind's) listing. */
    public static final class InvalidCursorException extends IllegalArgumentException {
        InvalidCursorException(String message) {
            super(message);
        }
    }

    /** Up to {@code limit} newest items of the listing, without paging: for lists that show only the latest. */
    public static List<EnhancedDocument> newest(StewardTable table, String listingKey, int limit) {
        return table.documents().index(StewardTable.GSI1)
                .query(request(listingKey, limit).build())
                .stream()
                .flatMap(p -> p.items().stream())
                .limit(limit)
                .toList();
    }

    /**
     * One page of the listing, newest first, starting after {@code cursor} (null: from the newest). With a
     * {@code filter}, DynamoDB applies it after reading {@code limit} items, so a page may hold fewer than
     * {@code limit} items (even none) and still have a next one.
     *
     * @throws InvalidCursorException when {@code cursor} was not given out for this listing
     */
    public static Page<EnhancedDocument> page(StewardTable table, String listingKey, int limit, String cursor, Expression filter) {
        QueryEnhancedRequest.Builder request = request(listingKey, limit);
        if (cursor != null) {
            request.exclusiveStartKey(decode(cursor, CURSOR_KEYS, StewardTable.GSI1_PK, listingKey));
        }
        if (filter != null) {
            request.filterExpression(filter);
        }
        var page = table.documents().index(StewardTable.GSI1).query(request.build()).iterator().next();
        Map<String, AttributeValue> last = page.lastEvaluatedKey();
        return new Page<>(page.items(), last == null || last.isEmpty() ? null : encode(last));
    }

    /**
     * One page of a tenant partition of the table itself (not of {@code gsi1}), newest sort key first, with sort keys
     * from {@code fromSort} to {@code toSort} (both inclusive; null: unbounded), read consistently, starting after
     * {@code cursor}. For items whose sort key is their time ({@link TableAccess#listingSortKey}): the range is a time
     * range read as a key condition, not filtered. A cursor is accepted only for the same partition and inside the
     * range, so one tenant's cursor positions nothing in another's partition.
     *
     * @throws InvalidCursorException when {@code cursor} was not given out for this partition and range
     */
    public static Page<EnhancedDocument> partitionPage(StewardTable table, String partitionKey, String fromSort, String toSort,
            int limit, String cursor, Expression filter) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        Function<String, Key> at = sort -> Key.builder().partitionValue(partitionKey).sortValue(sort).build();
        QueryConditional range = fromSort == null && toSort == null ? QueryConditional.keyEqualTo(k -> k.partitionValue(partitionKey))
                : fromSort == null ? QueryConditional.sortLessThanOrEqualTo(at.apply(toSort))
                : toSort == null ? QueryConditional.sortGreaterThanOrEqualTo(at.apply(fromSort))
                : QueryConditional.sortBetween(at.apply(fromSort), at.apply(toSort));
        QueryEnhancedRequest.Builder request = QueryEnhancedRequest.builder()
                .queryConditional(range)
                .scanIndexForward(false)
                .consistentRead(true)
                .limit(limit);
        if (cursor != null) {
            Map<String, AttributeValue> start = decode(cursor, PARTITION_CURSOR_KEYS, StewardTable.PK, partitionKey);
            String sk = start.get(StewardTable.SK).s();
            if ((fromSort != null && sk.compareTo(fromSort) < 0) || (toSort != null && sk.compareTo(toSort) > 0)) {
                throw new InvalidCursorException("the cursor lies outside the requested range; ask for the same range as the page it came from");
            }
            request.exclusiveStartKey(start);
        }
        if (filter != null) {
            request.filterExpression(filter);
        }
        var page = table.documents().query(request.build()).iterator().next();
        Map<String, AttributeValue> last = page.lastEvaluatedKey();
        return new Page<>(page.items(), last == null || last.isEmpty() ? null : encode(last));
    }

    private static QueryEnhancedRequest.Builder request(String listingKey, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        return QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.keyEqualTo(Key.builder().partitionValue(listingKey).build()))
                .scanIndexForward(false)
                .limit(limit);
    }

    private static String encode(Map<String, AttributeValue> key) {
        Map<String, String> strings = new LinkedHashMap<>();
        key.forEach((name, value) -> strings.put(name, value.s()));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(strings).getBytes(StandardCharsets.UTF_8));
    }

    /** The key a cursor holds; refused unless it has exactly {@code keys} and its {@code partitionName} is {@code partition}. */
    private static Map<String, AttributeValue> decode(String cursor, Set<String> keys, String partitionName, String partition) {
        Map<String, String> strings;
        try {
            strings = Json.read(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8), STRINGS);
        } catch (IllegalArgumentException | UncheckedIOException malformed) {
            throw new InvalidCursorException("the cursor is malformed");
        }
        if (strings == null || !strings.keySet().equals(keys) || strings.values().stream().anyMatch(v -> v == null)) {
            throw new InvalidCursorException("the cursor is malformed");
        }
        if (!strings.get(partitionName).equals(partition)) {
            throw new InvalidCursorException("the cursor belongs to another listing");
        }
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        strings.forEach((name, value) -> key.put(name, AttributeValue.fromS(value)));
        return key;
    }
}
