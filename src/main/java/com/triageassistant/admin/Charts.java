package com.triageassistant.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The page's two pictures as SVG geometry, computed here so the template only draws: the main metric across model
 * versions, and the priority confusion matrix. Plain SVG: no charting library to ship into Jira's iframe.
 */
final class Charts {

    static final int WIDTH = 320;
    static final int HEIGHT = 120;
    private static final int PAD = 24;

    private Charts() {
    }

    /** A point per version with a score; {@code status} colours it (kept out by the guard, active, retired). */
    public record Point(double x, double y, int version, String status, String label) {
    }

    public record Trend(String metric, String polyline, List<Point> points, double baselineY, String baselineLabel) {

        /** The metric as people read it: "top-3 accuracy" rather than the training result's key "top3". */
        public String metricName() {
            return switch (metric) {
                case "top1" -> "top-1 accuracy";
                case "top3" -> "top-3 accuracy";
                case "macro_f1" -> "macro-F1";
                case "micro_f1" -> "micro-F1";
                default -> metric.replace('_', ' ');
            };
        }
    }

    public record Cell(int count, double shade) {

        /** Counts on dark cells are drawn in white. */
        public boolean dark() {
            return shade > 0.55;
        }
    }

    public record Confusion(List<String> labels, List<List<Cell>> rows) {
    }

    /** Null when fewer than one scored version. */
    static Trend trend(List<ProjectOverview.Version> versions) {
        List<ProjectOverview.Version> scored = versions.stream().filter(v -> v.value() != null)
                .sorted((a, b) -> Integer.compare(a.version(), b.version())).toList();
        if (scored.isEmpty()) {
            return null;
        }
        List<Point> points = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        int n = scored.size();
        for (int i = 0; i < n; i++) {
            ProjectOverview.Version v = scored.get(i);
            double x = n == 1 ? WIDTH / 2.0 : PAD + (WIDTH - 2.0 * PAD) * i / (n - 1);
            double y = y(v.value());
            points.add(new Point(x, y, v.version(), v.status(), "v" + v.version() + ": " + percent(v.value())));
            line.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        Double majority = scored.get(n - 1).majority();
        return new Trend(scored.get(0).metric(), line.toString().strip(), points,
                majority == null ? -1 : y(majority), majority == null ? null : "majority " + percent(majority));
    }

    /** From a training result's {@code holdout.confusion}; null when it has none. */
    static Confusion confusion(JsonNode holdout) {
        JsonNode confusion = holdout.path("confusion");
        if (!confusion.path("matrix").isArray() || confusion.path("matrix").isEmpty()) {
            return null;
        }
        List<String> labels = new ArrayList<>();
        confusion.path("labels").forEach(label -> labels.add(label.asText()));
        List<List<Cell>> rows = new ArrayList<>();
        for (JsonNode row : confusion.path("matrix")) {
            long total = 0;
            for (JsonNode count : row) {
                total += count.asLong();
            }
            List<Cell> cells = new ArrayList<>();
            for (JsonNode count : row) {
                // shaded within the true class, so a rare priority's mistakes are as visible as a common one's
                cells.add(new Cell(count.asInt(), total == 0 ? 0 : count.asDouble() / total));
            }
            rows.add(cells);
        }
        return new Confusion(labels, rows);
    }

    private static double y(double value) {
        return HEIGHT - PAD / 2.0 - (HEIGHT - PAD) * Math.max(0, Math.min(1, value));
    }

    static String percent(double value) {
        return Math.round(value * 100) + "%";
    }
}
