package com.triageassistant.connect;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;

import com.atlassian.connect.spring.AtlassianHostMapping;
import com.atlassian.connect.spring.AtlassianHostMappingRepository;
import com.triageassistant.store.IgniteSql;
import org.springframework.stereotype.Repository;

/** Installation id to client key, for Connect-on-Forge requests. Keyed by tenant like every tenant table. */
@Repository
public class IgniteAtlassianHostMappingRepository extends SqlCrudRepository<AtlassianHostMapping, String>
        implements AtlassianHostMappingRepository {

    private static final String SELECT = "SELECT installation_id, client_key FROM atlassian_host_mapping";

    private final IgniteSql sql;
    private final Clock clock;

    public IgniteAtlassianHostMappingRepository(IgniteSql sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
    }

    @Override
    protected String idOf(AtlassianHostMapping mapping) {
        return mapping.getInstallationId();
    }

    @Override
    public <S extends AtlassianHostMapping> S save(S mapping) {
        // The id is the installation id; a reassigned installation must not stay mapped to its old tenant.
        sql.update("DELETE FROM atlassian_host_mapping WHERE installation_id = ? AND client_key <> ?",
                mapping.getInstallationId(), mapping.getClientKey());
        sql.update("MERGE INTO atlassian_host_mapping (client_key, installation_id, mapped_at) VALUES (?, ?, ?)",
                mapping.getClientKey(), mapping.getInstallationId(), Timestamp.from(clock.instant()));
        return mapping;
    }

    @Override
    public Optional<AtlassianHostMapping> findById(String installationId) {
        return sql.query(SELECT + " WHERE installation_id = ?", this::toMapping, installationId).stream().findFirst();
    }

    @Override
    public Iterable<AtlassianHostMapping> findAll() {
        return sql.query(SELECT, this::toMapping);
    }

    @Override
    public long count() {
        return sql.query("SELECT COUNT(*) FROM atlassian_host_mapping", row -> row.longValue(0)).get(0);
    }

    @Override
    public long deleteByClientKey(String clientKey) {
        return sql.update("DELETE FROM atlassian_host_mapping WHERE client_key = ?", clientKey);
    }

    @Override
    public void deleteById(String installationId) {
        sql.update("DELETE FROM atlassian_host_mapping WHERE installation_id = ?", installationId);
    }

    @Override
    public void deleteAll() {
        sql.update("DELETE FROM atlassian_host_mapping");
    }

    private AtlassianHostMapping toMapping(IgniteSql.Row row) {
        AtlassianHostMapping mapping = new AtlassianHostMapping();
        mapping.setInstallationId(row.string(0));
        mapping.setClientKey(row.string(1));
        return mapping;
    }
}
