package org.phm.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.phm.pack.PackVerifier;
import org.phm.pack.RunHistory;
import org.phm.pack.RunLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code phm status}: recent runs, their outcome, duration and rows; the current lock; pack integrity. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show recent runs (outcome, duration, rows), the lock holder and whether published packs verify.")
final class StatusCommand implements Callable<Integer> {
  @Option(names = "--packs", defaultValue = "packs", description = "Packs directory (default ${DEFAULT-VALUE})")
  Path packs;

  @Option(names = "--runs", defaultValue = "10", description = "How many runs to list")
  int runs;

  @Override
  public Integer call() {
    System.out.printf("%-20s %-10s %-9s %4s %8s %12s %10s  %s%n", "run_id", "run_date", "outcome", "exit", "seconds",
        "rows_in", "quarantine", "message");
    for (RunHistory.Run r : RunHistory.recent(packs, runs)) {
      System.out.printf("%-20s %-10s %-9s %4d %8.1f %12s %10s  %s%n", r.runId(), r.runDate(), r.outcome(),
          r.exitCode(), r.seconds(), r.rowsIn() == null ? "" : String.format("%,d", r.rowsIn()),
          r.rowsQuarantined() == null ? "" : String.format("%,d", r.rowsQuarantined()),
          r.message() == null ? "" : r.message());
    }
    RunLock.holder(packs).ifPresent(h -> System.out.println(h.stale()
        ? "lock: STALE — killed run " + h.runId() + " (pid " + h.pid() + " on " + h.host() + ", started "
            + h.startedAt() + ") did not finish and is not in the history; the next run takes the lock over"
        : "lock: held by running run " + h.runId() + " (pid " + h.pid() + " on " + h.host() + ", since "
            + h.startedAt() + ")"));
    Path latest = packs.resolve("latest");
    int bad = 0;
    if (Files.exists(latest)) {
      var result = PackVerifier.verify(latest, null);
      System.out.println("latest pack: " + packs.resolve("latest") + " → " + (result.ok() ? "verified OK"
          : "FAILED verification:"));
      for (String p : result.problems()) {
        System.out.println("  - " + p);
        bad++;
      }
    } else {
      System.out.println("no published pack yet under " + packs);
    }
    return bad == 0 ? 0 : org.phm.config.ExitCode.PACK_VERIFICATION_FAILED.code();
  }
}
