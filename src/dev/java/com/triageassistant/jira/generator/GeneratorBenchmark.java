package com.triageassistant.jira.generator;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * Times {@link ProjectGenerator#generate()} for 100, 10,000 and 50,000 issues: a warm-up, then several runs per
 * size, reporting the median. A main, not a test: timings belong in a report, not in a pass/fail assertion.
 *
 * <p>Run: {@code ./mvnw -q -B -Pbench test-compile exec:exec
 * -Dbench.main=com.triageassistant.jira.generator.GeneratorBenchmark}
 */
public final class GeneratorBenchmark {

    private static final int[] SIZES = {100, 10_000, 50_000};
    private static final int[] RUNS = {31, 9, 5};

    private GeneratorBenchmark() {
    }

    public static void main(String[] args) {
        Runtime runtime = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "JVM: %s %s (%s), %d cores available, max heap %d MB, args %s%n",
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"), runtime.availableProcessors(),
                runtime.maxMemory() >> 20, ManagementFactory.getRuntimeMXBean().getInputArguments());

        long sink = 0;
        for (int i = 0; i < 5; i++) {
            sink += generate(10_000, 1_000 + i);
        }
        System.out.printf(Locale.ROOT, "%8s %6s %12s %12s %14s%n", "issues", "runs", "median ms", "min ms",
                "issues/s");
        for (int s = 0; s < SIZES.length; s++) {
            double[] millis = new double[RUNS[s]];
            for (int run = 0; run < RUNS[s]; run++) {
                long started = System.nanoTime();
                sink += generate(SIZES[s], run);
                millis[run] = (System.nanoTime() - started) / 1e6;
            }
            Arrays.sort(millis);
            double median = millis[millis.length / 2];
            System.out.printf(Locale.ROOT, "%8d %6d %12.1f %12.1f %14.0f%n", SIZES[s], RUNS[s], median, millis[0],
                    SIZES[s] / (median / 1000));
        }
        System.out.println("(checksum " + sink + ")");
    }

    /** Generates and touches the result, so nothing can be optimised away; a new seed per run. */
    private static long generate(int issues, long seed) {
        GeneratedProject project = new ProjectGenerator(GeneratorConfig.defaults(seed, "BENCH")
                .withIssueCount(issues)).generate();
        long sum = 0;
        for (GeneratedIssue issue : project.issues()) {
            sum += issue.summary().length() + issue.description().size();
        }
        return sum;
    }
}
