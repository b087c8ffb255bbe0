package com.triageassistant.jira.generator;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writes an issue's summary and ADF description from its hidden state only (never from its targets): templates
 * per type and aspect, synonyms for the subtopic, generic words shared by every component, now and then a word from
 * a neighbouring component, the severity cue (usually), the usual boilerplate (steps to reproduce, expected and
 * actual result, environment), stack traces through the component's own code, and the reporter's typos.
 */
final class IssueTextWriter {

    record IssueText(String summary, ObjectNode description, List<Typo> typos) {
    }

    private final ProjectShape shape;
    private final String projectKey;
    private final List<List<Integer>> earlierByComponent = new ArrayList<>();

    IssueTextWriter(ProjectShape shape, String projectKey) {
        this.shape = shape;
        this.projectKey = projectKey;
        for (int c = 0; c < shape.componentCount(); c++) {
            earlierByComponent.add(new ArrayList<>());
        }
    }

    IssueText write(IssueLatent z, SplittableRandom rng) {
        Draft d = new Draft(z, rng);
        String summary = d.prose(prefix(d) + summary(d));
        AdfBuilder doc = new AdfBuilder();
        switch (z.type()) {
            case BUG -> bug(d, doc);
            case TASK -> task(d, doc);
            case STORY -> story(d, doc);
            case IMPROVEMENT -> improvement(d, doc);
            case EPIC -> epic(d, doc);
        }
        earlierByComponent.get(z.component()).add(z.number());
        return new IssueText(summary, doc.build(), List.copyOf(d.typos));
    }

    // ---- summaries ----

    private static String prefix(Draft d) {
        if (d.z.type() == IssueType.EPIC) {
            return "";
        }
        return switch (d.z.cue()) {
            case CRITICAL -> d.chance(0.35) ? d.pick(List.of("[P1] ", "URGENT: ", "Production down - ")) : "";
            case HIGH -> d.chance(0.2) ? d.pick(List.of("Blocker: ", "[Escalation] ", "Urgent: ")) : "";
            case LOW -> d.chance(0.3) && d.z.aspect() != Aspect.COSMETIC
                    ? d.pick(List.of("Minor: ", "Nice to have: ", "Cosmetic: ", "Low prio: ")) : "";
            case NONE -> "";
        };
    }

    private String summary(Draft d) {
        String noun = d.noun();
        String titled = capitalise(noun);
        return switch (d.z.aspect()) {
            case FUNCTIONAL -> functionalSummary(d, noun, titled);
            case CRASH -> switch (d.choose(4)) {
                case 0 -> titled + " crashes when " + d.action();
                case 1 -> d.exceptionName() + " in " + d.codeUnit();
                case 2 -> "App crashes when " + d.action();
                default -> "Fatal error opening the " + noun;
            };
            case OUTAGE -> switch (d.choose(4)) {
                case 0 -> titled + " down for all users";
                case 1 -> "Outage: " + noun + " returns 503";
                case 2 -> titled + " unavailable in " + d.pick(Words.REGIONS);
                default -> "Production incident: " + noun + " not responding";
            };
            case DATA_LOSS -> switch (d.choose(3)) {
                case 0 -> "Data loss: " + noun + " deletes existing " + d.generic() + " records";
                case 1 -> titled + " loses changes when " + d.action();
                default -> titled + " corrupts the " + d.generic() + " on save";
            };
            case COSMETIC -> d.z.type() != IssueType.BUG ? switch (d.choose(3)) {
                case 0 -> "Polish the " + noun + " " + d.pick(Words.UI_THINGS);
                case 1 -> "Align the " + d.pick(Words.UI_THINGS) + " on " + noun;
                default -> "Fix wording of the " + noun + " " + d.pick(Words.UI_THINGS);
            } : switch (d.choose(4)) {
                case 0 -> "Typo in " + noun + " " + d.pick(Words.UI_THINGS);
                case 1 -> capitalise(d.pick(Words.UI_THINGS)) + " misaligned on " + noun;
                case 2 -> titled + " " + d.pick(Words.UI_THINGS) + " uses the wrong color";
                default -> titled + ": " + d.pick(Words.UI_THINGS) + " overlaps the " + d.generic();
            };
            case PERFORMANCE -> d.z.type() != IssueType.BUG ? switch (d.choose(3)) {
                case 0 -> "Speed up " + noun;
                case 1 -> "Make the " + noun + " faster";
                default -> "Reduce " + noun + " load time";
            } : switch (d.choose(5)) {
                case 0 -> titled + " is very slow";
                case 1 -> titled + " takes " + (5 + d.choose(90)) + "s to load";
                case 2 -> "Timeout when " + d.action();
                case 3 -> "High CPU in " + d.codeUnit() + " during " + noun + " processing";
                default -> "Speed up " + noun;
            };
            case SECURITY -> d.z.type() != IssueType.BUG ? switch (d.choose(3)) {
                case 0 -> "Add permission checks to " + noun;
                case 1 -> "Rotate secrets used by " + noun;
                default -> "Update " + d.pick(Words.DEPENDENCIES) + " to fix CVE-" + d.year() + "-"
                        + (1000 + d.choose(49000));
            } : switch (d.choose(4)) {
                case 0 -> "XSS in " + noun;
                case 1 -> titled + " exposes " + d.generic() + " data to other workspaces";
                case 2 -> "Missing permission check on " + noun;
                default -> "Update " + d.pick(Words.DEPENDENCIES) + " to fix CVE-" + d.year() + "-"
                        + (1000 + d.choose(49000));
            };
            case REGRESSION -> switch (d.choose(3)) {
                case 0 -> "Regression: " + noun + " " + d.failVerb + " since " + d.previousVersion();
                case 1 -> titled + " broken after upgrade to " + d.version();
                default -> titled + " " + d.failVerb + " again";
            };
            case BUILD -> switch (d.choose(4)) {
                case 0 -> "Flaky test " + d.testName();
                case 1 -> "CI fails on " + noun + " tests";
                case 2 -> "Build broken in " + d.codeUnit();
                default -> "Upgrade " + d.pick(Words.DEPENDENCIES) + " in " + d.component.name();
            };
            case DOCS -> switch (d.choose(3)) {
                case 0 -> "Document " + noun;
                case 1 -> "Write a runbook for " + noun;
                default -> "Update the " + noun + " docs";
            };
            case REFACTOR -> switch (d.choose(4)) {
                case 0 -> "Refactor " + d.codeUnit();
                case 1 -> "Clean up " + noun + " code";
                case 2 -> "Remove deprecated " + noun + " code path";
                default -> "Split " + d.codeUnit() + " into smaller pieces";
            };
        };
    }

