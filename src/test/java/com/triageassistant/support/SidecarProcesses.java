package com.triageassistant.support;

import java.io.IOException;

/**
 * Freezes a test's sidecar with SIGSTOP, as a hung Python would be. The pid is checked first: a status read while
 * no sidecar runs says -1, and {@code kill -STOP -1} stops every process of the machine (the build, the test
 * runner, CI itself), which is how a careless version of this once froze a whole CI run until its time limit.
 */
public final class SidecarProcesses {

    private SidecarProcesses() {
    }

    /**
     * Stops the sidecar whose pid is given; fails the test if the pid is not a running sidecar.
     *
     * @return the frozen process: its handle carries the start time, so destroying it later cannot reach another
     *         process that got the same pid
     */
    public static ProcessHandle freeze(long pid) {
        ProcessHandle process = ProcessHandle.of(pid).filter(p -> pid > 1 && p.isAlive()).orElseThrow(() ->
                new AssertionError("no running process " + pid + " to freeze"));
        String command = process.info().commandLine().orElse("");
        if (!command.contains("triage_ml")) {
            throw new AssertionError("process " + pid + " is not a sidecar: " + command);
        }
        try {
            int exit = new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start().waitFor();
            if (exit != 0) {
                throw new AssertionError("kill -STOP " + pid + " exited with " + exit);
            }
            return process;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Lets a frozen sidecar run again. */
    public static void thaw(ProcessHandle frozen) {
        try {
            int exit = new ProcessBuilder("kill", "-CONT", Long.toString(frozen.pid())).start().waitFor();
            if (exit != 0 && frozen.isAlive()) {
                throw new AssertionError("kill -CONT " + frozen.pid() + " exited with " + exit);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
