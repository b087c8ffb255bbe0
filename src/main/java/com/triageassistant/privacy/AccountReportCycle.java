package com.triageassistant.privacy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.atlassian.connect.spring.AtlassianHost;
import com.atlassian.connect.spring.AtlassianHostRepository;
import com.triageassistant.ingest.AccountErasure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One tenant's report: every stored accountId goes to Jira in batches, with the time the app last changed what it
 * holds about the account; {@code closed} accounts are erased at once (through {@link AccountErasure}, the same
 * path as Jira's {@code user_deleted} webhook), {@code updated} ones are noted.
 *
 * <p>What "refreshing" an updated account means here: the app keeps no personal data of an account but its id
 * (names and avatars are looked up by the browser, see docs/security.md), so there is nothing to re-read. The app records when
 * it took note ({@code account_refresh}), so the next report's {@code updatedAt} is that time and Jira stops
 * repeating the same update.
 *
 * <p>A failed call ends the report and the whole of it is tried again after the retry delay: accounts of batches
 * already answered were acted on, and acting twice is harmless (erased accounts are no longer stored, so they are
 * not reported again). The cycle only advances when every batch was answered.
 */
@Component
class AccountReportCycle {

    private static final Logger log = LoggerFactory.getLogger(AccountReportCycle.class);

    private final StoredAccounts stored;
    private final ReportSchedule schedule;
    private final ReportAccountsApi api;
    private final AccountErasure erasure;
    private final AtlassianHostRepository hosts;
    private final PrivacyProperties props;
    private final Clock clock;

    AccountReportCycle(StoredAccounts stored, ReportSchedule schedule, ReportAccountsApi api, AccountErasure erasure,
                       AtlassianHostRepository hosts, PrivacyProperties props, Clock clock) {
        this.stored = stored;
        this.schedule = schedule;
        this.api = api;
        this.erasure = erasure;
        this.hosts = hosts;
        this.props = props;
        this.clock = clock;
    }

    void run(String clientKey) {
        AtlassianHost host = hosts.findById(clientKey).filter(AtlassianHost::isAddonInstalled).orElse(null);
        if (host == null) {
            return;
        }
        List<ReportAccountsApi.Account> accounts = accountsToReport(clientKey);
        Duration cycle = props.defaultCyclePeriod();
        int closed = 0;
        int updated = 0;
        for (int from = 0; from < accounts.size(); from += props.batchSize()) {
            List<ReportAccountsApi.Account> batch = accounts.subList(from,
                    Math.min(accounts.size(), from + props.batchSize()));
            ReportAccountsApi.Answer answer;
            try {
                answer = api.report(host, batch);
            } catch (ReportAccountsApi.ReportFailedException e) {
                Duration wait = e.retryAfter() != null && e.retryAfter().compareTo(props.retryDelay()) > 0
                        ? e.retryAfter() : props.retryDelay();
                schedule.failed(clientKey, clock.instant().plus(wait), e.getMessage());
                log.warn("Personal data report of tenant {} failed at batch {} of {} ({}); retrying in {}", clientKey,
                        from / props.batchSize() + 1, batches(accounts.size()), e.getMessage(), wait);
                return;
            }
            cycle = answer.cyclePeriod().orElse(cycle);
            List<String> noted = new ArrayList<>();
            for (Map.Entry<String, String> status : answer.statuses().entrySet()) {
                if (status.getValue().equals("closed")) {
                    erasure.erase(clientKey, status.getKey(), clock.instant());
                    closed++;
                } else {
                    noted.add(status.getKey());
                    updated++;
                }
            }
            schedule.refreshed(clientKey, noted, clock.instant());
        }
        schedule.reported(clientKey, clock.instant(), cycle, accounts.size(), closed, updated);
        log.info("Personal data report of tenant {}: {} accounts in {} calls, {} closed and erased, {} updated; "
                + "next in {}", clientKey, accounts.size(), batches(accounts.size()), closed, updated, cycle);
    }

    /** Stored accounts with the later of "last written" and "last refreshed"; stale refresh notes are dropped. */
    private List<ReportAccountsApi.Account> accountsToReport(String clientKey) {
        Map<String, Instant> seen = stored.lastSeen(clientKey);
        Map<String, Instant> refreshed = schedule.refreshedAt(clientKey);
        Set<String> storedHashes = new HashSet<>();
        List<ReportAccountsApi.Account> accounts = new ArrayList<>();
        seen.forEach((accountId, lastSeen) -> {
            String hash = ReportSchedule.hash(accountId);
            storedHashes.add(hash);
            Instant refresh = refreshed.get(hash);
            accounts.add(new ReportAccountsApi.Account(accountId,
                    refresh != null && refresh.isAfter(lastSeen) ? refresh : lastSeen));
        });
        schedule.keepRefreshesOf(clientKey, storedHashes, refreshed.keySet());
        accounts.sort(Comparator.comparing(ReportAccountsApi.Account::accountId));
        return accounts;
    }

    private int batches(int accounts) {
        return (accounts + props.batchSize() - 1) / props.batchSize();
    }
}