    private static String functionalSummary(Draft d, String noun, String titled) {
        return switch (d.z.type()) {
            case BUG -> switch (d.choose(5)) {
                case 0 -> titled + " " + d.failVerb + " when " + d.action();
                case 1 -> "Cannot " + d.pick(Words.USER_VERBS) + " " + noun + " " + d.pick(Words.CONTEXTS);
                case 2 -> "Wrong " + d.generic() + " shown in " + noun;
                case 3 -> titled + ": " + d.generic() + " " + d.pick(Words.WRONG_STATES);
                default -> titled + " " + d.failVerb + " " + d.pick(Words.CONTEXTS);
            };
            case TASK -> switch (d.choose(4)) {
                case 0 -> "Update " + noun + " to " + d.pick(Words.TASK_GOALS);
                case 1 -> "Add " + d.pick(Words.TASK_ADDITIONS) + " to " + noun;
                case 2 -> "Migrate " + noun + " to " + d.pick(Words.TECHNOLOGIES);
                default -> "Investigate why " + noun + " " + d.generic() + " " + d.pick(Words.WRONG_STATES);
            };
            case STORY -> switch (d.choose(3)) {
                case 0 -> "As " + withArticle(d.persona) + ", I want to " + d.storyVerb + " the " + noun
                        + " so that " + d.pick(Words.BENEFITS);
                case 1 -> "Allow " + d.persona + "s to " + d.storyVerb + " " + noun;
                default -> capitalise(d.persona) + " can " + d.storyVerb + " " + noun + " from the " + d.generic()
                        + " page";
            };
            case IMPROVEMENT -> switch (d.choose(4)) {
                case 0 -> "Improve " + noun + " " + d.pick(Words.QUALITIES);
                case 1 -> "Show " + d.generic() + " in " + noun;
                case 2 -> "Better error message for " + noun;
                default -> "Support " + d.pick(Words.EXTRAS) + " in " + noun;
            };
            case EPIC -> d.chance(0.5) ? titled + " " + d.pick(Words.EPIC_SUFFIXES)
                    : d.component.name() + " " + d.pick(Words.EPIC_SUFFIXES);
        };
    }

    // ---- descriptions ----

