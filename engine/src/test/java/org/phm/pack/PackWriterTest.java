package org.phm.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phm.spark.SharedSpark;
import org.phm.testing.LinkedModelSchemas;

class PackWriterTest {
  private final SparkSession spark = SharedSpark.get();
  private final DataDictionary dictionary = DataDictionary.load();

  private Dataset<Row> hierarchy(int practices) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < practices; i++) {
      rows.add(RowFactory.create("Z0000" + i, "Practice " + i, "U00001", "PCN 1", "C1", "CCG", "ICP01", "ICP",
          "QT1", "ICS", 1000L + i));
    }
    return spark.createDataFrame(rows, LinkedModelSchemas.ORG_HIERARCHY);
  }

  private Manifest manifest(String runId, LocalDate date, List<Manifest.TableEntry> tables) {
    return new Manifest(Manifest.SCHEMA_VERSION, runId, date.toString(), "now", "test", spark.version(), "local",
        List.of(), tables, List.of(), Map.of());
  }

  private Path publish(PackWriter writer, String runId, LocalDate date, int practices, int retain) {
    PackWriter.Staged staged = writer.stage(runId, date);
    staged.write(new PackTable("org_hierarchy", hierarchy(practices), Sensitivity.SHAREABLE));
    return staged.publish(manifest(runId, date, staged.tables()), retain);
  }

  @Test
  void publishesAtomicallyAndMovesLatest(@TempDir Path root) throws Exception {
    PackWriter writer = new PackWriter(root, dictionary, 7);
    Path first = publish(writer, "r1", LocalDate.of(2026, 1, 1), 3, 5);
    assertTrue(Files.isSymbolicLink(first));
    assertEquals(3, spark.read().parquet(first.resolve("aggregate/org_hierarchy").toString()).count());
    assertEquals(first.toRealPath(), root.resolve("latest").toRealPath());

    Path second = publish(writer, "r2", LocalDate.of(2026, 1, 2), 4, 5);
    assertEquals(second.toRealPath(), root.resolve("latest").toRealPath());
    // rerun of the first date replaces that date's pack but does not move latest backwards
    Path rerun = publish(writer, "r3", LocalDate.of(2026, 1, 1), 5, 5);
    assertEquals(5, spark.read().parquet(rerun.resolve("aggregate/org_hierarchy").toString()).count());
    assertEquals(second.toRealPath(), root.resolve("latest").toRealPath());
    // the replaced pack directory of r1 is gone (unreferenced), r2 and r3 remain
    try (var s = Files.list(root.resolve(PackWriter.PACKS))) {
      assertEquals(List.of("2026-01-01_r3", "2026-01-02_r2"),
          s.map(p -> p.getFileName().toString()).sorted().toList());
    }
    Manifest m = PackVerifier.readManifest(rerun.toRealPath());
    assertEquals(5, m.tables().get(0).rows());
    assertTrue(PackVerifier.verify(rerun.toRealPath(), spark).ok());
  }

  @Test
  void retentionKeepsNewestDates(@TempDir Path root) throws Exception {
    PackWriter writer = new PackWriter(root, dictionary, 7);
    for (int d = 1; d <= 4; d++) {
      publish(writer, "r" + d, LocalDate.of(2026, 1, d), 2, 2);
    }
    try (var s = Files.list(root)) {
      List<String> links = s.filter(Files::isSymbolicLink).map(p -> p.getFileName().toString()).sorted().toList();
      assertEquals(List.of("2026-01-03", "2026-01-04", "latest"), links);
    }
    try (var s = Files.list(root.resolve(PackWriter.PACKS))) {
      assertEquals(2, s.count());
    }
  }

  @Test
  void verificationDetectsCorruptionAndMissingFiles(@TempDir Path root) throws Exception {
    PackWriter writer = new PackWriter(root, dictionary, 7);
    Path pack = publish(writer, "r1", LocalDate.of(2026, 1, 1), 3, 5).toRealPath();
    Manifest m = PackVerifier.readManifest(pack);
    Path file = pack.resolve(m.tables().get(0).files().get(0).path());
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x5A;
    Files.write(file, bytes);
    PackVerifier.Result r = PackVerifier.verify(pack, null);
    assertFalse(r.ok());
    assertTrue(r.problems().get(0).contains("checksum mismatch"), r.problems().toString());
    Files.delete(file);
    assertTrue(PackVerifier.verify(pack, null).problems().get(0).contains("missing"));
  }

  @Test
  void rejectsTablesThatDisagreeWithTheDictionary(@TempDir Path root) {
    PackWriter writer = new PackWriter(root, dictionary, 7);
    PackWriter.Staged staged = writer.stage("r1", LocalDate.of(2026, 1, 1));
    PackException e = assertThrows(PackException.class, () -> staged.write(
        new PackTable("org_hierarchy", hierarchy(1).drop("ics_name"), Sensitivity.SHAREABLE)));
    assertTrue(e.getMessage().contains("missing [ics_name]"), e.getMessage());
    PackException e2 = assertThrows(PackException.class, () -> staged.write(
        new PackTable("no_such_table", hierarchy(1), Sensitivity.SHAREABLE)));
    assertTrue(e2.getMessage().contains("not described"), e2.getMessage());
    PackException e3 = assertThrows(PackException.class, () -> staged.write(
        new PackTable("org_hierarchy", hierarchy(1), Sensitivity.RESTRICTED)));
    assertTrue(e3.getMessage().contains("data dictionary says SHAREABLE"), e3.getMessage());
  }

  @Test
  void failedRunLeavesPublishedPackUntouched(@TempDir Path root) throws Exception {
    PackWriter writer = new PackWriter(root, dictionary, 7);
    Path good = publish(writer, "r1", LocalDate.of(2026, 1, 1), 3, 5).toRealPath();
    PackWriter.Staged staged = writer.stage("r2", LocalDate.of(2026, 1, 1));
    staged.write(new PackTable("org_hierarchy", hierarchy(9), Sensitivity.SHAREABLE));
    // the run dies before publish: nothing readers see has changed
    assertEquals(good, root.resolve("2026-01-01").toRealPath());
    assertEquals(good, root.resolve("latest").toRealPath());
    // the next successful run cleans up the abandoned staging directory
    publish(writer, "r3", LocalDate.of(2026, 1, 2), 2, 5);
    assertFalse(Files.exists(staged.dir()));
  }

  @Test
  void restrictedAreaIsOwnerOnly(@TempDir Path root) throws Exception {
    PackWriter writer = new PackWriter(root, dictionary, 7);
    PackWriter.Staged staged = writer.stage("r1", LocalDate.of(2026, 1, 1));
    staged.write(new PackTable("org_hierarchy", hierarchy(2), Sensitivity.SHAREABLE));
    Path restricted = staged.dir().resolve("restricted");
    Files.createDirectories(restricted);
    Path pack = staged.publish(manifest("r1", LocalDate.of(2026, 1, 1), staged.tables()), 5).toRealPath();
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pack.resolve("restricted"))));
  }

  @Test
  void lockPreventsConcurrentRunsAndReportsStaleLocks(@TempDir Path root) throws Exception {
    try (RunLock lock = RunLock.acquire(root, "run-a")) {
      PackException e = assertThrows(PackException.class, () -> RunLock.acquire(root, "run-b"));
      assertTrue(e.getMessage().contains("another run holds the lock"), e.getMessage());
      assertTrue(lock.staleReport().isEmpty());
    }
    // a lock left by a process that no longer exists (pid beyond any live process) is stale
    String host = java.net.InetAddress.getLocalHost().getHostName();
    Files.writeString(root.resolve(RunLock.FILE), "999999999 " + host + " 2026-01-01T00:00:00Z dead-run");
    try (RunLock lock = RunLock.acquire(root, "run-c")) {
      assertTrue(lock.staleReport().orElseThrow().contains("dead-run"));
    }
    assertFalse(Files.exists(root.resolve(RunLock.FILE)));
  }
}
