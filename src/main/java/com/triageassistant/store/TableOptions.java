package com.triageassistant.store;

import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Options a node adds to the {@code WITH} clause of every {@code CREATE TABLE} it runs, so a deployment choice such
 * as encryption needs no second copy of the DDL. Applied to the statement, not to the script text: the script's
 * checksum stays the same whichever way a node is configured.
 */
final class TableOptions implements UnaryOperator<String> {

    private static final Pattern CREATE_TABLE = Pattern.compile("(?is)^\\s*CREATE\\s+TABLE\\b.*");
    private static final Pattern WITH = Pattern.compile("(?is)\\bWITH\\s+\"([^\"]*)\"\\s*$");

    private final String extra;

    private TableOptions(String extra) {
        this.extra = extra;
    }

    static UnaryOperator<String> none() {
        return UnaryOperator.identity();
    }

    /** {@code ENCRYPTED=true}: Ignite TDE for the table's pages and WAL records (needs an encryption SPI). */
    static UnaryOperator<String> encrypted(boolean on) {
        return on ? new TableOptions("encrypted=true") : none();
    }

    @Override
    public String apply(String statement) {
        if (!CREATE_TABLE.matcher(statement).matches()) {
            return statement;
        }
        Matcher with = WITH.matcher(statement);
        if (!with.find()) {
            return statement + " WITH \"" + extra + "\"";
        }
        String options = with.group(1);
        String name = extra.substring(0, extra.indexOf('=') + 1).toLowerCase();
        if (options.toLowerCase().contains(name)) {
            return statement; // the script decided it explicitly
        }
        String combined = options.isBlank() ? extra : options + "," + extra;
        return statement.substring(0, with.start(1)) + combined + statement.substring(with.end(1));
    }
}