    private void bug(Draft d, AdfBuilder doc) {
        String what = d.z.aspect() == Aspect.BUILD
                ? "the " + d.noun() + " tests fail on CI after " + d.action()
                : "the " + d.noun() + " " + symptom(d) + " when " + d.action();
        String intro = switch (d.z.reporter().role) {
            case SUPPORT -> "Customer " + d.pick(Words.COMPANIES) + " (" + d.pick(Words.PLANS) + " plan) reports that "
                    + what + ". Ticket #" + (10_000 + d.choose(90_000)) + ".";
            case QA -> "Found while testing " + d.version() + ": " + what + ".";
            default -> capitalise(what) + ".";
        };
        doc.paragraph(d.prose(intro));
        if (d.chance(0.08)) {
            return; // some reporters write one line and nothing else
        }
        chatter(d, doc, 0.5);
        cue(d, doc);
        if (d.chance(0.7)) {
            List<String> steps = new ArrayList<>();
            steps.add(d.prose("Log in as " + withArticle(d.persona)));
            steps.add(d.prose("Open the " + d.noun()));
            if (d.chance(0.5)) {
                steps.add(d.prose("Click the " + d.pick(Words.UI_THINGS)));
            }
            steps.add(d.prose(capitalise(d.action())));
            if (d.chance(0.3)) {
                steps.add("Refresh the page");
            }
            doc.lead("Steps to reproduce", "").bulletList(steps);
        }
        if (d.chance(0.7)) {
            doc.lead("Expected result:", d.prose(capitalise(d.pick(Words.EXPECTED)) + "."));
            doc.lead("Actual result:", d.prose(capitalise(d.pick(Words.ACTUAL)) + "."));
        }
        if (d.chance(0.6)) {
            doc.lead("Environment:", environment(d));
        }
        double traceChance = switch (d.z.aspect()) {
            case CRASH -> 0.8;
            case BUILD -> 0.5;
            case OUTAGE -> 0.45;
            case DATA_LOSS, REGRESSION -> 0.3;
            case PERFORMANCE -> 0.2;
            case FUNCTIONAL -> 0.15;
            case SECURITY -> 0.1;
            default -> 0.0;
        };
        if (d.chance(traceChance)) {
            trace(d, doc);
        }
        related(d, doc, 0.08);
    }

    private static String symptom(Draft d) {
        return switch (d.z.aspect()) {
            case CRASH -> d.pick(List.of("crashes", "crashes the app", "dies with a fatal error"));
            case OUTAGE -> d.pick(List.of("is unavailable", "returns 503 for everyone", "is down"));
            case DATA_LOSS -> d.pick(List.of("loses data", "wipes the " + d.generic(), "overwrites saved changes"));
            case COSMETIC -> d.pick(List.of("looks wrong", "has a misaligned " + d.pick(Words.UI_THINGS),
                    "shows a typo in the " + d.pick(Words.UI_THINGS)));
            case PERFORMANCE -> d.pick(List.of("is very slow", "takes ages", "times out"));
            case SECURITY -> d.pick(List.of("exposes data it should not", "skips the permission check"));
            case REGRESSION -> d.failVerb + " again since " + d.previousVersion();
            default -> d.failVerb;
        };
    }

    private void task(Draft d, AdfBuilder doc) {
        String noun = d.noun();
        String work = switch (d.z.aspect()) {
            case BUILD -> "fix the " + noun + " tests in CI";
            case DOCS -> "document how the " + noun + " works";
            case REFACTOR -> "clean up the " + noun + " code";
            case SECURITY -> "harden the " + noun;
            case PERFORMANCE -> "make the " + noun + " faster";
            default -> "update the " + noun + " to " + d.pick(Words.TASK_GOALS);
        };
        doc.paragraph(d.prose("We need to " + work + " " + d.pick(Words.TASK_REASONS) + "."));
        cue(d, doc);
        chatter(d, doc, 0.15);
        if (d.chance(0.5)) {
            doc.lead("Checklist", "").bulletList(d.prose(d.distinct(Words.CHECKLIST, 2 + d.choose(2))));
        }
        if (d.z.aspect() == Aspect.BUILD && d.chance(0.4)) {
            trace(d, doc);
        }
        related(d, doc, 0.05);
    }

