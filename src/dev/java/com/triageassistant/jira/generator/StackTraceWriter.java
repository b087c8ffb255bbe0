package com.triageassistant.jira.generator;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Stack traces that name the failing component's own classes or modules under shared framework frames, so a model
 * can learn that {@code com.acme.billing.RefundProcessor} means Payments, while the framework lines say nothing.
 */
final class StackTraceWriter {

    private static final List<String> JAVA_METHODS = List.of("handle", "process", "render", "load", "save", "apply",
            "resolve", "execute", "validate", "toDto", "lambda$process$0", "refresh", "lookup", "merge");
    private static final List<String> JAVA_FAILURES = List.of(
            "java.lang.NullPointerException: Cannot invoke \"String.length()\" because \"value\" is null",
            "java.lang.NullPointerException: Cannot invoke \"java.util.List.size()\" because \"items\" is null",
            "java.lang.IllegalStateException: Already closed",
            "java.lang.IllegalArgumentException: Invalid value for id: ''",
            "java.util.ConcurrentModificationException: null",
            "java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.",
            "java.net.SocketTimeoutException: Read timed out",
            "java.lang.ArrayIndexOutOfBoundsException: Index 3 out of bounds for length 3",
            "java.lang.OutOfMemoryError: Java heap space",
            "com.fasterxml.jackson.databind.exc.MismatchedInputException: Cannot deserialize value of type `java.time.Instant` from String \"\"");
    private static final List<String> JAVA_FRAMEWORK = List.of(
            "org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)",
            "jakarta.servlet.http.HttpServlet.service(HttpServlet.java:658)",
            "org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:166)",
            "org.springframework.transaction.interceptor.TransactionInterceptor.invoke(TransactionInterceptor.java:119)",
            "org.springframework.aop.framework.ReflectiveMethodInvocation.proceed(ReflectiveMethodInvocation.java:184)",
            "java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1136)",
            "java.base/java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:635)",
            "java.base/java.lang.Thread.run(Thread.java:840)");
    private static final List<String> PYTHON_FUNCTIONS = List.of("handle_request", "process_batch", "render", "load",
            "save", "_apply", "resolve", "run_job", "serialize", "fetch_page", "sync_one");
    private static final List<String> PYTHON_LINES = List.of("result = self._client.fetch(item_id)",
            "return payload[\"id\"]", "total += line.amount", "rows = session.execute(query).fetchall()",
            "value = int(raw)", "return obj.owner.email", "resp.raise_for_status()", "data = json.loads(body)",
            "self._cache[key] = compute(key)");
    private static final List<String> PYTHON_FAILURES = List.of("KeyError: 'id'",
            "TypeError: 'NoneType' object is not subscriptable",
            "ValueError: invalid literal for int() with base 10: ''",
            "AttributeError: 'NoneType' object has no attribute 'email'", "TimeoutError: timed out after 30s",
            "psycopg2.errors.LockNotAvailable: could not obtain lock on relation",
            "requests.exceptions.ConnectionError: Connection aborted.",
            "json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)");
    private static final List<String> PYTHON_FRAMEWORK = List.of(
            "  File \"/usr/local/lib/python3.11/site-packages/django/core/handlers/base.py\", line 197, in _get_response\n"
                    + "    response = wrapped_callback(request, *callback_args, **callback_kwargs)",
            "  File \"/usr/local/lib/python3.11/site-packages/celery/app/trace.py\", line 451, in trace_task\n"
                    + "    R = retval = fun(*args, **kwargs)",
            "  File \"/usr/local/lib/python3.11/site-packages/flask/app.py\", line 1823, in full_dispatch_request\n"
                    + "    rv = self.dispatch_request()");

    private StackTraceWriter() {
    }

    static String java(ComponentSpec component, SplittableRandom rng) {
        StringBuilder out = new StringBuilder(512);
        out.append(Draw.pick(JAVA_FAILURES, rng)).append('\n');
        int own = 2 + rng.nextInt(3);
        for (int k = 0; k < own; k++) {
            String type = Draw.pick(component.javaClasses(), rng);
            out.append("\tat ").append(component.javaPackage()).append('.').append(type).append('.')
                    .append(Draw.pick(JAVA_METHODS, rng)).append('(').append(type).append(".java:")
                    .append(20 + rng.nextInt(480)).append(")\n");
        }
        int framework = 2 + rng.nextInt(4);
        int from = rng.nextInt(JAVA_FRAMEWORK.size() - framework + 1);
        for (int k = 0; k < framework; k++) {
            out.append("\tat ").append(JAVA_FRAMEWORK.get(from + k)).append('\n');
        }
        if (Draw.chance(0.25, rng)) {
            String type = Draw.pick(component.javaClasses(), rng);
            out.append("Caused by: ").append(Draw.pick(JAVA_FAILURES, rng)).append("\n\tat ")
                    .append(component.javaPackage()).append('.').append(type).append('.')
                    .append(Draw.pick(JAVA_METHODS, rng)).append('(').append(type).append(".java:")
                    .append(20 + rng.nextInt(480)).append(")\n\t... ").append(10 + rng.nextInt(60)).append(" more\n");
        }
        return out.toString().stripTrailing();
    }

    static String python(ComponentSpec component, SplittableRandom rng) {
        StringBuilder out = new StringBuilder(512).append("Traceback (most recent call last):\n");
        out.append(Draw.pick(PYTHON_FRAMEWORK, rng)).append('\n');
        int own = 2 + rng.nextInt(2);
        for (int k = 0; k < own; k++) {
            out.append("  File \"/srv/app/").append(Draw.pick(component.pythonModules(), rng)).append("\", line ")
                    .append(10 + rng.nextInt(400)).append(", in ").append(Draw.pick(PYTHON_FUNCTIONS, rng))
                    .append("\n    ").append(Draw.pick(PYTHON_LINES, rng)).append('\n');
        }
        return out.append(Draw.pick(PYTHON_FAILURES, rng)).toString();
    }
}
