package com.triageassistant.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.atlassian.connect.spring.AtlassianHostMappingRepository;
import com.atlassian.connect.spring.AtlassianHostRepository;
import com.triageassistant.store.IgniteSql;
import com.triageassistant.store.TenantDataEraser;
import com.triageassistant.support.AppInstance;
import com.triageassistant.support.ConnectFixture;
import com.triageassistant.support.JiraSite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TenantLifecycleTest {

    private static final String APP_KEY = ConnectFixture.APP_KEY;

    @TempDir
    static Path dataDir;

    static ConnectFixture connect;
    static AppInstance app;

    @BeforeAll
    static void start() {
        connect = ConnectFixture.start(dataDir);
        app = connect.app();
    }

    @AfterAll
    static void stop() {
        connect.close();
    }

    @Test
    void disabledAndEnabledAreRecordedForTheTokensTenant() {
        JiraSite site = installed("toggle");
        TenantStateRepository states = app.bean(TenantStateRepository.class);

        assertThat(lifecycle(site, "disabled", site.lifecycleBody("disabled", APP_KEY))).isEqualTo(204);
        assertThat(states.isEnabled(site.clientKey())).contains(false);

        assertThat(lifecycle(site, "enabled", site.lifecycleBody("enabled", APP_KEY))).isEqualTo(204);
        assertThat(states.isEnabled(site.clientKey())).contains(true);
    }

    @Test
    void enabledCallbackCannotSwitchAnotherTenant() {
        JiraSite victim = installed("victim");
        JiraSite attacker = installed("attacker");
        lifecycle(victim, "enabled", victim.lifecycleBody("enabled", APP_KEY));

        int status = lifecycle(attacker, "disabled", victim.lifecycleBody("disabled", APP_KEY));

        assertThat(status).isEqualTo(403);
        assertThat(app.bean(TenantStateRepository.class).isEnabled(victim.clientKey())).contains(true);
    }

    @Test
    void uninstallErasesEveryRowOfThatTenantAndNothingOfAnother() {
        JiraSite leaving = installed("leaving");
        JiraSite staying = installed("staying");
        for (JiraSite site : List.of(leaving, staying)) {
            assertThat(lifecycle(site, "enabled", site.lifecycleBody("enabled", APP_KEY))).isEqualTo(204);
        }
        Map<String, Long> stayingBefore = rowsPerTenantTable(staying.clientKey());
        assertThat(rowsPerTenantTable(leaving.clientKey())).containsEntry("ATLASSIAN_HOST", 1L)
                .containsEntry("ATLASSIAN_HOST_MAPPING", 1L).containsEntry("TENANT_STATE", 1L);

        var response = connect.uninstall(leaving);

        assertThat(response.statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(rowsPerTenantTable(leaving.clientKey()).values()).allMatch(count -> count == 0));
        assertThat(rowsPerTenantTable(staying.clientKey())).isEqualTo(stayingBefore);
        assertThat(app.get("/api/tenant", leaving.requestToken("GET", "/api/tenant", "u")).statusCode())
                .isEqualTo(401);
        assertThat(app.get("/api/tenant", staying.requestToken("GET", "/api/tenant", "u")).statusCode())
                .isEqualTo(200);
    }

    @Test
    void interruptedErasureIsFinishedAtTheNextStart() {
        JiraSite site = installed("interrupted");
        var host = app.bean(AtlassianHostRepository.class).findById(site.clientKey()).orElseThrow();
        host.setAddonInstalled(false); // what ACSB stores right before the erase event a crash may swallow
        app.bean(AtlassianHostRepository.class).save(host);

        app.restart();

        assertThat(rowsPerTenantTable(site.clientKey()).values()).allMatch(count -> count == 0);
    }

    @Test
    void reinstallAfterUninstallStartsFromNothingButWorks() {
        JiraSite site = installed("again");
        connect.uninstall(site);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                app.bean(AtlassianHostRepository.class).findById(site.clientKey()).isEmpty());

        assertThat(connect.install(site).statusCode()).isEqualTo(204);

        assertThat(app.get("/api/tenant", site.requestToken("GET", "/api/tenant", "u")).statusCode())
                .isEqualTo(200);
        assertThat(app.bean(AtlassianHostMappingRepository.class).findById(site.installationId())).isPresent();
    }

    @Test
    void everyTableButTheSchemaLedgerAndTheUninstallMemoryIsATenantTable() {
        // The eraser finds tenant tables by their client_key column: a table without one would escape erasure. The
        // uninstall memory must outlive it (it refuses replayed installs) and holds only a hash of the client key.
        List<String> allTables = app.bean(IgniteSql.class).query(
                "SELECT table_name FROM SYS.TABLES WHERE schema_name = 'PUBLIC'", row -> row.string(0));

        assertThat(allTables).contains("ATLASSIAN_HOST", "ATLASSIAN_HOST_MAPPING", "TENANT_STATE");
        assertThat(app.bean(TenantDataEraser.class).tenantTables())
                .containsExactlyInAnyOrderElementsOf(allTables.stream()
                        .filter(table -> !table.equals("SCHEMA_VERSION") && !table.equals("LIFECYCLE_UNINSTALL"))
                        .toList())
                .last().isEqualTo("ATLASSIAN_HOST");
    }

    private static Map<String, Long> rowsPerTenantTable(String clientKey) {
        IgniteSql sql = app.bean(IgniteSql.class);
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (String table : app.bean(TenantDataEraser.class).tenantTables()) {
            counts.put(table, sql.query("SELECT COUNT(*) FROM \"" + table + "\" WHERE client_key = ?",
                    row -> row.longValue(0), clientKey).get(0));
        }
        return counts;
    }

    private static JiraSite installed(String name) {
        return connect.installed(name);
    }

    private static int lifecycle(JiraSite signer, String event, String body) {
        String path = "/lifecycle/" + event;
        return app.post(path, signer.requestToken("POST", path, null), body).statusCode();
    }
}
