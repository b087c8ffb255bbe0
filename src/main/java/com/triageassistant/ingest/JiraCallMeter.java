package com.triageassistant.ingest;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * {@code triage.jira.requests}: every call the app makes to Jira as the app, timed, by platform and status class
 * ({@code 2xx}, {@code 3xx}, {@code 4xx}, {@code 5xx}, {@code 429} on its own, {@code io_error} when no answer came).
 * Added to each tenant's RestTemplate by {@link JiraTemplates}; nothing about the call but its status is kept.
 */
final class JiraCallMeter implements ClientHttpRequestInterceptor {

    private static final String[] CLASSES = {"2xx", "3xx", "4xx", "5xx"};

    /** Indexed by status / 100 - 2. */
    private final Timer[] byClass = new Timer[CLASSES.length];
    private final Timer rateLimited;
    private final Timer ioError;

    JiraCallMeter(MeterRegistry meters, String platform) {
        for (int i = 0; i < CLASSES.length; i++) {
            byClass[i] = timer(meters, platform, CLASSES[i]);
        }
        this.rateLimited = timer(meters, platform, "429");
        this.ioError = timer(meters, platform, "io_error");
    }

    private static Timer timer(MeterRegistry meters, String platform, String status) {
        return Timer.builder("triage.jira.requests")
                .description("calls to Jira's REST API as the app, by status class (429 on its own)")
                .tags("platform", platform, "status", status).register(meters);
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        long start = System.nanoTime();
        Timer timer = ioError;
        try {
            ClientHttpResponse response = execution.execute(request, body);
            int status = response.getStatusCode().value();
            timer = status == 429 ? rateLimited : status >= 200 && status < 600 ? byClass[status / 100 - 2] : ioError;
            return response;
        } finally {
            timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }
}
