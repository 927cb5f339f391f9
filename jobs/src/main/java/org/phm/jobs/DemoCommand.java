package org.phm.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.phm.config.PhmConfig;
import org.phm.pack.Manifest;
import org.phm.pack.PackReader;
import org.phm.sample.Generator;
import org.phm.sample.GeneratorOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code phm demo}: generate a sample ICS (cached), run the nightly job on it, summarise the pack. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Generate a synthetic ICS, run the nightly job in Spark local mode and print where the pack is.")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--patients", defaultValue = "20000", description = "Sample size (default ${DEFAULT-VALUE}; 1092110 = the reference ICS)")
  int patients;

  @Option(names = "--seed", defaultValue = "42", description = "Generator seed (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--dir", defaultValue = ".phm/demo", description = "Working directory (default ${DEFAULT-VALUE})")
  Path dir;

  @Option(names = "--run-date", description = "Run date (default today)")
  LocalDate runDate;

  @Override
  public Integer call() throws Exception {
    LocalDate date = runDate == null ? LocalDate.now() : runDate;
    Path input = dir.resolve("input-" + patients + "-" + seed + "-" + date);
    if (!Files.exists(input.resolve("_meta/generation_report.json"))) {
      System.out.printf("generating a synthetic ICS of %,d patients into %s ...%n", patients, input);
      long t0 = System.nanoTime();
      Generator.generate(new GeneratorOptions(patients, seed, input, date, 0.001));
      System.out.printf("generated in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    } else {
      System.out.println("using cached sample ICS " + input);
    }
    Path packs = dir.resolve("packs");
    PhmConfig cfg = PhmConfig.defaults().overlay(new PhmConfig(input.toString(), packs.toString(), date.toString(),
        null, null, 3, null, null, true, null, null, null, null, null, null, null, "text"));
    long t0 = System.nanoTime();
    NightlyJob.Result r = NightlyJob.run(cfg, new RunLog(System.out, "text", "demo"));
    double secs = (System.nanoTime() - t0) / 1e9;
    summarise(r, secs);
    return 0;
  }

  private static void summarise(NightlyJob.Result r, double seconds) {
    System.out.println();
    System.out.printf("Nightly job finished in %.1f s. Pack: %s%n", seconds, r.pack().toAbsolutePath());
    System.out.printf("%-28s %-12s %12s%n", "table", "sensitivity", "rows");
    for (Manifest.TableEntry t : r.manifest().tables()) {
      System.out.printf("%-28s %-12s %,12d%n", t.name(), t.sensitivity(), t.rows());
    }
    SparkSession spark = SparkSession.active();
    PackReader pack = PackReader.open(r.pack());
    if (pack.tables(false).stream().anyMatch(t -> t.name().equals("indicator_values"))) {
      pack.registerViews(spark, false);
      List<Row> rows = spark.sql("""
          SELECT v.indicator_id, d.name, v.period_label, v.value, v.lower95, v.upper95, v.target, v.rag
          FROM indicator_values v JOIN indicator_definitions d ON v.indicator_id = d.indicator_id
          WHERE v.level = 'ICS' AND v.breakdown = 'ALL'
            AND v.period_end = (SELECT max(period_end) FROM indicator_values x WHERE x.indicator_id = v.indicator_id)
          ORDER BY d.domain, v.indicator_id LIMIT 60""").collectAsList();
      System.out.println();
      System.out.println("ICS headline indicators (latest period):");
      System.out.printf("%-48s %-10s %10s %21s %8s %-6s%n", "indicator", "period", "value", "95% CI", "target", "RAG");
      for (Row x : rows) {
        System.out.printf("%-48s %-10s %10s %21s %8s %-6s%n", trim(x.getString(1), 48), x.getString(2),
            num(x.get(3)), "(" + num(x.get(4)) + ", " + num(x.get(5)) + ")", num(x.get(6)), x.get(7));
      }
    }
    System.out.println();
    System.out.println("Query it:  ./phm query --pack " + r.pack() + " \"SELECT * FROM indicator_summary\"");
  }

  private static String trim(String s, int n) {
    return s == null ? "" : s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }

  private static String num(Object o) {
    if (o == null) {
      return "";
    }
    double d = ((Number) o).doubleValue();
    return Math.abs(d) >= 1000 ? String.format("%,.0f", d) : String.format("%.1f", d);
  }
}
