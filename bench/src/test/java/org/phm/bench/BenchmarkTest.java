package org.phm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Option parsing and SQL script handling of the benchmark harness (no Spark). */
class BenchmarkTest {

  @Test
  void patientSizes() {
    assertEquals(100_000, Benchmark.patients("100k"));
    assertEquals(1_092_110, Benchmark.patients("1.09M"));
    assertEquals(5_000_000, Benchmark.patients("5M"));
    assertEquals(2_500, Benchmark.patients("2500"));
    assertThrows(IllegalArgumentException.class, () -> Benchmark.patients("5"));
    assertThrows(NumberFormatException.class, () -> Benchmark.patients("lots"));
  }

  @Test
  void subsetScriptSplitsIntoStatementsWithParametersReplaced() throws Exception {
    List<String> s = Benchmark.statements(Map.of("RUN_DATE", "2026-11-25", "YEAR_AGO", "2025-11-25",
        "SEASON_START", "2026-09-01"));
    assertEquals(5, s.size(), "2 views + 3 indicator queries");
    assertTrue(s.get(0).startsWith("CREATE OR REPLACE TEMP VIEW pop"));
    assertEquals(3, s.stream().filter(x -> x.startsWith("SELECT")).count());
    assertTrue(s.stream().noneMatch(x -> x.contains("${")), "every parameter replaced");
    assertTrue(s.get(3).contains("DATE '2026-09-01'"));
  }

  @Test
  void callSiteIsTheFirstTwoEngineFramesOutsideTheHarnessAndJobs() {
    String details = String.join("\n",
        "org.apache.spark.sql.Dataset.collectAsList(Dataset.scala:3512)",
        "org.phm.indicators.IndicatorStage.countAdditive(IndicatorStage.java:265)",
        "org.phm.indicators.IndicatorStage.countSource(IndicatorStage.java:202)",
        "org.phm.indicators.IndicatorStage.run(IndicatorStage.java:79)",
        "org.phm.jobs.NightlyJob.run(NightlyJob.java:120)",
        "org.phm.bench.Benchmark.main(Benchmark.java:150)");
    assertEquals("indicators.IndicatorStage.countAdditive(265) < indicators.IndicatorStage.countSource(202)",
        Benchmark.TaskListener.callSite(details, "collectAsList at IndicatorStage.java:265"));
    assertEquals("parquet at X.java:1", Benchmark.TaskListener.callSite(
        "org.phm.jobs.NightlyJob.run(NightlyJob.java:120)\norg.phm.bench.Benchmark.main(Benchmark.java:150)",
        "parquet at X.java:1"), "no engine frame: the stage name");
    assertEquals("?", Benchmark.TaskListener.callSite(null, "?"));
  }

  @Test
  void occupancyCountsTimeByHowManyTasksRan() {
    // two cores, 0-10 s: task A 1-5 s, task B 2-3 s, task C 4-8 s, task D 9-12 s (cut at 10 s), task E before 0
    List<long[]> tasks = List.of(new long[] {1000, 5000}, new long[] {2000, 3000}, new long[] {4000, 8000},
        new long[] {9000, 12000}, new long[] {-5000, -1000});
    double[] o = Benchmark.TaskListener.occupancy(tasks, 0, 10000, 2);
    // none: 0-1, 8-9 = 2 s; some (one task): 1-2, 3-4, 5-8, 9-10 = 6 s; all (two): 2-3, 4-5 = 2 s
    assertEquals(2.0, o[0], 1e-9);
    assertEquals(6.0, o[1], 1e-9);
    assertEquals(2.0, o[2], 1e-9);
    double[] one = Benchmark.TaskListener.occupancy(tasks, 0, 10000, 1);
    assertEquals(2.0, one[0], 1e-9);
    assertEquals(0.0, one[1], 1e-9);
    assertEquals(8.0, one[2], 1e-9);
    assertEquals(10.0, Benchmark.TaskListener.occupancy(List.of(), 0, 10000, 2)[0], 1e-9);
  }

  @Test
  void heapPeakSeesMemoryHeldAtOneMomentAndStaysWithinTheMaximumHeap() throws InterruptedException {
    Benchmark.HeapPeak heap = Benchmark.HeapPeak.start();
    byte[][] garbage = new byte[64][];
    for (int i = 0; i < garbage.length; i++) {
      garbage[i] = new byte[1 << 20];
    }
    assertEquals(1 << 20, garbage[63].length);
    garbage = null; // unreachable before the collection: only the heap seen just before it holds the 64 MiB
    System.gc();
    long deadline = System.nanoTime() + 10_000_000_000L; // GC notifications arrive on another thread
    while (heap.peak() < 64L << 20 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    long peak = heap.stop();
    assertTrue(peak >= 64L << 20, "64 MiB in use just before the collection: peak " + peak);
    assertTrue(peak <= Runtime.getRuntime().maxMemory(), "a moment's heap cannot exceed -Xmx: " + peak);
    var usage = new java.lang.management.MemoryUsage(0, 5, 5, 9);
    assertEquals(5, Benchmark.HeapPeak.heapBytes(Map.of("G1 Old Gen", usage, "Metaspace", usage),
        java.util.Set.of("G1 Old Gen")), "non-heap pools are not heap");
  }

  @Test
  void alternationParsesTheSettingAndItsValues() {
    Alternation a = Alternation.parse("spark.sql.x=true,false");
    assertEquals("spark.sql.x", a.setting());
    assertEquals(java.util.List.of("true", "false"), a.values());
    Alternation none = Alternation.parse(null);
    assertEquals(null, none.setting());
    assertEquals(1, none.values().size());
    assertEquals("", none.apply(null, null), "no setting: nothing is set, no label");
    assertThrows(IllegalArgumentException.class, () -> Alternation.parse("spark.sql.x"));
  }
}
