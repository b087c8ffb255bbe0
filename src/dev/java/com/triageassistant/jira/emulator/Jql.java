package com.triageassistant.jira.emulator;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The subset of JQL an app uses to read a project's history: {@code field op value} clauses joined by AND
 * (fields project, key/issuekey, created, updated, assignee, priority, labels, component, issuetype; operators
 * = != > >= < <= and IN), then {@code ORDER BY} over key, id, created, updated or priority. Like Jira, it times in
 * UTC with minute precision and refuses a query without any restriction ("unbounded").
 */
final class Jql {

    private static final List<String> SORTABLE = List.of("key", "issuekey", "id", "created", "updated", "priority");

    private final Predicate<EmulatedIssue> filter;
    private final List<SortField> order;

    private Jql(Predicate<EmulatedIssue> filter, List<SortField> order) {
        this.filter = filter;
        this.order = order;
    }

    record SortField(String field, boolean descending) {
    }

    Predicate<EmulatedIssue> filter() {
        return filter;
    }

    List<SortField> order() {
        return order;
    }

    static Jql parse(String jql) {
        Tokens tokens = new Tokens(jql == null ? "" : jql);
        Predicate<EmulatedIssue> filter = issue -> true;
        boolean bounded = false;
        if (tokens.hasNext() && !tokens.peekIs("order")) {
            do {
                filter = filter.and(clause(tokens));
                bounded = true;
            } while (tokens.consumeIf("and"));
        }
        if (tokens.hasNext() && !tokens.peekIs("order")) {
            throw JiraRequestException.badRequest("Error in the JQL Query: Expecting either 'AND' or 'ORDER BY' but got '"
                    + tokens.next() + "'.");
        }
        List<SortField> order = new ArrayList<>();
        if (tokens.hasNext()) {
            tokens.expect("order");
            tokens.expect("by");
            do {
                String field = tokens.next().toLowerCase(Locale.ROOT);
                if (!SORTABLE.contains(field)) {
                    throw JiraRequestException.badRequest("Field '" + field + "' does not support sorting.");
                }
                boolean descending = false;
                if (tokens.peekIs("asc") || tokens.peekIs("desc")) {
                    descending = tokens.next().equalsIgnoreCase("desc");
                }
                order.add(new SortField(field.equals("issuekey") ? "key" : field, descending));
            } while (tokens.consumeIf(","));
        }
        if (!bounded) {
            throw JiraRequestException.badRequest(
                    "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.");
        }
        if (order.isEmpty()) {
            order.add(new SortField("id", false));
        }
        return new Jql(filter, List.copyOf(order));
    }

    private static Predicate<EmulatedIssue> clause(Tokens tokens) {
        String field = tokens.next().toLowerCase(Locale.ROOT);
        String op = tokens.next().toLowerCase(Locale.ROOT);
        if (op.equals("in") || op.equals("not")) {
            boolean negate = op.equals("not");
            if (negate) {
                tokens.expect("in");
            }
            tokens.expect("(");
            List<String> values = new ArrayList<>();
            do {
                values.add(tokens.next());
            } while (tokens.consumeIf(","));
            tokens.expect(")");
            Predicate<EmulatedIssue> any = values.stream().map(value -> compare(field, "=", value))
                    .reduce(Predicate::or).orElse(issue -> false);
            return negate ? any.negate() : any;
        }
        return compare(field, op, tokens.next());
    }

    private static Predicate<EmulatedIssue> compare(String field, String op, String value) {
        return switch (field) {
            case "project" -> equality(op, issue -> issue.projectKey().equalsIgnoreCase(value));
            case "key", "issuekey" -> ordered(op, value, EmulatedIssue::key, Jql::keyOrder);
            case "created" -> instant(op, value, EmulatedIssue::created);
            case "updated" -> instant(op, value, EmulatedIssue::updated);
            case "assignee" -> equality(op, issue -> value.equalsIgnoreCase("empty")
                    ? issue.assignee() == null : value.equals(issue.assignee()));
            case "priority" -> equality(op, issue -> issue.priority().equalsIgnoreCase(value));
            case "labels" -> equality(op, issue -> value.equalsIgnoreCase("empty")
                    ? issue.labels().isEmpty() : issue.labels().contains(value));
            case "component" -> equality(op, issue -> issue.components().contains(value));
            case "issuetype", "type" -> equality(op, issue -> issue.issueType().equalsIgnoreCase(value));
            default -> throw JiraRequestException.badRequest("Field '" + field
                    + "' does not exist or you do not have permission to view it.");
        };
    }

