package org.phm.jobs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.phm.config.ExitCode;
import org.phm.export.ExportException;
import org.phm.export.ExportRequest;
import org.phm.export.Format;
import org.phm.export.PackExporter;
import org.phm.pack.PackReader;
import org.phm.pack.Sensitivity;
import org.phm.query.ArrowExport;
import org.phm.spark.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code phm export}: data packs for ICP and PCN leads (Excel workbook and self-contained offline HTML
 * report per area), and the pack's shareable tables as Arrow files for analysts' tools.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Export ICP/PCN data packs (xlsx, offline html) or the shareable tables (arrow) from a pack.")
final class ExportCommand implements Callable<Integer> {
  @Mixin PackOptions packOptions;

  @Option(names = "--icp", split = ",", paramLabel = "NAME|CODE|all",
      description = "ICP (place) name or code, or all; repeatable or comma-separated")
  List<String> icps = new ArrayList<>();

  @Option(names = "--pcn", split = ",", paramLabel = "NAME|CODE|all",
      description = "Also export these PCNs (name or code; all = every PCN of the chosen ICPs)")
  List<String> pcns = new ArrayList<>();

  @Option(names = "--format", split = ",", defaultValue = "xlsx,html",
      description = "Comma-separated: xlsx, html, arrow (default ${DEFAULT-VALUE})")
  List<String> formats;

  @Option(names = "--out", required = true, description = "Output directory")
  Path out;

  @Option(names = "--suppression-threshold", defaultValue = "7",
      description = "Largest count that must never be visible (default ${DEFAULT-VALUE})")
  int threshold;

  @Option(names = "--master", description = "Spark master (default: local[*] or as set by spark-submit)")
  String master;

  @Override
  public Integer call() {
    Set<Format> report = EnumSet.noneOf(Format.class);
    boolean arrow = false;
    for (String f : formats) {
      if (f.strip().toLowerCase(Locale.ROOT).equals("arrow")) {
        arrow = true;
      } else {
        try {
          report.add(Format.parse(f));
        } catch (ExportException e) {
          throw new Phm.PhmExit(ExitCode.INVALID_CONFIGURATION, "unknown export format '" + f.strip()
              + "' (use xlsx, html or arrow)");
        }
      }
    }
    if (!report.isEmpty() && icps.isEmpty() && pcns.isEmpty()) {
      throw new Phm.PhmExit(ExitCode.INVALID_CONFIGURATION, "--icp NAME|CODE|all (or --pcn) is required for xlsx/html");
    }
    SparkSession spark = SparkSessions.getOrCreate("phm-export", master);
    List<Path> written = new ArrayList<>();
    long t0 = System.nanoTime();
    if (!report.isEmpty()) {
      ExportRequest req;
      try {
        req = new ExportRequest(icps, pcns, report, out, threshold);
        written.addAll(PackExporter.export(spark, packOptions.pack, req));
      } catch (ExportException e) {
        boolean usage = e instanceof ExportException.Usage;
        throw new Phm.PhmExit(usage ? ExitCode.INVALID_CONFIGURATION : ExitCode.INTERNAL_ERROR, e.getMessage(), e);
      }
    }
    if (arrow) {
      PackReader reader = PackReader.open(packOptions.pack);
      // places get shareable (suppressed) tables only: never restricted, never internal
      List<String> shareable = reader.tables(false).stream()
          .filter(t -> Sensitivity.SHAREABLE.name().equals(t.sensitivity())).map(t -> t.name()).toList();
      written.addAll(ArrowExport.write(spark, reader, shareable, out.resolve("arrow"), false));
    }
    written.forEach(p -> System.out.println("wrote " + p));
    System.out.printf("%d files in %.1f s%n", written.size(), (System.nanoTime() - t0) / 1e9);
    return ExitCode.SUCCESS.code();
  }
}
