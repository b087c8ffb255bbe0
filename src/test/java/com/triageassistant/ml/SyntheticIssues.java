package com.triageassistant.ml;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Issues with a planted rule, in the sidecar's dataset format: each of six teams owns a component and a handful
 * of keywords, and its owner is the assignee (90%; otherwise someone at random). Urgent words make the priority
 * High, cosmetic ones Low. Deterministic for a seed.
 */
final class SyntheticIssues {

    static final List<String> OWNERS = List.of("acct-ana", "acct-ben", "acct-cai", "acct-dev", "acct-eva", "acct-fu");
    private static final List<String> COMPONENTS = List.of("Billing", "Login", "Search", "Export", "Mobile", "Api");
    private static final List<List<String>> KEYWORDS = List.of(
            List.of("invoice", "payment", "refund", "charge", "vat"),
            List.of("password", "session", "sso", "token", "signin"),
            List.of("query", "index", "results", "ranking", "filter"),
            List.of("csv", "pdf", "download", "spreadsheet", "report"),
            List.of("android", "ios", "tablet", "swipe", "notification"),
            List.of("endpoint", "webhook", "json", "ratelimit", "oauth"));
    private static final List<String> COMMON = List.of("the", "page", "fails", "after", "update", "user", "sees",
            "error", "when", "opening", "wrong", "value", "please", "check", "customer", "since", "yesterday");
    private static final long START = 1_700_000_000_000L;
    private static final long DAY = 86_400_000L;

    private final ObjectMapper json = new ObjectMapper();
    private final Random random;
    private int next;

    SyntheticIssues(long seed) {
        this.random = new Random(seed);
    }

    /** One issue; {@code team} decides its words, component and (planted) owner. */
    record Issue(ObjectNode node, String owner) {
    }

    List<Issue> issues(int count) {
        List<Issue> issues = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            issues.add(issue(random.nextInt(OWNERS.size())));
        }
        return issues;
    }

    private Issue issue(int team) {
        int n = next++;
        List<String> words = KEYWORDS.get(team);
        StringBuilder summary = new StringBuilder();
        summary.append(pick(words)).append(' ').append(pick(COMMON)).append(' ').append(pick(words));
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < 12; w++) {
            text.append(random.nextInt(4) == 0 ? pick(words) : pick(COMMON)).append(' ');
        }
        String priority = "Medium";
        if (random.nextInt(8) == 0) {
            text.append("crash outage");
            priority = "High";
        } else if (random.nextInt(8) == 0) {
            text.append("typo cosmetic");
            priority = "Low";
        }
        String owner = OWNERS.get(team);
        String assignee = random.nextInt(10) == 0 ? OWNERS.get(random.nextInt(OWNERS.size())) : owner;
        ObjectNode node = json.createObjectNode()
                .put("id", 10_000 + n)
                .put("key", "SYN-" + (n + 1))
                .put("summary", summary.toString())
                .put("text", text.toString().strip())
                .put("type", random.nextInt(3) == 0 ? "Task" : "Bug")
                .put("priority", priority)
                .put("assignee", assignee)
                .put("reporter", "rep-" + random.nextInt(20))
                .put("created", START + n * DAY / 4)
                .put("updated", START + n * DAY / 4 + DAY);
        node.putArray("components").add(COMPONENTS.get(team));
        node.putArray("labels").add(team % 2 == 0 ? "customer" : "internal");
        return new Issue(node, owner);
    }

    private String pick(List<String> words) {
        return words.get(random.nextInt(words.size()));
    }

    /** {@code {"issues": [...]}} as UTF-8 JSON bytes. */
    byte[] bytes(List<Issue> issues) {
        ObjectNode root = json.createObjectNode();
        ArrayNode array = root.putArray("issues");
        issues.forEach(issue -> array.add(issue.node()));
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** As a prediction request: what is known when an issue is created (no assignee, labels or priority). */
    byte[] unassignedBytes(List<Issue> issues) {
        ObjectNode root = json.createObjectNode();
        ArrayNode array = root.putArray("issues");
        for (Issue issue : issues) {
            ObjectNode copy = issue.node().deepCopy();
            copy.remove(List.of("assignee", "labels", "priority"));
            array.add(copy);
        }
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }
}