    private void story(Draft d, AdfBuilder doc) {
        String persona = d.persona;
        String verb = d.storyVerb;
        String noun = d.noun();
        doc.paragraph(d.prose("As " + withArticle(persona) + ", I want to " + verb + " the " + noun + " so that "
                + d.pick(Words.BENEFITS) + "."));
        cue(d, doc);
        List<String> criteria = new ArrayList<>();
        criteria.add(capitalise(persona) + " can " + verb + " the " + d.noun());
        criteria.addAll(d.distinct(Words.ACCEPTANCE, 1 + d.choose(3)));
        doc.lead("Acceptance criteria", "").bulletList(d.prose(criteria));
        if (d.chance(0.4)) {
            doc.paragraph("Designs: see the Figma file linked in the epic.");
        }
        if (d.chance(0.2)) {
            doc.lead("Out of scope:", d.prose("changes to the " + d.neighbourNoun() + "."));
        }
    }

    private void improvement(Draft d, AdfBuilder doc) {
        doc.paragraph(d.prose("Currently the " + d.noun() + " " + d.pick(Words.LIMITATIONS) + "."));
        String proposal = switch (d.choose(4)) {
            case 0 -> "add " + d.pick(Words.EXTRAS) + " to the " + d.noun();
            case 1 -> "show a clearer " + d.generic();
            case 2 -> "cache the " + d.noun() + " so it opens instantly";
            default -> "move the " + d.pick(Words.UI_THINGS) + " next to the " + d.generic();
        };
        doc.lead("Proposal:", d.prose(capitalise(proposal) + "."));
        cue(d, doc);
        chatter(d, doc, 0.2);
    }

    private void epic(Draft d, AdfBuilder doc) {
        String goal = switch (d.choose(3)) {
            case 0 -> "rebuild the " + d.noun() + " on the new platform";
            case 1 -> "make the " + d.noun() + " ready for enterprise customers";
            default -> "halve the support tickets about the " + d.noun();
        };
        doc.lead("Goal:", d.prose(capitalise(goal) + "."));
        doc.lead("Milestones", "").bulletList(d.distinct(Words.MILESTONES, 3));
        cue(d, doc);
    }

    /** The severity cue in words, most of the time; otherwise the reporter only set the priority. */
    private static void cue(Draft d, AdfBuilder doc) {
        SeverityCue cue = d.z.cue();
        if (cue == SeverityCue.NONE) {
            if (d.chance(0.05)) {
                doc.paragraph(d.prose(d.pick(Words.DECOYS)));
            }
            return;
        }
        if (!d.chance(0.85)) {
            return;
        }
        List<String> specific = switch (cue) {
            case CRITICAL -> switch (d.z.aspect()) {
                case OUTAGE -> Words.OUTAGE_CUES;
                case DATA_LOSS -> Words.DATA_LOSS_CUES;
                default -> Words.CRITICAL_CUES;
            };
            case HIGH -> switch (d.z.aspect()) {
                case CRASH -> Words.CRASH_CUES;
                case SECURITY -> Words.SECURITY_CUES;
                case REGRESSION -> Words.REGRESSION_CUES;
                default -> Words.HIGH_CUES;
            };
            default -> d.z.aspect() == Aspect.COSMETIC ? Words.COSMETIC_CUES : Words.LOW_CUES;
        };
        List<String> generic = switch (cue) {
            case CRITICAL -> Words.CRITICAL_CUES;
            case HIGH -> Words.HIGH_CUES;
            default -> Words.LOW_CUES;
        };
        doc.paragraph(d.prose(d.pick(d.chance(0.6) ? specific : generic)));
    }

    private static void chatter(Draft d, AdfBuilder doc, double chance) {
        if (d.chance(chance)) {
            doc.paragraph(d.prose(d.pick(Words.CHATTER)));
        }
        if (d.chance(0.2)) {
            doc.paragraph(d.prose(d.chance(0.5)
                    ? "Might be related to the recent " + d.neighbourNoun() + " change."
                    : "We also noticed something odd with the " + d.neighbourNoun() + "."));
        }
    }

    private void trace(Draft d, AdfBuilder doc) {
        if (d.chance(0.5)) {
            doc.lead("Logs:", "");
        }
        if (shape.python[d.z.component()]) {
            doc.codeBlock("python", StackTraceWriter.python(d.component, d.rng));
        } else {
            doc.codeBlock("java", StackTraceWriter.java(d.component, d.rng));
        }
    }

    private void related(Draft d, AdfBuilder doc, double chance) {
        List<Integer> earlier = earlierByComponent.get(d.z.component());
        if (!earlier.isEmpty() && d.chance(chance)) {
            int window = Math.min(200, earlier.size());
            int number = earlier.get(earlier.size() - 1 - d.choose(window));
            doc.paragraph("Possibly related to " + projectKey + "-" + number + ".");
        }
    }

