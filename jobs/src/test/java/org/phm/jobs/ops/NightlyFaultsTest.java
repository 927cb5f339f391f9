package org.phm.jobs.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.phm.pack.Manifest;
import org.phm.pack.PackVerifier;
import org.phm.pack.PackWriter;
import org.phm.pack.RunHistory;
import org.phm.pack.RunLock;
import org.phm.spark.SharedSpark;

/**
 * Issue 8: the nightly job under faults, each run a separate JVM as cron would start it. One pack
 * root goes through: published run A → run K killed with SIGKILL after ingest (while K holds the lock
 * a second run is refused with exit 5) → run B takes the stale lock over and publishes; A and B (same
 * inputs, same run date) must hold identical rows. A copy of B is then corrupted for status/verify.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NightlyFaultsTest {
  static Path input;
  static Path root;
  static Path packA;
  static Ops.Proc killed;

  static String[] nightly() {
    return new String[] {"nightly", "--input", input.toString(), "--out", root.toString(), "--run-date",
        Ops.RUN_DATE.toString(), "--demo", "--log-format", "json"};
  }

  @BeforeAll
  static void publishRunA() throws Exception {
    input = Ops.input();
    root = Ops.scratch().resolve("faults-packs");
    Ops.Result a = Ops.phm(Map.of(), nightly());
    assertEquals(0, a.code(), a.toString());
    packA = Ops.scratch().resolve("faults-run-a");
    Ops.copyTree(root.resolve("latest").toRealPath(), packA);
    Ops.keepAsReference(root.resolve("latest"));
  }

  @AfterAll
  static void cleanUp() {
    if (killed != null && killed.process().isAlive()) {
      killed.stop();
    }
  }

  @Test
  @Order(1)
  void killedRunLeavesPackUntouchedAndItsStaleLockIsReportedAndTakenOver() throws Exception {
    Path latestBefore = Files.readSymbolicLink(root.resolve("latest"));
    Path dateBefore = Files.readSymbolicLink(root.resolve(Ops.RUN_DATE.toString()));
    String manifestBefore = Files.readString(root.resolve("latest").resolve(PackWriter.MANIFEST));

    killed = Ops.startPhm(Map.of(), nightly());
    killed.awaitOutput("\"event\":\"run_start\"", Duration.ofMinutes(5));
    RunLock.Holder holder = RunLock.holder(root).orElseThrow();
    assertEquals(killed.pid(), holder.pid());
    assertFalse(holder.stale());

    // (d) a second run while K holds the lock: exit 5, naming the holder; K is not disturbed
    Ops.Result second = Ops.phm(Map.of(), nightly());
    assertEquals(5, second.code(), second.toString());
    assertTrue(second.stderr().contains("another run holds the lock") && second.stderr().contains(
        "pid " + killed.pid()) && second.stderr().contains("run " + holder.runId()), second.toString());
    assertTrue(killed.process().isAlive(), "the lock holder must keep running");

    // (a) SIGKILL mid-run, once ingest has finished (the staged pack already has data in it)
    killed.awaitOutput("\"stage\":\"ingest\"", Ops.RUN_TIMEOUT);
    killed.process().destroyForcibly();
    assertTrue(killed.process().waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
    Path halfWritten = root.resolve(PackWriter.PACKS).resolve(Ops.RUN_DATE + "_" + holder.runId());
    assertTrue(Files.isDirectory(halfWritten), "killed run's staging directory");

    assertEquals(latestBefore, Files.readSymbolicLink(root.resolve("latest")));
    assertEquals(dateBefore, Files.readSymbolicLink(root.resolve(Ops.RUN_DATE.toString())));
    assertEquals(manifestBefore, Files.readString(root.resolve("latest").resolve(PackWriter.MANIFEST)));
    assertTrue(PackVerifier.verify(root.resolve("latest"), SharedSpark.get()).ok());
    assertTrue(RunLock.holder(root).orElseThrow().stale(), "the killed run's lock is stale");

    Ops.Result status = Ops.phm(Map.of(), "status", "--packs", root.toString());
    assertEquals(0, status.code(), status.toString());
    assertTrue(status.stdout().contains("killed run " + holder.runId()), status.toString());
    assertTrue(status.stdout().contains("verified OK"), status.toString());

    // the next run reports the stale lock, takes it over and publishes
    Ops.Result b = Ops.phm(Map.of(), nightly());
    assertEquals(0, b.code(), b.toString());
    assertTrue(b.stdout().contains("\"event\":\"stale_lock\"") && b.stdout().contains(holder.runId()), b.stdout());
    assertFalse(Files.exists(root.resolve(RunLock.FILE)), "lock released");
    assertNotEquals(latestBefore, Files.readSymbolicLink(root.resolve("latest")));
    assertFalse(Files.exists(halfWritten), "the killed run's half-written pack is removed by the next success");
    List<RunHistory.Run> runs = RunHistory.recent(root, 10);
    assertEquals(List.of("SUCCESS", "SUCCESS"), runs.stream().map(RunHistory.Run::outcome).toList(),
        "A and B recorded; the lock-refused run and the killed run never reach the history");

    Ops.Result after = Ops.phm(Map.of(), "status", "--packs", root.toString());
    assertEquals(0, after.code(), after.toString());
    assertFalse(after.stdout().contains("lock:"), after.toString());
  }

  @Test
  @Order(2)
  void sameInputsAndRunDateGiveTheSamePack() throws Exception {
    Path packB = root.resolve("latest");
    Ops.assertSameRows(SharedSpark.get(), packA, packB, -1);
    Manifest a = PackVerifier.readManifest(packA);
    Manifest b = PackVerifier.readManifest(packB);
    assertNotEquals(a.runId(), b.runId());
    assertEquals(Ops.comparableManifest(a, true), Ops.comparableManifest(b, true));
    // Parquet: same files and sizes, byte-identical data pages; only footers may differ (see docs/operations.md)
    assertTrue(PackVerifier.verify(packA, null).ok() && PackVerifier.verify(packB, null).ok());
    int footerOnly = Ops.assertDataPagesIdentical(packA, packB);
    System.out.println("[ops] rerun: " + footerOnly + " Parquet files differ from run A in their footer only");
  }

  @Test
  @Order(3)
  void corruptedPublishedFileIsReportedByStatusAndVerifyWithExit6() throws Exception {
    Path corruptRoot = Ops.scratch().resolve("corrupt-packs");
    Path real = root.resolve("latest").toRealPath();
    Path copy = corruptRoot.resolve(PackWriter.PACKS).resolve(real.getFileName());
    Ops.copyTree(real, copy);
    Files.createSymbolicLink(corruptRoot.resolve("latest"), corruptRoot.relativize(copy));
    Ops.Result clean = Ops.phm(Map.of(), "verify", corruptRoot.resolve("latest").toString());
    assertEquals(0, clean.code(), clean.toString());

    Path victim;
    try (Stream<Path> s = Files.walk(copy.resolve("aggregate").resolve("indicator_values"))) {
      victim = s.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
    try (RandomAccessFile f = new RandomAccessFile(victim.toFile(), "rw")) {
      long at = f.length() / 2;
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0xFF);
    }
    String name = copy.relativize(victim).toString();

    Ops.Result status = Ops.phm(Map.of(), "status", "--packs", corruptRoot.toString());
    assertEquals(6, status.code(), status.toString());
    assertTrue(status.stdout().contains("FAILED verification") && status.stdout().contains(name)
        && status.stdout().contains("checksum mismatch"), status.toString());
    Ops.Result verify = Ops.phm(Map.of(), "verify", corruptRoot.resolve("latest").toString());
    assertEquals(6, verify.code(), verify.toString());
    assertTrue(verify.stderr().contains(name) && verify.stderr().contains("checksum mismatch"), verify.toString());
  }
}
