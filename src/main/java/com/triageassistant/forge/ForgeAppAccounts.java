package com.triageassistant.forge;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.atlassian.connect.spring.AtlassianHost;
import com.triageassistant.connect.IgniteAtlassianHostRepository;
import com.triageassistant.ingest.JiraCallException;
import com.triageassistant.ingest.JiraClient;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Learns the account a Forge installation acts as ({@code /rest/api/3/myself} with its app token), so that events
 * caused by the app's own edits are not taken for a person's. Asked in the background after an invocation that
 * brought a token, never on the acknowledgement path; an installation whose answer is still missing asks again at
 * its next lifecycle event or scheduled trigger.
 */
@Component
class ForgeAppAccounts {

    private static final Logger log = LoggerFactory.getLogger(ForgeAppAccounts.class);

    private final ForgeInstallations installations;
    private final IgniteAtlassianHostRepository hosts;
    private final JiraClient jira;
    private final ExecutorService background = Executors.newSingleThreadExecutor(
            new CustomizableThreadFactory("forge-app-account-"));

    ForgeAppAccounts(ForgeInstallations installations, IgniteAtlassianHostRepository hosts, JiraClient jira) {
        this.installations = installations;
        this.hosts = hosts;
        this.jira = jira;
    }

    void learnIfMissing(String clientKey) {
        boolean missing = installations.find(clientKey)
                .map(installation -> installation.appAccountId() == null).orElse(false);
        if (missing) {
            background.execute(() -> learn(clientKey));
        }
    }

    private void learn(String clientKey) {
        AtlassianHost host = hosts.findById(clientKey).filter(AtlassianHost::isAddonInstalled).orElse(null);
        if (host == null) {
            return;
        }
        try {
            String accountId = jira.myAccountId(host);
            if (accountId != null && !accountId.isBlank()) {
                installations.appAccount(clientKey, accountId);
            }
        } catch (JiraCallException | RuntimeException e) {
            log.info("Forge installation {}: could not learn the app's account yet ({})", clientKey,
                    e.getClass().getSimpleName());
        }
    }

    @PreDestroy
    void stop() {
        background.shutdownNow();
    }
}
