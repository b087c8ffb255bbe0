package com.triageassistant.connect;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Calendar;
import java.util.List;
import java.util.Optional;

import com.atlassian.connect.spring.AddonAuthenticationType;
import com.atlassian.connect.spring.AtlassianHost;
import com.atlassian.connect.spring.AtlassianHostRepository;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
    /**
     * Every authenticated request reads its tenant here (ACSB's JWT check): 6% of the CPU at webhook saturation.
     * Rows found are kept for a second (never absences, so a new install is seen at once). This node's own writes
     * drop them at once; another node's (an uninstall, a rotated secret) are seen within the second. Decisions that
     * must not act on a tenant that just changed (writing under the tenant lock, erasing) use
     * {@link #findCurrent}. Each caller gets a fresh {@link AtlassianHost}, which ACSB mutates before saving.
     */
    private final Cache<String, IgniteSql.Row> recent = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofSeconds(1)).build();

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
        recent.invalidate(host.getClientKey());
        return host;
    }

    /** Every authenticated request asks this: read by key, not through SQL, and up to a second old (see above). */
    @Override
    public Optional<AtlassianHost> findById(String clientKey) {
        IgniteSql.Row row = recent.getIfPresent(clientKey);
        if (row != null) {
            return Optional.of(toHost(row));
        }
        Optional<IgniteSql.Row> stored = stored(clientKey);
        stored.ifPresent(found -> recent.put(clientKey, found));
        return stored.map(this::toHost);
    }

    /** The tenant as stored now, never from the cache {@link #findById} uses. */
    public Optional<AtlassianHost> findCurrent(String clientKey) {
        return stored(clientKey).map(this::toHost);
    }

    /** Drops what {@link #findById} keeps of a tenant whose row was changed other than through this repository. */
    public void forget(String clientKey) {
        recent.invalidate(clientKey);
    }

    private Optional<IgniteSql.Row> stored(String clientKey) {
        return rows.get(rows.key("client_key", clientKey), COLUMN_LIST);
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
        recent.invalidate(clientKey);
    }

    @Override
    public void deleteAll() {
        sql.update("DELETE FROM atlassian_host");
        recent.invalidateAll();
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
