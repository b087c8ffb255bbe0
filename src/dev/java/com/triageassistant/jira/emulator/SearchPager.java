package com.triageassistant.jira.emulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code nextPageToken} paging for {@code search/jql}: the token names the sort position of the last issue
 * served (keyset paging), so each issue is served once for any page size while the data stands still, and the
 * token is only valid for the query that produced it. No totals, as in Jira.
 */
final class SearchPager {

    record Page(List<EmulatedIssue> issues, String nextPageToken) {
    }

    /** A query's matching issues in its order, valid while the site's version stands. */
    private record SortedResult(String jqlText, long version, List<Keyed> issues) {
    }

    private record Keyed(List<Object> tuple, EmulatedIssue issue) {
    }

    private static final int CACHED_QUERIES = 4;

    private final SiteState state;
    private final Deque<SortedResult> cache = new ArrayDeque<>();

    SearchPager(SiteState state) {
        this.state = state;
    }

    /**
     * A backfill pages through the same query hundreds of times; the sorted result is cached per query and data
     * version, so a page costs a binary search instead of a scan and a sort.
     */
    Page page(Jql jql, String jqlText, String token, int maxResults) {
        List<Object> after = token == null ? null : decode(token, jqlText);
        List<Keyed> sorted = sorted(jql, jqlText);
        Comparator<List<Object>> order = tupleOrder(jql.order());
        int from = 0;
        if (after != null) {
            int low = 0;
            int high = sorted.size();
            while (low < high) {
                int mid = (low + high) >>> 1;
                if (order.compare(sorted.get(mid).tuple(), after) <= 0) {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            from = low;
        }
        int to = Math.min(sorted.size(), from + maxResults);
        List<EmulatedIssue> page = sorted.subList(from, to).stream().map(Keyed::issue).toList();
        String next = to < sorted.size() ? encode(sorted.get(to - 1).tuple(), jqlText) : null;
        return new Page(page, next);
    }

    private List<Keyed> sorted(Jql jql, String jqlText) {
        long version = state.version();
        synchronized (cache) {
            for (SortedResult cached : cache) {
                if (cached.version() == version && cached.jqlText().equals(jqlText)) {
                    return cached.issues();
                }
            }
        }
        SiteState.Snapshot snapshot = state.snapshot(jql.filter());
        Comparator<List<Object>> order = tupleOrder(jql.order());
        List<Keyed> sorted = new ArrayList<>(snapshot.issues().size());
        for (EmulatedIssue issue : snapshot.issues()) {
            sorted.add(new Keyed(tuple(issue, jql.order()), issue));
        }
        sorted.sort((a, b) -> order.compare(a.tuple(), b.tuple()));
        List<Keyed> result = List.copyOf(sorted);
        synchronized (cache) {
            cache.addFirst(new SortedResult(jqlText, snapshot.version(), result));
            while (cache.size() > CACHED_QUERIES) {
                cache.removeLast();
            }
        }
        return result;
    }

    /** One value per sort field, then the id as the final tie-breaker. */
    private static List<Object> tuple(EmulatedIssue issue, List<Jql.SortField> fields) {
        List<Object> values = new ArrayList<>(fields.size() + 1);
        for (Jql.SortField field : fields) {
            values.add(switch (field.field()) {
                case "key" -> issue.key();
                case "id" -> issue.id();
                case "created" -> issue.created().toEpochMilli();
                case "updated" -> issue.updated().toEpochMilli();
                case "priority" -> (long) SiteState.PRIORITIES.indexOf(issue.priority());
                default -> throw new IllegalStateException(field.field());
            });
        }
        values.add(issue.id());
        return values;
    }

    private static Comparator<List<Object>> tupleOrder(List<Jql.SortField> fields) {
        return (a, b) -> {
            for (int i = 0; i < fields.size(); i++) {
                int cmp = fields.get(i).field().equals("key")
                        ? Jql.keyOrder((String) a.get(i), (String) b.get(i))
                        : Long.compare((Long) a.get(i), (Long) b.get(i));
                if (cmp != 0) {
                    return fields.get(i).descending() ? -cmp : cmp;
                }
            }
            return Long.compare((Long) a.get(fields.size()), (Long) b.get(fields.size()));
        };
    }

    private static String encode(List<Object> tuple, String jqlText) {
        ObjectNode token = JiraJson.MAPPER.createObjectNode();
        token.put("q", Integer.toHexString(jqlText.hashCode()));
        ArrayNode after = token.putArray("after");
        for (Object value : tuple) {
            if (value instanceof Long number) {
                after.add(number);
            } else {
                after.add((String) value);
            }
        }
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(token.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static List<Object> decode(String token, String jqlText) {
        try {
            JsonNode node = JiraJson.MAPPER.readTree(Base64.getUrlDecoder().decode(token));
            if (!node.path("q").asText().equals(Integer.toHexString(jqlText.hashCode()))) {
                throw JiraRequestException.badRequest("The provided next page token is invalid or expired.");
            }
            List<Object> values = new ArrayList<>();
            for (JsonNode value : node.path("after")) {
                values.add(value.isNumber() ? (Object) value.asLong() : value.asText());
            }
            return values;
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw JiraRequestException.badRequest("The provided next page token is invalid or expired.");
        }
    }
}