    private String environment(Draft d) {
        String name = d.component.name();
        if (name.equals("Mobile App") || name.equals("Notifications") && d.chance(0.3)) {
            return "App " + d.version() + " on " + d.pick(Words.DEVICES);
        }
        return d.pick(Words.BROWSERS) + " " + (110 + d.choose(25)) + " on " + d.pick(Words.OPERATING_SYSTEMS)
                + ", build " + d.version() + ", region " + d.pick(Words.REGIONS);
    }

    static String withArticle(String noun) {
        return ("aeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
    }

    static String capitalise(String text) {
        if (text.isEmpty() || !Character.isLowerCase(text.charAt(0))
                || text.length() > 1 && Character.isUpperCase(text.charAt(1))) {
            return text;
        }
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** One issue in the making: its hidden state, its random stream and the typos made so far. */
    private final class Draft {

        final IssueLatent z;
        final SplittableRandom rng;
        final ComponentSpec component;
        final Subtopic subtopic;
        final List<Typo> typos = new ArrayList<>();
        /** chosen once, so that summary and description tell the same story (nouns still vary: synonyms) */
        final String action;
        final String persona;
        final String storyVerb;
        final String failVerb;

        Draft(IssueLatent z, SplittableRandom rng) {
            this.z = z;
            this.rng = rng;
            this.component = shape.component(z.component());
            this.subtopic = component.subtopics().get(z.subtopic());
            this.action = Draw.pick(subtopic.actions(), rng);
            this.persona = Draw.pick(Words.PERSONAS, rng);
            this.storyVerb = Draw.pick(Words.STORY_VERBS, rng);
            this.failVerb = Draw.pick(Words.FAIL_VERBS, rng);
        }

        String noun() {
            return Draw.pick(subtopic.nouns(), rng);
        }

        String action() {
            return action;
        }

        String generic() {
            return Draw.pick(Words.GENERIC_NOUNS, rng);
        }

        String pick(List<String> words) {
            return Draw.pick(words, rng);
        }

        boolean chance(double probability) {
            return Draw.chance(probability, rng);
        }

        int choose(int bound) {
            return rng.nextInt(bound);
        }

        List<String> distinct(List<String> pool, int count) {
            List<String> copy = new ArrayList<>(pool);
            ProjectShape.shuffle(copy, rng);
            return new ArrayList<>(copy.subList(0, Math.min(count, copy.size())));
        }

        String prose(String text) {
            return TypoInjector.apply(text, z.reporter().typoRate, rng, typos);
        }

        List<String> prose(List<String> texts) {
            List<String> out = new ArrayList<>(texts.size());
            for (String text : texts) {
                out.add(prose(text));
            }
            return out;
        }

        /** A class or module of this component, as developers name them in summaries. */
        String codeUnit() {
            return shape.python[z.component()] ? pick(component.pythonModules()) : pick(component.javaClasses());
        }

        String exceptionName() {
            return shape.python[z.component()]
                    ? pick(List.of("KeyError", "TypeError", "AttributeError", "ValueError"))
                    : pick(List.of("NullPointerException", "IllegalStateException", "OutOfMemoryError",
                    "ConcurrentModificationException"));
        }

        String testName() {
            if (shape.python[z.component()]) {
                String module = pick(component.pythonModules());
                return "test_" + module.substring(module.lastIndexOf('/') + 1, module.length() - 3);
            }
            return pick(component.javaClasses()) + "Test";
        }

        /** A word from another component, usually of the same team: real reports wander. */
        String neighbourNoun() {
            int[] team = shape.teams[shape.teamOf[z.component()]];
            int other = team.length > 1 && chance(0.7) ? team[choose(team.length)] : choose(shape.componentCount());
            List<Subtopic> subtopics = shape.component(other).subtopics();
            return pick(subtopics.get(choose(subtopics.size())).nouns());
        }

        int year() {
            return LocalDate.ofEpochDay(Math.floorDiv(z.created(), ProjectShape.DAY)).getYear();
        }

        /** Calendar versioning, as many SaaS teams do: {@code 2024.03.2}. */
        String version() {
            LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(z.created(), ProjectShape.DAY));
            return String.format(Locale.ROOT, "%d.%02d.%d", day.getYear(), day.getMonthValue(), day.getDayOfMonth() / 10);
        }

        String previousVersion() {
            LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(z.created(), ProjectShape.DAY)).minusMonths(1);
            return String.format(Locale.ROOT, "%d.%02d", day.getYear(), day.getMonthValue());
        }
    }
}
