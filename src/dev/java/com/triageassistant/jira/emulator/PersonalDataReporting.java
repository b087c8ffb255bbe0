package com.triageassistant.jira.emulator;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A site's side of Atlassian's Personal Data Reporting API, {@code POST /app/report-accounts/}: the app lists up to
 * {@value #MAX_ACCOUNTS} {@code {accountId, updatedAt}}; the answer is 204 when none needs action, else 200 with
 * those that are {@code closed} (erase them) or {@code updated} (their personal data changed after the
 * {@code updatedAt} the app sent). Every answer carries {@code Cycle-Period}, the seconds until the next report is
 * due. Tests decide per site which accounts are closed or updated and read what the app reported.
 */
public final class PersonalDataReporting {

    public static final int MAX_ACCOUNTS = 90;
    public static final Duration DEFAULT_CYCLE_PERIOD = Duration.ofDays(7);

    /** One accepted report call as the app sent it. */
    public record Report(Instant at, List<ReportedAccount> accounts, int status) {
    }

    public record ReportedAccount(String accountId, Instant updatedAt) {
    }

    /** What the endpoint answers: status, body (null for 204) and the Cycle-Period header. */
    record Answer(int status, JsonNode body, Map<String, String> headers) {
    }

    private final Set<String> closed = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> profileUpdated = new ConcurrentHashMap<>();
    private final List<Report> reports = new ArrayList<>();
    private volatile Duration cyclePeriod = DEFAULT_CYCLE_PERIOD;

    /** The account was closed: every report naming it answers {@code closed}, as Jira keeps doing. */
    public PersonalDataReporting close(String accountId) {
        closed.add(accountId);
        return this;
    }

    /** The person changed their profile at {@code at}: reports with an older {@code updatedAt} get {@code updated}. */
    public PersonalDataReporting markUpdated(String accountId, Instant at) {
        profileUpdated.put(accountId, at);
        return this;
    }

    public PersonalDataReporting cyclePeriod(Duration period) {
        this.cyclePeriod = period;
        return this;
    }

    public List<Report> reports() {
        synchronized (reports) {
            return List.copyOf(reports);
        }
    }

    /** Every accountId reported so far. */
    public Set<String> reportedAccountIds() {
        Set<String> ids = new java.util.LinkedHashSet<>();
        reports().forEach(report -> report.accounts().forEach(account -> ids.add(account.accountId())));
        return ids;
    }

    Answer answer(JsonNode request) {
        List<ReportedAccount> accounts = parse(request);
        ArrayNode changed = JiraJson.MAPPER.createArrayNode();
        for (ReportedAccount account : accounts) {
            Instant updated = profileUpdated.get(account.accountId());
            String status = closed.contains(account.accountId()) ? "closed"
                    : updated != null && updated.isAfter(account.updatedAt()) ? "updated" : null;
            if (status != null) {
                changed.addObject().put("accountId", account.accountId()).put("status", status);
            }
        }
        int code = changed.isEmpty() ? 204 : 200;
        synchronized (reports) {
            reports.add(new Report(Instant.now(), List.copyOf(accounts), code));
        }
        ObjectNode body = null;
        if (code == 200) {
            body = JiraJson.MAPPER.createObjectNode();
            body.set("accounts", changed);
        }
        return new Answer(code, body, Map.of("Cycle-Period", String.valueOf(cyclePeriod.toSeconds())));
    }

    private static List<ReportedAccount> parse(JsonNode request) {
        JsonNode list = request.path("accounts");
        if (!list.isArray() || list.isEmpty()) {
            throw JiraRequestException.badRequest("accounts must be a non-empty array");
        }
        if (list.size() > MAX_ACCOUNTS) {
            throw JiraRequestException.badRequest("At most " + MAX_ACCOUNTS + " accounts may be reported per request, "
                    + "got " + list.size());
        }
        List<ReportedAccount> accounts = new ArrayList<>();
        for (JsonNode item : list) {
            String accountId = item.path("accountId").asText("");
            if (accountId.isBlank()) {
                throw JiraRequestException.badRequest("accountId missing");
            }
            try {
                accounts.add(new ReportedAccount(accountId, Instant.parse(item.path("updatedAt").asText(""))));
            } catch (DateTimeParseException e) {
                throw JiraRequestException.badRequest("updatedAt of " + accountId + " is not an ISO-8601 instant");
            }
        }
        return accounts;
    }
}