    private static Predicate<EmulatedIssue> equality(String op, Predicate<EmulatedIssue> equal) {
        return switch (op) {
            case "=", "is" -> equal;
            case "!=" -> equal.negate();
            default -> throw JiraRequestException.badRequest("The operator '" + op + "' is not supported here.");
        };
    }

    private static Predicate<EmulatedIssue> instant(String op, String value,
                                                    java.util.function.Function<EmulatedIssue, Instant> field) {
        Instant bound = parseTime(value);
        // Jira compares at minute precision.
        return ordered(op, bound, issue -> field.apply(issue).truncatedTo(java.time.temporal.ChronoUnit.MINUTES),
                Instant::compareTo);
    }

    private static <T> Predicate<EmulatedIssue> ordered(String op, T bound,
                                                        java.util.function.Function<EmulatedIssue, T> field,
                                                        java.util.Comparator<T> comparator) {
        return issue -> {
            int cmp = comparator.compare(field.apply(issue), bound);
            return switch (op) {
                case "=" -> cmp == 0;
                case "!=" -> cmp != 0;
                case ">" -> cmp > 0;
                case ">=" -> cmp >= 0;
                case "<" -> cmp < 0;
                case "<=" -> cmp <= 0;
                default -> throw JiraRequestException.badRequest("The operator '" + op + "' is not supported here.");
            };
        };
    }

    static int keyOrder(String a, String b) {
        int dashA = a.lastIndexOf('-');
        int dashB = b.lastIndexOf('-');
        int project = a.substring(0, Math.max(dashA, 0)).compareTo(b.substring(0, Math.max(dashB, 0)));
        if (project != 0) {
            return project;
        }
        return Long.compare(number(a, dashA), number(b, dashB));
    }

    private static long number(String key, int dash) {
        try {
            return Long.parseLong(key.substring(dash + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Instant parseTime(String value) {
        List<DateTimeFormatter> formats = List.of(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"),
                DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm"));
        for (DateTimeFormatter format : formats) {
            try {
                return LocalDateTime.parse(value, format).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException ignored) {
                // try the next format
            }
        }
        try {
            return LocalDate.parse(value.replace('/', '-')).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw JiraRequestException.badRequest("Date value '" + value
                    + "' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd'.");
        }
    }

    /** Splits JQL into words, quoted strings, parentheses, commas and operators. */
    private static final class Tokens {

        private final List<String> tokens = new ArrayList<>();
        private int position;

        Tokens(String jql) {
            int i = 0;
            while (i < jql.length()) {
                char c = jql.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '"' || c == '\'') {
                    int end = jql.indexOf(c, i + 1);
                    if (end < 0) {
                        throw JiraRequestException.badRequest("Error in the JQL Query: unterminated quote.");
                    }
                    tokens.add(jql.substring(i + 1, end));
                    i = end + 1;
                } else if (c == '(' || c == ')' || c == ',') {
                    tokens.add(String.valueOf(c));
                    i++;
                } else if (c == '=' || c == '!' || c == '<' || c == '>') {
                    int end = i + 1;
                    if (end < jql.length() && jql.charAt(end) == '=') {
                        end++;
                    }
                    tokens.add(jql.substring(i, end));
                    i = end;
                } else {
                    int end = i;
                    while (end < jql.length() && !Character.isWhitespace(jql.charAt(end))
                            && "()=,!<>\"'".indexOf(jql.charAt(end)) < 0) {
                        end++;
                    }
                    tokens.add(jql.substring(i, end));
                    i = end;
                }
            }
        }

        boolean hasNext() {
            return position < tokens.size();
        }

        String next() {
            if (!hasNext()) {
                throw JiraRequestException.badRequest("Error in the JQL Query: the query ended unexpectedly.");
            }
            return tokens.get(position++);
        }

        boolean peekIs(String word) {
            return hasNext() && tokens.get(position).equalsIgnoreCase(word);
        }

        boolean consumeIf(String word) {
            if (peekIs(word)) {
                position++;
                return true;
            }
            return false;
        }

        void expect(String word) {
            String actual = next();
            if (!actual.equalsIgnoreCase(word)) {
                throw JiraRequestException.badRequest("Error in the JQL Query: Expecting '" + word + "' but got '"
                        + actual + "'.");
            }
        }
    }
}
