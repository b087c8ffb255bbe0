package com.triageassistant.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's snapshot directory: one sub-directory per snapshot. Ignite writes a snapshot's metadata file
 * ({@code *.smf}) last, so a directory without one is a snapshot still being written (or one that failed) and is
 * neither listed nor deleted.
 */
final class SnapshotDirectory {

    private static final Logger log = LoggerFactory.getLogger(SnapshotDirectory.class);

    private final Path root;

    SnapshotDirectory(Path root) {
        this.root = root;
    }

    /** Complete snapshots, newest first. */
    List<SnapshotSummary> list() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory).flatMap(dir -> summary(dir).stream())
                    .sorted(Comparator.comparing(SnapshotSummary::takenAt).reversed()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list snapshots in " + root, e);
        }
    }

    Optional<SnapshotSummary> find(String name) {
        Path dir = root.resolve(name);
        return dir.getParent().equals(root) && Files.isDirectory(dir) ? summary(dir) : Optional.empty();
    }

    /** Deletes the app's own snapshots beyond the newest {@code keep}; returns their names. */
    List<String> prune(int keep) {
        List<String> old = list().stream().filter(SnapshotSummary::madeByApp).skip(keep)
                .map(SnapshotSummary::name).toList();
        for (String name : old) {
            delete(root.resolve(name));
            log.info("Deleted snapshot {} (triage.backup.keep={})", name, keep);
        }
        return old;
    }

    private Optional<SnapshotSummary> summary(Path dir) {
        String name = dir.getFileName().toString();
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> regular = files.filter(Files::isRegularFile).toList();
            Optional<Path> metadata = regular.stream()
                    .filter(file -> file.getParent().equals(dir) && file.getFileName().toString().endsWith(".smf"))
                    .findFirst();
            if (metadata.isEmpty()) {
                return Optional.empty();
            }
            long size = 0;
            for (Path file : regular) {
                size += Files.size(file);
            }
            Optional<Instant> named = SnapshotNames.takenAt(name);
            Instant takenAt = named.isPresent() ? named.get()
                    : Files.getLastModifiedTime(metadata.get()).toInstant();
            return Optional.of(new SnapshotSummary(name, takenAt, size, named.isPresent()));
        } catch (NoSuchFileException e) {
            return Optional.empty(); // deleted while being read (retention, or an operator)
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read snapshot " + dir, e);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                return Optional.empty(); // the same, met by the directory walk
            }
            throw e;
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete snapshot " + dir, e);
        }
    }
}
