package org.phm.pack;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;

/**
 * One run at a time per pack root. The lock file records pid, host and start time; a lock whose
 * process is gone on this host is stale (a killed run): it is reported and taken over.
 */
public final class RunLock implements AutoCloseable {
  public static final String FILE = ".lock";

  private final Path file;
  private final String staleReport;

  private RunLock(Path file, String staleReport) {
    this.file = file;
    this.staleReport = staleReport;
  }

  /** Message describing a stale lock that was taken over, if any. */
  public Optional<String> staleReport() {
    return Optional.ofNullable(staleReport);
  }

  /**
   * Takes the lock or throws {@link PackException} naming the run that holds it.
   */
  public static RunLock acquire(Path packsRoot, String runId) {
    Path file = packsRoot.resolve(FILE);
    String me = ProcessHandle.current().pid() + " " + host() + " " + Instant.now() + " " + runId;
    String stale = null;
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        Files.createDirectories(packsRoot);
        Files.writeString(file, me, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return new RunLock(file, stale);
      } catch (FileAlreadyExistsException e) {
        String holder = read(file);
        if (holder == null) {
          continue; // released meanwhile
        }
        String[] parts = holder.split(" ");
        boolean sameHost = parts.length > 1 && parts[1].equals(host());
        boolean alive = parts.length > 0 && parseLong(parts[0]) > 0
            && ProcessHandle.of(parseLong(parts[0])).map(ProcessHandle::isAlive).orElse(false);
        if (sameHost && !alive) {
          stale = "stale lock from a run that did not finish (pid " + parts[0] + ", started "
              + (parts.length > 2 ? parts[2] : "?") + ", run " + (parts.length > 3 ? parts[3] : "?")
              + "); taken over";
          try {
            Files.deleteIfExists(file);
          } catch (IOException ex) {
            throw new PackException("cannot remove stale lock " + file + ": " + ex.getMessage(), ex);
          }
          continue;
        }
        throw new PackException("another run holds the lock " + file + " (pid " + parts[0]
            + (parts.length > 1 ? " on " + parts[1] : "") + (parts.length > 2 ? ", since " + parts[2] : "")
            + (parts.length > 3 ? ", run " + parts[3] : "") + "); wait for it to finish, or remove the file if that process no longer exists");
      } catch (IOException e) {
        throw new PackException("cannot create lock " + file + ": " + e.getMessage(), e);
      }
    }
    throw new PackException("cannot acquire lock " + file);
  }

  /** Describes the current lock holder, or empty. */
  public static Optional<String> describe(Path packsRoot) {
    return Optional.ofNullable(read(packsRoot.resolve(FILE)));
  }

  /**
   * The current lock, parsed: {@code stale} when its process no longer exists on this host (a killed
   * run, which could not record itself in the run history).
   */
  public record Holder(long pid, String host, String startedAt, String runId, boolean stale) {}

  /** The current lock holder, or empty when no run holds the lock. */
  public static Optional<Holder> holder(Path packsRoot) {
    String text = read(packsRoot.resolve(FILE));
    if (text == null) {
      return Optional.empty();
    }
    String[] parts = text.split(" ");
    long pid = parts.length > 0 ? parseLong(parts[0]) : -1;
    String host = parts.length > 1 ? parts[1] : "?";
    boolean alive = pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    return Optional.of(new Holder(pid, host, parts.length > 2 ? parts[2] : "?", parts.length > 3 ? parts[3] : "?",
        host.equals(host()) && !alive));
  }

  @Override
  public void close() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new PackException("cannot release lock " + file + ": " + e.getMessage(), e);
    }
  }

  private static String read(Path f) {
    try {
      return Files.readString(f, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return null;
    }
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown-host";
    }
  }
}
