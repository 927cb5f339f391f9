package org.phm.jobs.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phm.pack.RunHistory;
import org.phm.pack.RunLock;

/** Issue 8: documented exit codes of {@code phm nightly}, each from a real JVM process. */
class ExitCodesTest {
  static Path input;

  @BeforeAll
  static void sample() throws Exception {
    input = Ops.input();
  }

  @Test
  void invalidConfigurationExits2NamingFileAndKey() throws Exception {
    Path cfg = Ops.scratch().resolve("bad.yaml");
    Files.writeString(cfg, "input_dir: " + input + "\npacks_dir: " + Ops.scratch().resolve("x")
        + "\nretension: 3\n");
    Ops.Result r = Ops.phm(Map.of(), "nightly", "-c", cfg.toString(), "--demo");
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.stderr().contains(cfg.toString()) && r.stderr().contains("'retension'"), r.toString());

    Files.writeString(cfg, "input_dir: " + input + "\npacks_dir: " + Ops.scratch().resolve("x")
        + "\nretention: 0\nmax_quarantined_fraction: 2\n");
    Ops.Result check = Ops.phm(Map.of(), "config", "check", "-c", cfg.toString(), "--demo");
    assertEquals(2, check.code(), check.toString());
    assertTrue(check.stderr().contains("retention must be at least 1")
        && check.stderr().contains("max_quarantined_fraction must be between 0 and 1"), check.toString());
    assertFalse(Files.exists(Ops.scratch().resolve("x")), "nothing created by an invalid configuration");
  }

  @Test
  void fluSeasonsThatDisagreeExit2BeforeAnyWork() throws Exception {
    String shipped;
    try (var in = ExitCodesTest.class.getClassLoader().getResourceAsStream("indicators/catalogue.yaml")) {
      shipped = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    String october = shipped.replace("flu_season: {start: '09-01', end: '02-29'}", "flu_season: {start: '10-01', end: '03-31'}");
    assertFalse(october.equals(shipped), "the shipped catalogue names its flu season");
    Path catalogue = Ops.scratch().resolve("october-catalogue.yaml");
    Files.writeString(catalogue, october);
    Path root = Ops.scratch().resolve("season-packs");
    Path cfg = Ops.scratch().resolve("season.yaml");
    Files.writeString(cfg, "input_dir: " + input + "\npacks_dir: " + root + "\nindicator_catalogue: " + catalogue + "\n");

    Ops.Result check = Ops.phm(Map.of(), "config", "check", "-c", cfg.toString(), "--demo");
    assertEquals(2, check.code(), check.toString());
    assertTrue(check.stderr().contains(catalogue + " flu_season.start is '10-01'")
        && check.stderr().contains("risk/risk.yaml features.flu_vaccination.season_start is '09-01'"), check.toString());

    Ops.Result r = Ops.phm(Map.of(), "nightly", "-c", cfg.toString(), "--run-date", Ops.RUN_DATE.toString(), "--demo",
        "--log-format", "json");
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.stderr().contains("flu_season.start is '10-01'"), r.toString());
    assertFalse(r.stdout().contains("\"stage\":\"ingest\""), "stopped before ingest: " + r.stdout());
    assertFalse(Files.exists(root.resolve("latest")), "nothing published");

    Files.writeString(catalogue, shipped);
    Ops.Result ok = Ops.phm(Map.of(), "config", "check", "-c", cfg.toString(), "--demo");
    assertEquals(0, ok.code(), ok.toString());
    assertTrue(ok.stdout().contains("indicator_catalogue: " + catalogue), ok.toString());
  }

  @Test
  void missingInputFileExits3NamingTheFile() throws Exception {
    Path partial = Ops.scratch().resolve("input-without-practices");
    Files.createDirectories(partial);
    try (Stream<Path> s = Files.list(input)) {
      for (Path f : s.filter(p -> p.toString().endsWith(".csv")).toList()) {
        if (!f.getFileName().toString().equals("practices.csv")) {
          Files.createSymbolicLink(partial.resolve(f.getFileName()), f);
        }
      }
    }
    Path root = Ops.scratch().resolve("missing-packs");
    Ops.Result r = Ops.phm(Map.of(), "nightly", "--input", partial.toString(), "--out", root.toString(),
        "--run-date", Ops.RUN_DATE.toString(), "--demo", "--log-format", "json");
    assertEquals(3, r.code(), r.toString());
    assertTrue(r.stderr().contains("practices.csv"), r.toString());
    assertNothingPublished(root, 3);
  }

  @Test
  void dataQualityGateExits4AndPublishesNothing() throws Exception {
    Path root = Ops.scratch().resolve("gate-packs");
    Ops.Result r = Ops.phm(Map.of("PHM_MAX_QUARANTINED_FRACTION", "0.0001"), "nightly", "--input",
        input.toString(), "--out", root.toString(), "--run-date", Ops.RUN_DATE.toString(), "--demo",
        "--log-format", "json");
    assertEquals(4, r.code(), r.toString());
    assertTrue(r.stdout().contains("\"event\":\"data_quality_gate_failed\"")
        && r.stdout().contains("gp_events.csv"), r.toString());
    assertTrue(r.stderr().contains("above the 0.01% gate"), r.toString());
    assertNothingPublished(root, 4);
  }

  private static void assertNothingPublished(Path root, int exit) throws Exception {
    assertFalse(Files.exists(root.resolve("latest")), "no latest link");
    assertFalse(Files.exists(root.resolve(Ops.RUN_DATE.toString())), "no run-date link");
    assertFalse(Files.exists(root.resolve(RunLock.FILE)), "lock released");
    List<RunHistory.Run> runs = RunHistory.recent(root, 5);
    assertEquals(1, runs.size());
    assertEquals("FAILED", runs.get(0).outcome());
    assertEquals(exit, runs.get(0).exitCode());
  }
}
