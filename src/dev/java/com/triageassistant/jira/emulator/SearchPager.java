package com.triageassistant.jira.emulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

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

    private SearchPager() {
    }

    static Page page(List<EmulatedIssue> matching, Jql jql, String jqlText, String token, int maxResults) {
        Comparator<List<Object>> order = tupleOrder(jql.order());
        List<Object> after = token == null ? null : decode(token, jqlText);
        // Only the first maxResults + 1 after the token matter: keep them in a bounded max-heap, O(n log k).
        Comparator<Keyed> byTuple = (a, b) -> order.compare(a.tuple(), b.tuple());
        PriorityQueue<Keyed> firstOnes = new PriorityQueue<>(maxResults + 2, byTuple.reversed());
        for (EmulatedIssue issue : matching) {
            List<Object> tuple = tuple(issue, jql.order());
            if (after != null && order.compare(tuple, after) <= 0) {
                continue;
            }
            firstOnes.add(new Keyed(tuple, issue));
            if (firstOnes.size() > maxResults + 1) {
                firstOnes.poll();
            }
        }
        List<Keyed> sorted = new ArrayList<>(firstOnes);
        sorted.sort(byTuple);
        boolean more = sorted.size() > maxResults;
        List<Keyed> page = more ? sorted.subList(0, maxResults) : sorted;
        String next = more ? encode(page.get(page.size() - 1).tuple(), jqlText) : null;
        return new Page(page.stream().map(Keyed::issue).toList(), next);
    }

    private record Keyed(List<Object> tuple, EmulatedIssue issue) {
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
