package org.phm.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.phm.config.ConfigException;
import org.phm.config.ExitCode;
import org.phm.config.PhmConfig;
import org.phm.ig.PseudonymisationKey;
import org.phm.ig.Pseudonymiser;
import org.phm.indicators.IndicatorCatalogue;
import org.phm.indicators.IndicatorStage;
import org.phm.ingest.Ingest;
import org.phm.ingest.IngestResult;
import org.phm.ingest.InputFileInfo;
import org.phm.linkage.Linkage;
import org.phm.linkage.LinkedModel;
import org.phm.pack.DataDictionary;
import org.phm.pack.Manifest;
import org.phm.pack.PackException;
import org.phm.pack.PackTable;
import org.phm.pack.PackWriter;
import org.phm.pack.RunHistory;
import org.phm.pack.RunLock;
import org.phm.pack.Sensitivity;
import org.phm.population.RegisteredPopulation;
import org.phm.risk.EmergencyAdmissionModel;
import org.phm.risk.ModelStore;
import org.phm.risk.RiskConfig;
import org.phm.risk.RiskResult;
import org.phm.risk.RiskStage;
import org.phm.spark.SparkSessions;

/**
 * The nightly job: ingest → link → population → risk → indicators → pack, under the pack root's
 * run lock, published atomically. Each stage is timed and logged; the run is appended to the run
 * history whatever its outcome.
 */
public final class NightlyJob {
  private NightlyJob() {}

  /** What a finished run produced. */
  public record Result(String runId, Path pack, Manifest manifest) {}

