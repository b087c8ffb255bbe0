package com.triageassistant.jira.generator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A person with everything the patterns need about them; {@link #toUser} is what the project exposes. */
final class Person {

    static final long NEVER = Long.MAX_VALUE;
    /** Newcomers get fewer issues while they ramp up. */
    private static final long RAMP_UP = 60 * ProjectShape.DAY;

    final int index;
    final String accountId;
    final String displayName;
    final Role role;
    /** epoch seconds, midnight UTC; {@link #left} is {@link #NEVER} for people who stay */
    final long joined;
    final long left;
    /** relative share of the issues they would take among equally qualified people (Zipf-like); 0 if they take none */
    final double workWeight;
    final double reportWeight;
    final double bugAffinity;
    final double storyAffinity;
    final double typoRate;
    /** how much this reporter inflates (above 1) or plays down (below 1) priorities */
    final double priorityInflation;
    /** their team if they are a developer, the team they mostly report to otherwise */
    final int team;
    /** component indexes, ascending */
    final int[] specialities;
    /** developers this person's reports tend to end up with */
    final int[] buddies;

    Person(int index, String accountId, String displayName, Role role, long joined, long left, double workWeight,
           double reportWeight, double bugAffinity, double storyAffinity, double typoRate, double priorityInflation,
           int team, int[] specialities, int[] buddies) {
        this.index = index;
        this.accountId = accountId;
        this.displayName = displayName;
        this.role = role;
        this.joined = joined;
        this.left = left;
        this.workWeight = workWeight;
        this.reportWeight = reportWeight;
        this.bugAffinity = bugAffinity;
        this.storyAffinity = storyAffinity;
        this.typoRate = typoRate;
        this.priorityInflation = priorityInflation;
        this.team = team;
        this.specialities = specialities;
        this.buddies = buddies;
    }

    boolean activeAt(long time) {
        return time >= joined && time < left;
    }

    boolean specialises(int component) {
        for (int speciality : specialities) {
            if (speciality == component) {
                return true;
            }
        }
        return false;
    }

    boolean isBuddy(int person) {
        for (int buddy : buddies) {
            if (buddy == person) {
                return true;
            }
        }
        return false;
    }

    double rampAt(long time) {
        long tenure = time - joined;
        return tenure >= RAMP_UP ? 1.0 : 0.3 + 0.7 * tenure / (double) RAMP_UP;
    }

    GeneratedUser toUser(ProjectShape shape) {
        List<String> names = new ArrayList<>(specialities.length);
        for (int component : specialities) {
            names.add(shape.component(component).name());
        }
        return new GeneratedUser(accountId, displayName, List.copyOf(names), Instant.ofEpochSecond(joined),
                left == NEVER ? null : Instant.ofEpochSecond(left), role.takesIssues());
    }
}
