package com.triageassistant.connect;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Calendar;
import java.util.List;
import java.util.Optional;

import com.atlassian.connect.spring.AddonAuthenticationType;
import com.atlassian.connect.spring.AtlassianHost;
import com.atlassian.connect.spring.AtlassianHostRepository;
import com.triageassistant.store.IgniteSql;
import com.triageassistant.store.TableRows;
import org.springframework.stereotype.Repository;

/** The tenants (Jira sites that installed the app), in the {@code atlassian_host} table. */
@Repository
public class IgniteAtlassianHostRepository extends SqlCrudRepository<AtlassianHost, String>
        implements AtlassianHostRepository {

    private static final String COLUMNS = "client_key, shared_secret, oauth_client_id, authentication, cloud_id, "
            + "base_url, display_url, display_url_servicedesk_help_center, product_type, description, "
            + "service_entitlement_number, entitlement_id, entitlement_number, installation_id, addon_installed, "
            + "created_date, last_modified_date, created_by, last_modified_by";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM atlassian_host";
    private static final List<String> COLUMN_LIST = List.of(COLUMNS.split(", "));

    private final IgniteSql sql;
    private final TableRows rows;
    private final Clock clock;

    public IgniteAtlassianHostRepository(IgniteSql sql, Clock clock) {
        this.sql = sql;
        this.rows = sql.rows("atlassian_host");
        this.clock = clock;
    }

    @Override
    protected String idOf(AtlassianHost host) {
        return host.getClientKey();
    }

    @Override
    public <S extends AtlassianHost> S save(S host) {
        // ACSB's JPA starter fills these through auditing; here the repository is the only writer.
        Calendar now = Calendar.getInstance();
        now.setTimeInMillis(clock.millis());
        if (host.getCreatedDate() == null) {
            host.setCreatedDate(now);
        }
        host.setLastModifiedDate(now);
        sql.update("MERGE INTO atlassian_host (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                host.getClientKey(), host.getSharedSecret(), host.getOauthClientId(),
                host.getAuthentication() == null ? null : host.getAuthentication().name(), host.getCloudId(),
                host.getBaseUrl(), host.getDisplayUrl(), host.getDisplayUrlServicedeskHelpCenter(),
                host.getProductType(), host.getDescription(), host.getServiceEntitlementNumber(),
                host.getEntitlementId(), host.getEntitlementNumber(), host.getInstallationId(),
                host.isAddonInstalled(), timestamp(host.getCreatedDate()), timestamp(host.getLastModifiedDate()),
                host.getCreatedBy(), host.getLastModifiedBy());
        return host;
    }

    /** Every authenticated request asks this: read by key, not through SQL. */
    @Override
    public Optional<AtlassianHost> findById(String clientKey) {
        return rows.get(rows.key("client_key", clientKey), COLUMN_LIST).map(this::toHost);
    }

    @Override
    @SuppressWarnings("deprecation")
    public Optional<AtlassianHost> findFirstByBaseUrlOrderByLastModifiedDateDesc(String baseUrl) {
        return sql.query(SELECT + " WHERE base_url = ? ORDER BY last_modified_date DESC LIMIT 1", this::toHost, baseUrl)
                .stream().findFirst();
    }

    @Override
    public Iterable<AtlassianHost> findAll() {
        return sql.query(SELECT + " ORDER BY client_key", this::toHost);
    }

    @Override
    public long count() {
        return sql.query("SELECT COUNT(*) FROM atlassian_host", row -> row.longValue(0)).get(0);
    }

    @Override
    public void deleteById(String clientKey) {
        sql.update("DELETE FROM atlassian_host WHERE client_key = ?", clientKey);
    }

    @Override
    public void deleteAll() {
        sql.update("DELETE FROM atlassian_host");
    }

    private AtlassianHost toHost(IgniteSql.Row row) {
        AtlassianHost host = new AtlassianHost();
        host.setClientKey(row.string(0));
        host.setSharedSecret(row.string(1));
        host.setOauthClientId(row.string(2));
        host.setAuthentication(row.string(3) == null ? null : AddonAuthenticationType.valueOf(row.string(3)));
        host.setCloudId(row.string(4));
        host.setBaseUrl(row.string(5));
        host.setDisplayUrl(row.string(6));
        host.setDisplayUrlServicedeskHelpCenter(row.string(7));
        host.setProductType(row.string(8));
        host.setDescription(row.string(9));
        host.setServiceEntitlementNumber(row.string(10));
        host.setEntitlementId(row.string(11));
        host.setEntitlementNumber(row.string(12));
        host.setInstallationId(row.string(13));
        host.setAddonInstalled(row.bool(14));
        host.setCreatedDate(calendar(row.timestamp(15)));
        host.setLastModifiedDate(calendar(row.timestamp(16)));
        host.setCreatedBy(row.string(17));
        host.setLastModifiedBy(row.string(18));
        return host;
    }

    private static Timestamp timestamp(Calendar calendar) {
        return calendar == null ? null : new Timestamp(calendar.getTimeInMillis());
    }

    private static Calendar calendar(Timestamp timestamp) {
        if (timestamp == null) {
            return null;
        }
        Calendar calendar = Calendar.getInstance();
        calendar.setTimeInMillis(timestamp.getTime());
        return calendar;
    }
}