  public static Result run(PhmConfig config, RunLog runLog) {
    PhmConfig cfg = config.validated();
    LocalDate runDate = cfg.effectiveRunDate();
    String runId = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC).format(Instant.now())
        + "-" + Long.toHexString(ProcessHandle.current().pid());
    RunLog log = runLog.forRun(runId);
    Path root = Path.of(cfg.packsDir()).toAbsolutePath();
    Instant started = Instant.now();
    long t0 = System.nanoTime();
    RunLock lock;
    try {
      lock = RunLock.acquire(root, runId);
    } catch (PackException e) {
      throw new Phm.PhmExit(ExitCode.LOCKED, e.getMessage(), e);
    }
    long[] rowsIn = {0};
    long[] quarantined = {0};
    try (lock) {
      lock.staleReport().ifPresent(s -> log.event("stale_lock", Map.of("message", s)));
      log.event("run_start", Map.of("run_date", runDate.toString(), "input_dir", cfg.inputDir(),
          "packs_dir", root.toString()));
      Result result = execute(cfg, runDate, runId, root, log, rowsIn, quarantined);
      RunHistory.append(root, new RunHistory.Run(runId, runDate.toString(), started.toString(),
          Instant.now().toString(), "SUCCESS", 0, (System.nanoTime() - t0) / 1e9, result.pack().toString(),
          rowsIn[0], quarantined[0], null));
      log.event("run_done", Map.of("pack", result.pack().toString(), "seconds",
          Math.round((System.nanoTime() - t0) / 1e7) / 100.0));
      return result;
    } catch (RuntimeException e) {
      ExitCode code = Phm.classify(e);
      RunHistory.append(root, new RunHistory.Run(runId, runDate.toString(), started.toString(),
          Instant.now().toString(), "FAILED", code.code(), (System.nanoTime() - t0) / 1e9, null,
          rowsIn[0], quarantined[0], String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
      log.event("run_failed", Map.of("exit_code", code.code(), "reason", code.name()));
      throw e;
    }
  }

  /** Bytes of the regular files directly in the input directory (0 when it cannot be listed: ingest reports that). */
  static long inputBytes(Path inputDir) {
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(inputDir)) {
      return files.filter(java.nio.file.Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    } catch (java.io.IOException | RuntimeException e) {
      return 0;
    }
  }

  private static Result execute(PhmConfig cfg, LocalDate runDate, String runId, Path root, RunLog log,
      long[] rowsIn, long[] quarantined) {
    List<Manifest.StageTiming> timings = new ArrayList<>();
    SparkSession spark = timed("spark_start", timings, log, () -> spark(cfg, "phm-nightly"));
    PseudonymisationKey key = key(cfg, log);
    RiskConfig riskConfig = riskConfig(cfg);
    IndicatorCatalogue catalogue = catalogue(cfg, riskConfig);
    // an approved model is checked before any work, so a mismatch with the risk configuration fails at once
    ModelStore.Approved approved = cfg.riskModel() == null ? null
        : timed("risk_model", timings, log, () -> ModelStore.load(Path.of(cfg.riskModel()), riskConfig));
    Map<String, Object> modelReport = new LinkedHashMap<>();
    if (approved == null) {
      modelReport.put("source", "trained_in_run");
    } else {
      modelReport.put("source", "approved");
      modelReport.put("model_id", approved.id());
      modelReport.put("label_end", approved.model().labelEnd().toString());
      modelReport.put("age_days", java.time.temporal.ChronoUnit.DAYS.between(approved.model().labelEnd(), runDate));
      log.event("risk_model", modelReport);
    }
    PackWriter writer = new PackWriter(root, DataDictionary.load(), cfg.suppressionThreshold());
    PackWriter.Staged staged = writer.stage(runId, runDate);
    Path work = staged.dir().resolve("_work");

    IngestResult ingest = timed("ingest", timings, log, () ->
        Ingest.run(spark, Path.of(cfg.inputDir()), work, runDate, new Pseudonymiser(key)), NightlyJob::ingestRows);
    for (InputFileInfo f : ingest.inputs()) {
      rowsIn[0] += f.rowsIn();
      quarantined[0] += f.rowsQuarantined();
      log.event("input", Map.of("file", f.file(), "rows_in", f.rowsIn(), "accepted", f.rowsAccepted(),
          "quarantined", f.rowsQuarantined()));
    }
    DataQualityGates.check(cfg, runDate, ingest, log);

    LinkedModel model = timed("linkage", timings, log, () -> Linkage.link(ingest, runDate));
    List<PackTable> tables = new ArrayList<>(ingest.dataQuality());
    tables.addAll(timed("population", timings, log, () -> RegisteredPopulation.tables(model)));
    RiskResult risk = timed("risk", timings, log, () -> RiskStage.run(spark, model, runDate, riskConfig,
        approved == null ? null : approved.model()));
    tables.addAll(risk.tables());
    tables.addAll(timed("indicators", timings, log, () ->
        IndicatorStage.run(spark, model, runDate, catalogue)));
    tables.add(new PackTable("data_dictionary", dictionaryTable(spark), Sensitivity.INTERNAL));

    timed("pack_write", timings, log, () -> {
      for (PackWriter.Staged.Written w : staged.writeAll(tables)) {
        log.event("table_written", Map.of("table", w.table().name(), "rows", w.entry().rows(), "seconds",
            Math.round(w.seconds() * 100) / 100.0));
      }
      return null;
    });
    try {
      PackWriter.deleteTree(work);
    } catch (java.io.IOException e) {
      throw new PackException("cannot remove work directory " + work + ": " + e.getMessage(), e);
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("rows_in", rowsIn[0]);
    report.put("rows_quarantined", quarantined[0]);
    report.put("demo_key", key.isDemo());
    report.put("risk_model", modelReport);
    report.put("spark_default_parallelism", spark.sparkContext().defaultParallelism());
    report.put("shuffle_partitions", Integer.valueOf(spark.conf().get("spark.sql.shuffle.partitions")));
    List<Manifest.InputFile> inputs = ingest.inputs().stream().map(f -> new Manifest.InputFile(f.contract(),
        f.file(), f.sha256(), f.bytes(), f.rowsIn(), f.rowsAccepted(), f.rowsQuarantined())).toList();
    Manifest manifest = new Manifest(Manifest.SCHEMA_VERSION, runId, runDate.toString(), Instant.now().toString(),
        Phm.class.getPackage().getImplementationVersion() == null ? "0.1.0-SNAPSHOT"
            : Phm.class.getPackage().getImplementationVersion(),
        spark.version(), spark.sparkContext().master(), inputs, staged.tables(), timings, report);
    Path published = timed("publish", timings, log, () -> staged.publish(manifest, cfg.retention()));
    return new Result(runId, published, manifest);
  }

  /** The shared Spark session, with shuffle partitions from the configuration or sized from the input. */
  static SparkSession spark(PhmConfig cfg, String app) {
    SparkSession s = SparkSessions.getOrCreate(app, cfg.sparkMaster());
    int partitions = cfg.shufflePartitions() != null ? cfg.shufflePartitions()
        : SparkSessions.shufflePartitionsFor(inputBytes(Path.of(cfg.inputDir())));
    s.conf().set("spark.sql.shuffle.partitions", String.valueOf(partitions));
    return s;
  }

  /** The risk settings: the configured file, else the engine's defaults. */
  static RiskConfig riskConfig(PhmConfig cfg) {
    return cfg.riskConfig() == null ? RiskConfig.defaults() : RiskConfig.load(Path.of(cfg.riskConfig()));
  }

  /**
   * The indicator catalogue (the configured file, else the engine's default), loaded before any work so that a bad
   * definition fails at once. Its flu season must start on the day risk.yaml's does: the flu uptake indicators and
   * the flu case-finding cohort count the same vaccinations.
   */
  static IndicatorCatalogue catalogue(PhmConfig cfg, RiskConfig risk) {
    IndicatorCatalogue c = cfg.indicatorCatalogue() == null ? IndicatorCatalogue.defaults()
        : IndicatorCatalogue.load(Path.of(cfg.indicatorCatalogue()));
    java.time.MonthDay catalogueStart = c.fluSeason().start();
    java.time.MonthDay riskStart = risk.features().fluSeasonStart();
    if (!catalogueStart.equals(riskStart)) {
      throw new ConfigException(String.format("the flu season starts on different days: %s flu_season.start is "
          + "'%02d-%02d' but %s features.flu_vaccination.season_start is '%02d-%02d'; set both to the same day",
          c.source(), catalogueStart.getMonthValue(), catalogueStart.getDayOfMonth(), risk.source(),
          riskStart.getMonthValue(), riskStart.getDayOfMonth()));
    }
    return c;
  }

  /** The pseudonymisation key: the key file, else the environment variable, else (demo mode only) the demo key. */
  static PseudonymisationKey key(PhmConfig cfg, RunLog log) {
    PseudonymisationKey key = cfg.keyFile() != null ? PseudonymisationKey.fromFile(Path.of(cfg.keyFile()))
        : Boolean.TRUE.equals(cfg.demo()) && System.getenv(cfg.keyEnv()) == null ? PseudonymisationKey.demo()
        : PseudonymisationKey.fromEnv(cfg.keyEnv());
    if (key.isDemo()) {
      log.event("demo_key", Map.of("warning", "public demo pseudonymisation key in use: synthetic data only"));
    }
    return key;
  }

  static Dataset<Row> dictionaryTable(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (DataDictionary.Table t : DataDictionary.load().tables()) {
      for (DataDictionary.Column c : t.packColumns()) {
        rows.add(RowFactory.create(t.name(), t.sensitivity(), t.description().strip(), c.name(), c.type(), c.unit(),
            c.allowed() == null ? null : String.join(",", c.allowed()), c.role(), c.description()));
      }
    }
    StructType schema = new StructType();
    for (String n : List.of("table_name", "table_sensitivity", "table_description", "column_name", "column_type",
        "unit", "allowed_values", "role", "column_description")) {
      schema = schema.add(n, DataTypes.StringType);
    }
    return spark.createDataFrame(rows, schema).coalesce(1);
  }

  private static <T> T timed(String stage, List<Manifest.StageTiming> timings, RunLog log, Supplier<T> body) {
    return timed(stage, timings, log, body, out -> null);
  }

  /**
   * Runs a stage, recording its time (and, when {@code rows} gives them, rows in / out / quarantined) in the
   * manifest timings and the run log.
   */
  private static <T> T timed(String stage, List<Manifest.StageTiming> timings, RunLog log, Supplier<T> body,
      Function<T, long[]> rows) {
    long s = System.nanoTime();
    T out = body.get();
    double secs = (System.nanoTime() - s) / 1e9;
    long[] r = rows.apply(out);
    Long in = r == null ? null : r[0];
    Long kept = r == null ? null : r[1];
    Long quarantined = r == null ? null : r[2];
    timings.add(new Manifest.StageTiming(stage, Math.round(secs * 1000) / 1000.0, in, kept));
    log.stage(stage, secs, in, kept, quarantined);
    return out;
  }

  /** Rows in, accepted and quarantined over all input files. */
  private static long[] ingestRows(IngestResult ingest) {
    long[] r = new long[3];
    for (InputFileInfo f : ingest.inputs()) {
      r[0] += f.rowsIn();
      r[1] += f.rowsAccepted();
      r[2] += f.rowsQuarantined();
    }
    return r;
  }

  /** Latest list-size extract date, for the staleness gate. */
  static LocalDate latestExtractDate(IngestResult ingest) {
    Row r = ingest.accepted("list_sizes").agg(max(col("EXTRACT_DATE"))).first();
    return r.isNullAt(0) ? null : r.getDate(0).toLocalDate();
  }
}
