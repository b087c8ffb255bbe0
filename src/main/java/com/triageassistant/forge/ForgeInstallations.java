package com.triageassistant.forge;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.triageassistant.store.IgniteSql;
import com.triageassistant.store.TableRows;
import org.springframework.stereotype.Repository;

/** The {@code forge_installation} table: how each Forge tenant is reached, and when it last called. */
@Repository
public class ForgeInstallations {

    /** One installation as stored. The token is a credential: this record's {@code toString} leaves it out. */
    public record Installation(String clientKey, String cloudId, String siteUrl,
                               String apiBaseUrl, String appAccountId, String appToken,
                               Instant tokenExpiresAt, Instant tokenRefusedAt, Instant installedAt,
                               Instant lastInvokedAt) {

        @Override
        public String toString() {
            return "Installation[" + clientKey + ", " + apiBaseUrl + ", token expires " + tokenExpiresAt + "]";
        }
    }

    private static final String COLUMNS = "client_key, cloud_id, site_url, api_base_url, "
            + "app_account_id, app_token, token_expires_at, token_refused_at, installed_at, "
            + "last_invoked_at";
    private static final List<String> COLUMN_LIST = List.of(COLUMNS.split(", "));

    private final IgniteSql sql;
    private final TableRows rows;

    ForgeInstallations(IgniteSql sql) {
        this.sql = sql;
        this.rows = sql.rows("forge_installation");
    }

    /** Read by key: every Jira call of a Forge tenant asks for its token here. */
    public Optional<Installation> find(String clientKey) {
        return rows.get(clientKey, COLUMN_LIST).map(ForgeInstallations::toInstallation);
    }

    public List<Installation> all() {
        return sql.query("SELECT " + COLUMNS + " FROM forge_installation", ForgeInstallations::toInstallation);
    }

    /** @return false when the tenant already had a row (left unchanged) */
    boolean insertIfAbsent(Installation installation) {
        return sql.insertIfAbsent("INSERT INTO forge_installation (" + COLUMNS + ") VALUES "
                        + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", installation.clientKey(),
                installation.cloudId(), installation.siteUrl(), installation.apiBaseUrl(),
                installation.appAccountId(), installation.appToken(),
                ts(installation.tokenExpiresAt()), ts(installation.tokenRefusedAt()), ts(installation.installedAt()),
                ts(installation.lastInvokedAt()));
    }

    /** A valid invocation: the site is there, and the platform may have handed over a newer token. */
    void invoked(String clientKey, String apiBaseUrl, String siteUrl, Instant at) {
        sql.update("UPDATE forge_installation SET last_invoked_at = ?, api_base_url = ?, "
                        + "site_url = COALESCE(?, site_url) WHERE client_key = ? AND last_invoked_at < ?", ts(at),
                apiBaseUrl, siteUrl, clientKey, ts(at));
    }

    /** Keeps the token that lives longest; a token Jira refused is replaced by any other. */
    void offerToken(String clientKey, String token, Instant expiresAt) {
        sql.update("UPDATE forge_installation SET app_token = ?, token_expires_at = ?, token_refused_at = NULL "
                        + "WHERE client_key = ? AND (app_token IS NULL OR token_refused_at IS NOT NULL "
                        + "OR token_expires_at IS NULL OR token_expires_at < ?)",
                token, ts(expiresAt), clientKey, ts(expiresAt));
    }

    /**
     * Jira refused the tenant's current token now (the latest refusal is kept: one in the first minutes after an
     * install may be followed by ones that count).
     *
     * @return whether it is the first refusal of this token
     */
    boolean tokenRefused(String clientKey, String token, Instant at) {
        boolean first = find(clientKey).map(installation -> token.equals(installation.appToken())
                && installation.tokenRefusedAt() == null).orElse(false);
        sql.update("UPDATE forge_installation SET token_refused_at = ? WHERE client_key = ? AND app_token = ?",
                ts(at), clientKey, token);
        return first;
    }

    void appAccount(String clientKey, String accountId) {
        sql.update("UPDATE forge_installation SET app_account_id = ? WHERE client_key = ?", accountId, clientKey);
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Installation toInstallation(IgniteSql.Row row) {
        return new Installation(row.string(0), row.string(1), row.string(2), row.string(3), row.string(4),
                row.string(5), row.instant(6), row.instant(7), row.instant(8), row.instant(9));
    }
}
