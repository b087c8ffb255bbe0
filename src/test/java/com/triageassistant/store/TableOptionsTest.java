package com.triageassistant.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TableOptionsTest {

    @Test
    void encryptionJoinsTheWithClauseOfCreateTableOnly() {
        var encrypted = TableOptions.encrypted(true);

        assertThat(encrypted.apply("CREATE TABLE IF NOT EXISTS t (a INT PRIMARY KEY) "
                + "WITH \"template=partitioned,cache_name=t\""))
                .isEqualTo("CREATE TABLE IF NOT EXISTS t (a INT PRIMARY KEY) "
                        + "WITH \"template=partitioned,cache_name=t,encrypted=true\"");
        assertThat(encrypted.apply("CREATE TABLE t (a INT PRIMARY KEY)"))
                .isEqualTo("CREATE TABLE t (a INT PRIMARY KEY) WITH \"encrypted=true\"");
        assertThat(encrypted.apply("CREATE TABLE t (a INT PRIMARY KEY) WITH \"ENCRYPTED=false\""))
                .isEqualTo("CREATE TABLE t (a INT PRIMARY KEY) WITH \"ENCRYPTED=false\"");
        assertThat(encrypted.apply("CREATE INDEX IF NOT EXISTS i ON t (a)"))
                .isEqualTo("CREATE INDEX IF NOT EXISTS i ON t (a)");
        assertThat(encrypted.apply("DROP TABLE IF EXISTS t")).isEqualTo("DROP TABLE IF EXISTS t");
    }

    @Test
    void withoutEncryptionStatementsRunAsWritten() {
        String ddl = "CREATE TABLE t (a INT PRIMARY KEY) WITH \"template=partitioned\"";

        assertThat(TableOptions.encrypted(false).apply(ddl)).isEqualTo(ddl);
    }
}
