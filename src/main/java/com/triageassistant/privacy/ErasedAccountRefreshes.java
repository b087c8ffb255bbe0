package com.triageassistant.privacy;

import com.triageassistant.ingest.AccountErased;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** An erased account's refresh note goes with it (a hash only, but nothing about the account is kept). */
@Component
class ErasedAccountRefreshes {

    private final ReportSchedule schedule;

    ErasedAccountRefreshes(ReportSchedule schedule) {
        this.schedule = schedule;
    }

    @EventListener
    void onAccountErased(AccountErased event) {
        schedule.forgetAccount(event.clientKey(), event.accountId());
    }
}
