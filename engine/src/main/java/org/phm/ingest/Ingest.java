package org.phm.ingest;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.input_file_block_start;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.xxhash64;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.zip.ZipException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.phm.codelists.CodeLists;
import org.phm.ig.NhsNumbers;
import org.phm.ig.PatientKey;
import org.phm.ig.Pseudonymiser;
import org.phm.pack.PackTable;
import org.phm.pack.Sensitivity;
import org.phm.spark.ParallelJobs;

/**
 * Contract-driven ingest of the nightly CSV extracts: checks each file (fatal problems throw
 * {@link InputException}), reads every column as text ({@link PlainCsvSource} for a file without quote characters,
 * Spark's CSV reader for any other), parses and validates each
 * row against its contract, pseudonymises the NHS number into {@code patient_id}, quarantines failing
 * rows with one reason code each, and stages the result as Parquet so later stages re-read it cheaply.
 *
 * <p>Row numbers: {@code row_number} in dq_quarantine is the 1-based record number within the file
 * (header excluded). It equals the physical line number minus one when no quoted field spans lines.
 * A file whose every physical line is one record (checked by {@link FileScan}: no quoted line break, blank line or
 * bare CR; most extracts) is read in line splits in parallel and numbered exactly from per-split line offsets;
 * any other file (and gzip) is read as one multi-line partition, numbered by position.
 *
 * <p>Reconciliation: for every file {@code rows_in = rows_accepted + rows_quarantined}.
 */
public final class Ingest {
  /** The GP patient register: secondary-care NHS numbers not found here are counted as UNLINKED_PATIENT. */
  public static final String PATIENT_REGISTER = "gp_patients";
  /** Coded-event file and column checked against the code lists (UNMAPPED_CODE warning). */
  public static final String CODED_EVENTS = "gp_events";
  public static final String CODED_EVENTS_COLUMN = "code";
  /** Name every nhs_number column takes in accepted data. */
  public static final String PATIENT_ID = "patient_id";

  static final String CORRUPT = "_corrupt_record";
  private static final String RN = "_rn";
  /** 1-based index of the row's first failing check in {@link Checked#reasons}; null for an accepted row. */
  private static final String QI = "_qi";
  /** The raw fields as a quarantine record shows them (masked; NHS number pseudonymised), quarantined rows only. */
  private static final String SHOWN = "__mfields";
  private static final String SHOWN_CORRUPT = "__mcorrupt";
  private static final String COPIES = "_copies";
  private static final String FIRST = "_first";
  private static final String HASH = "_h";
  private static final String W_ENC = "_w_encoding";
  private static final String W_UNMAPPED = "_w_unmapped";
  private static final String W_UNLINKED = "_w_unlinked";
  private static final String MASK = "##########";
  /**
   * Referenced files up to this many accepted rows are broadcast in the reference checks: a sort-merge join would sort
   * every row of the referencing file. Larger files fall back to a sort-merge join.
   */
  static final long BROADCAST_ROWS = 1_500_000;
  /**
   * Patient sets (the register) up to this many patients are broadcast to the reference and linkage checks of patient
   * extracts, keyed by hashes of each pseudonym (see withPatientMatch). The hash relation's size (Spark's dataSize
   * metric, synthetic pseudonyms) is 537 MB for 5M and for 6M long-keyed patients (its arrays grow in powers of two),
   * where keyed by the 64-character pseudonym it was 336 MB for 1.5M patients (the earlier limit) and 1,208 MB for 5M.
   */
  static final long PATIENT_BROADCAST_ROWS = 6_000_000;

  private final SparkSession spark;
  private final List<ExtractContract> contracts;
  private final Pseudonymiser pseudonymiser;
  private final LocalDate runDate;
  private final Set<String> codeListCodes;

  /**
   * @param spark session
   * @param contracts the contracts to ingest (a referenced contract must be among them)
   * @param pseudonymiser keyed NHS-number pseudonymiser
   * @param runDate run date (for not_after: run_date and row rules using run_date)
   */
  public Ingest(SparkSession spark, List<ExtractContract> contracts, Pseudonymiser pseudonymiser, LocalDate runDate) {
    this.spark = spark;
    this.contracts = processingOrder(contracts);
    this.pseudonymiser = pseudonymiser;
    this.runDate = runDate;
    this.codeListCodes = CodeLists.load().allCodes();
  }

  /** Ingests every contract of {@link Contracts#load()}. */
  public static IngestResult run(SparkSession spark, Path inputDir, Path stagingDir, LocalDate runDate,
      Pseudonymiser pseudonymiser) {
    return new Ingest(spark, Contracts.load().files(), pseudonymiser, runDate).run(inputDir, stagingDir);
  }

  /**
   * Checks all files first (so a fatal problem stops the run before any Spark work), then ingests them, staging each
   * as Parquet under {@code stagingDir/<contract>}. A file is ingested once the files it is checked against (those
   * it references, and the GP patient register) are; up to {@link #CONCURRENT_FILES} files at a time, so one
   * file's planning, checksum and last tasks overlap another's work. Results are in reference order whatever order
   * the files finish in.
   *
   * @throws InputException for a fatal input problem
   */
  public IngestResult run(Path inputDir, Path stagingDir) {
    List<InputFiles.Located> located = new ArrayList<>();
    List<ExtractContract> absent = new ArrayList<>();
    for (ExtractContract c : contracts) {
      InputFiles.Located l = InputFiles.locate(c, inputDir);
      if (l == null) {
        absent.add(c);
      } else {
        located.add(l);
      }
    }
    ownerOnlyDirectory(stagingDir);
    List<FileOutcome> outcomes = ingestAll(located, stagingDir);
    Map<String, Dataset<Row>> accepted = new LinkedHashMap<>();
    List<InputFileInfo> infos = new ArrayList<>();
    List<Row> summary = new ArrayList<>();
    List<Row> reasonRows = new ArrayList<>();
    Dataset<Row> quarantine = null;
    for (FileOutcome o : outcomes) {
      InputFileInfo info = o.info();
      infos.add(info);
      accepted.put(info.contract(), o.accepted());
      quarantine = quarantine == null ? o.quarantine() : quarantine.unionByName(o.quarantine());
      summary.add(RowFactory.create(info.file(), info.contract(), "LOADED", info.sha256(), info.bytes(),
          info.rowsIn(), info.rowsAccepted(), info.rowsQuarantined(), String.join(",", o.file().extraColumns()),
          String.join(",", o.file().missingOptional())));
      o.counts().byReason.forEach((code, n) -> reasonRows.add(RowFactory.create(info.file(), code,
          ReasonCodes.QUARANTINE, n)));
      o.counts().warnings.forEach((code, n) -> {
        if (n > 0) {
          reasonRows.add(RowFactory.create(info.file(), code, ReasonCodes.WARNING, n));
        }
      });
    }
    for (ExtractContract c : absent) {
      summary.add(RowFactory.create(c.file(), c.name(), "ABSENT_OPTIONAL", null, null, 0L, 0L, 0L, "", ""));
    }
    if (quarantine == null) {
      quarantine = spark.createDataFrame(List.of(), QUARANTINE_SCHEMA);
    }
    List<PackTable> dq = List.of(
        new PackTable("dq_file_summary", spark.createDataFrame(summary, SUMMARY_SCHEMA), Sensitivity.DATA_QUALITY),
        new PackTable("dq_reason_counts", spark.createDataFrame(reasonRows, REASON_SCHEMA), Sensitivity.DATA_QUALITY),
        new PackTable("dq_quarantine", quarantine, Sensitivity.DATA_QUALITY));
    return new IngestResult(accepted, dq, infos);
  }

  /**
   * Files ingested at a time. Two keep both cores of the reference machine busy between one file's jobs; more would
   * only add memory (each file's checks broadcast the register).
   */
  static final int CONCURRENT_FILES = 2;

  /** One ingested file: its accepted rows, quarantine records, counts and summary. */
  private record FileOutcome(InputFiles.Located file, Dataset<Row> accepted, Dataset<Row> quarantine,
      FileCounts counts, InputFileInfo info) {}

  /**
   * Ingests the located files, each after the files it is checked against, and returns their outcomes in the given
   * (reference) order.
   */
  private List<FileOutcome> ingestAll(List<InputFiles.Located> located, Path stagingDir) {
    Map<String, InputFiles.Located> byName = new HashMap<>();
    located.forEach(l -> byName.put(l.contract().name(), l));
    return ParallelJobs.run(located,
        l -> dependencies(l.contract(), byName.keySet()).stream().filter(byName::containsKey).map(byName::get).toList(),
        (l, before) -> {
          Map<String, Dataset<Row>> accepted = new HashMap<>();
          Map<String, Long> acceptedRows = new HashMap<>();
          before.values().forEach(o -> {
            accepted.put(o.info().contract(), o.accepted());
            acceptedRows.put(o.info().contract(), o.info().rowsAccepted());
          });
          return ingest(l, stagingDir, accepted, acceptedRows);
        }, CONCURRENT_FILES, "phm-ingest");
  }

  /** Reads, checks and stages one file and counts its rows. */
  private FileOutcome ingest(InputFiles.Located l, Path stagingDir, Map<String, Dataset<Row>> accepted,
      Map<String, Long> acceptedRows) {
    ExtractContract c = l.contract();
    Path out = stagingDir.resolve(c.name());
    Reading reading = reading(l);
    Checked checked = check(l, reading, accepted, acceptedRows);
    try {
      checked.rows().write().mode(SaveMode.Overwrite).parquet(out.toString());
    } catch (Exception e) { // SparkException is checked but undeclared
      throw translate(l, e);
    }
    Dataset<Row> staged = spark.read().parquet(out.toString());
    Marked m = c.key().isEmpty()
        ? new Marked(staged, staged.where(col(QI).isNull()), staged.where(col(QI).isNotNull()))
        : withDuplicates(staged, l, reading, checked.reasons(), stagingDir.resolve(c.name() + ".duplicates"));
    FileCounts counts = counts(m.all(), checked.reasons());
    if (reading.split()) {
      counts.checkNumbering(l.fileName(), reading.scan().lines() - 1);
    }
    InputFileInfo info = new InputFileInfo(c.name(), l.fileName(), reading.scan().sha256(),
        l.path().toFile().length(), counts.rowsIn, counts.accepted(), counts.quarantined());
    return new FileOutcome(l, m.accepted().select(outputColumns(c)), quarantined(m.quarantined(), l,
        checked.reasons()), counts, info);
  }

  static final StructType SUMMARY_SCHEMA = new StructType()
      .add("file", DataTypes.StringType, false)
      .add("contract", DataTypes.StringType, false)
      .add("status", DataTypes.StringType, false)
      .add("sha256", DataTypes.StringType, true)
      .add("bytes", DataTypes.LongType, true)
      .add("rows_in", DataTypes.LongType, false)
      .add("rows_accepted", DataTypes.LongType, false)
      .add("rows_quarantined", DataTypes.LongType, false)
      .add("extra_columns", DataTypes.StringType, false)
      .add("missing_optional_columns", DataTypes.StringType, false);

  static final StructType REASON_SCHEMA = new StructType()
      .add("file", DataTypes.StringType, false)
      .add("reason_code", DataTypes.StringType, false)
      .add("severity", DataTypes.StringType, false)
      .add("rows", DataTypes.LongType, false);

  static final StructType QUARANTINE_SCHEMA = new StructType()
      .add("file", DataTypes.StringType, false)
      .add("row_number", DataTypes.LongType, true)
      .add("reason_code", DataTypes.StringType, true)
      .add("column", DataTypes.StringType, true)
      .add("detail", DataTypes.StringType, true)
      .add("record", DataTypes.StringType, true);

  // ---------------------------------------------------------------------------------------------------

  /** Accepted-data column name of a contract column (nhs_number → patient_id). */
  public static String outputName(ColumnContract c) {
    return c.isNhsNumber() ? PATIENT_ID : c.name();
  }

  private static Column[] outputColumns(ExtractContract c) {
    return c.columns().stream().map(cc -> col(outputName(cc))).toArray(Column[]::new);
  }

  /** Orders contracts so that every referenced file (and the GP patient register) comes first. */
  private static List<ExtractContract> processingOrder(List<ExtractContract> in) {
    Set<String> names = in.stream().map(ExtractContract::name).collect(Collectors.toSet());
    for (ExtractContract c : in) {
      for (ColumnContract col : c.columns()) {
        if (col.references() != null && !names.contains(col.referencedFile())) {
          throw new IllegalArgumentException("contract " + c.name() + "." + col.name() + " references "
              + col.referencedFile() + ", which is not being ingested");
        }
      }
    }
    List<ExtractContract> out = new ArrayList<>();
    Set<String> done = new HashSet<>();
    while (out.size() < in.size()) {
      boolean progress = false;
      for (ExtractContract c : in) {
        if (done.contains(c.name())) {
          continue;
        }
        Set<String> deps = dependencies(c, names);
        if (done.containsAll(deps)) {
          out.add(c);
          done.add(c.name());
          progress = true;
          break;
        }
      }
      if (!progress) {
        throw new IllegalArgumentException("contract references form a cycle");
      }
    }
    return List.copyOf(out);
  }

  /** The files a contract is checked against: those it references, and the GP patient register for NHS numbers. */
  private static Set<String> dependencies(ExtractContract c, Set<String> names) {
    Set<String> deps = new LinkedHashSet<>();
    for (ColumnContract col : c.columns()) {
      if (col.referencedFile() != null) {
        deps.add(col.referencedFile());
      }
    }
    if (!c.name().equals(PATIENT_REGISTER) && names.contains(PATIENT_REGISTER)
        && c.columns().stream().anyMatch(ColumnContract::isNhsNumber)) {
      deps.add(PATIENT_REGISTER);
    }
    return deps;
  }

  /** Creates the staging folder with owner-only access (it holds patient-level rows). */
  private static void ownerOnlyDirectory(Path dir) {
    try {
      Files.createDirectories(dir);
      if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create staging directory " + dir, e);
    }
  }

  /** Turns a Spark failure while reading a file into an InputException when the file is to blame. */
  private static RuntimeException translate(InputFiles.Located l, Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ZipException || (l.gzip() && t instanceof EOFException)) {
        return new InputException(l.fileName(), null, null, "unreadable gzip: " + t.getMessage(), e);
      }
    }
    return e instanceof RuntimeException re ? re
        : new IllegalStateException("ingest of " + l.fileName() + " failed: " + e.getMessage(), e);
  }

  // ---------------------------------------------------------------------------------------------------

  /**
   * One validation step: when {@code failed} (over the checked row), the row is quarantined with {@code code};
   * {@code detail} is an expression over the staged quarantined row (see {@link #quarantined}). {@code failed} is
   * null for checks applied in a later step of {@link #check} (references, duplicates).
   */
  private record Check(Column failed, String code, String column, Column detail) {}

  /** The checked rows of one file, and the checks that {@code _qi} indexes (1-based). */
  private record Checked(Dataset<Row> rows, List<Check> reasons) {}

  /**
   * How one file is read: the raw CSV rows, the expression giving each row's 0-based physical record number
   * (0 = header), the file scan (checksum, whether split), and whether the rows come from {@link PlainCsvSource}
   * (then with its flag {@link PlainCsvSource#REPLACEMENT}).
   */
  private record Reading(Dataset<Row> raw, Column recordNumber, FileScan scan, boolean split, boolean plain) {
    /** The raw rows (with {@code _rn}) whose record numbers are among {@code numbers}' column {@code _mrn}. */
    Dataset<Row> rowsNumbered(Dataset<Row> numbers) {
      return raw.select(col("*"), recordNumber.as(RN)).join(numbers, col(RN).equalTo(col("_mrn")));
    }
  }

  /**
   * Reads a file split by lines when {@link FileScan} shows every line is one record (parallel parse), numbering
   * records exactly as (lines before the split) + (position within the split): a plain file (no quote character)
   * with {@link PlainCsvSource}, a quoted one with Spark's CSV reader; otherwise as one multi-line partition
   * numbered by position. Gzip files cannot be split.
   */
  private Reading reading(InputFiles.Located l) {
    StructType schema = rawSchema(l.header().size());
    try {
      if (!l.gzip()) {
        // a plain file is read in equal splits; a quoted one with Spark's CSV reader, in the splits Spark plans
        long[] plainStarts = PlainCsvSource.splits(l.path().toFile().length(),
            spark.sparkContext().defaultParallelism());
        long[] starts = PlainCsvSource.splitStarts(spark.read().text(l.path().toString()));
        FileScan scan = FileScan.scan(l.path(), false, starts == null ? plainStarts
            : LongStream.concat(Arrays.stream(plainStarts), Arrays.stream(starts)).distinct().toArray());
        if (scan.splittable() && !scan.quoted()) {
          List<String> names = List.of(schema.fieldNames()).subList(0, l.header().size()); // the raw fields
          return new Reading(PlainCsvSource.read(spark, l.path(), names, plainStarts, scan.linesBefore()),
              col(PlainCsvSource.RECORD), scan, true, true);
        }
        if (scan.splittable() && starts != null) {
          Dataset<Row> lines = csv(spark, schema, false).load(l.path().toString());
          if (Arrays.equals(starts, PlainCsvSource.splitStarts(lines))) {
            List<Column> kv = new ArrayList<>(); // Spark's splits only: the scan also counted the plain splits
            for (long start : starts) {
              kv.add(lit(start));
              kv.add(lit(scan.linesBefore().get(start)));
            }
            Column before = element_at(map(kv.toArray(Column[]::new)), input_file_block_start());
            Column inSplit = monotonically_increasing_id().bitwiseAND(lit(POSITION_MASK));
            return new Reading(lines, before.plus(inSplit), scan, true, false);
          }
        }
        return new Reading(csv(spark, schema, true).load(l.path().toString()), monotonically_increasing_id(), scan,
            false, false);
      }
      FileScan scan = FileScan.scan(l.path(), true, new long[0]);
      return new Reading(csv(spark, schema, true).load(l.path().toString()), monotonically_increasing_id(), scan,
          false, false);
    } catch (IOException e) {
      throw new InputException(l.fileName(), null, null, "cannot read file: " + e.getMessage(), e);
    }
  }

  /** The raw text fields {@code __c0..__c<n-1>} of a file with n header columns, and the corrupt-record column. */
  static StructType rawSchema(int n) {
    StructType schema = new StructType();
    for (int i = 0; i < n; i++) {
      schema = schema.add("__c" + i, DataTypes.StringType, true);
    }
    return schema.add(CORRUPT, DataTypes.StringType, true);
  }

  /** Low 33 bits of monotonically_increasing_id: the row's position within its partition. */
  private static final long POSITION_MASK = (1L << 33) - 1;

  /** Spark's CSV reader as ingest uses it: every field as text, malformed records kept in {@code _corrupt_record}. */
  static org.apache.spark.sql.DataFrameReader csv(SparkSession spark, StructType schema, boolean multiLine) {
    return spark.read().format("csv").schema(schema)
        .option("header", "false") // the header was checked on the driver; record 0 is dropped below
        .option("multiLine", String.valueOf(multiLine))
        .option("encoding", "UTF-8")
        .option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", CORRUPT)
        .option("quote", "\"")
        .option("escape", "\"");
  }

  /**
   * Builds the checked rows of one file: every row with its typed values and, when quarantined, the index of its
   * first failing check ({@code _qi}) and what the quarantine record shows. The detail texts are not built here:
   * they are evaluated by {@link #quarantined} on the few quarantined rows of the staged file, which keeps this
   * per-row plan small enough for Spark's whole-stage code generation and the JIT.
   */
  private Checked check(InputFiles.Located l, Reading reading, Map<String, Dataset<Row>> accepted,
      Map<String, Long> acceptedRows) {
    ExtractContract c = l.contract();
    int n = l.header().size();
    Dataset<Row> raw = reading.raw();
    List<Column> keep = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keep.add(col("__c" + i));
    }
    keep.add(col(CORRUPT));
    if (reading.plain()) {
      keep.add(col(PlainCsvSource.REPLACEMENT));
    }
    keep.add(reading.recordNumber().as(RN)); // 0 = header, 1.. = records
    Dataset<Row> df = raw.select(keep.toArray(Column[]::new)).where(col(RN).gt(0));

    // cleaned text value of each contract column ("__v<name>"), then typed value (contract name)
    List<Check> checks = new ArrayList<>();
    checks.add(new Check(col(CORRUPT).isNotNull(), ReasonCodes.MALFORMED_ROW, null,
        lit("record does not match the header (wrong number of fields or broken quoting)")));
    List<Column> typedCols = new ArrayList<>();
    for (ColumnContract cc : c.columns()) {
      typedCols.add(cleaned(field(l, cc, i -> col("__c" + i))).as("__v" + cc.name()));
    }
    List<Column> withV = new ArrayList<>();
    for (String f : df.columns()) {
      withV.add(col(f));
    }
    withV.addAll(typedCols);
    df = df.select(withV.toArray(Column[]::new));
    // NHS numbers: normalised value ("__n<name>") and why it is invalid ("__r<name>") as columns of their own, so the
    // regex work runs once per row rather than once per reference inside the check chain
    for (ColumnContract cc : c.columns()) {
      if (cc.type().equals("nhs_number")) {
        df = df.withColumn("__n" + cc.name(), NhsNumbers.normalise(col("__v" + cc.name())));
        df = df.withColumn("__r" + cc.name(), NhsNumbers.invalidReason(col("__n" + cc.name())));
      }
    }

    List<Column> typed = new ArrayList<>();
    for (ColumnContract cc : c.columns()) {
      Column v = col("__v" + cc.name());
      typed.add(parse(cc, v).as(cc.name()));
    }
    List<Column> all = new ArrayList<>();
    for (String f : df.columns()) {
      all.add(col(f));
    }
    all.addAll(typed);
    all.add(lit(java.sql.Date.valueOf(runDate)).as("run_date"));
    df = df.select(all.toArray(Column[]::new));

    for (ColumnContract cc : c.columns()) {
      checks.addAll(columnChecks(cc, col("__v" + cc.name()), col(cc.name())));
    }
    for (RowRule r : c.rowRules()) {
      checks.add(new Check(coalesce(expr(r.expr()), lit(true)).unary_$bang(), r.reason(), r.column(),
          lit("rule failed: " + r.expr())));
    }
    df = df.withColumn(QI, firstFailure(checks));

    // foreign keys against the accepted rows of the referenced file
    int refIndex = 0;
    for (ColumnContract cc : c.columns()) {
      if (cc.references() == null) {
        continue;
      }
      ColumnContract target = targetColumn(cc);
      String refCol = "_ref" + refIndex++;
      Dataset<Row> keys = accepted.get(cc.referencedFile()).select(col(outputName(target)).as(refCol));
      if (!targetContract(cc).key().equals(List.of(target.name()))) {
        keys = keys.distinct(); // accepted rows are unique on a single-column key, so no distinct is needed then
      }
      long keyRows = acceptedRows.getOrDefault(cc.referencedFile(), Long.MAX_VALUE);
      if (cc.isNhsNumber()) {
        df = withPatientMatch(df, col(cc.name()), keys, keyRows, refCol);
      } else {
        df = df.join(keyRows <= BROADCAST_ROWS ? broadcast(keys) : keys, df.col(cc.name()).equalTo(keys.col(refCol)),
            "left");
      }
      String detail = cc.isNhsNumber() ? "patient not found in " + cc.referencedFile()
          : "not found in " + cc.references();
      Column value = cc.isNhsNumber() ? lit("") : concat(lit("'"), shown(cc), lit("' "));
      checks.add(new Check(null, ReasonCodes.UNKNOWN_REFERENCE, cc.name(), concat(value, lit(detail))));
      Column fail = col(QI).isNull().and(col(cc.name()).isNotNull()).and(col(refCol).isNull());
      df = df.withColumn(QI, when(fail, lit(checks.size())).otherwise(col(QI))).drop(refCol);
    }

    // key duplicates among rows that passed every other check are found after staging (see withDuplicates); their
    // checks come last
    if (!c.key().isEmpty()) {
      String keyText = String.join(", ", c.key());
      checks.add(new Check(null, ReasonCodes.CONFLICTING_DUPLICATE, c.key().get(0),
          concat(col(COPIES).cast(DataTypes.StringType), lit(" rows share the key (" + keyText
              + ") with different content"))));
      checks.add(new Check(null, ReasonCodes.DUPLICATE, c.key().get(0),
          concat(lit("exact copy of row "), col(FIRST).cast(DataTypes.StringType))));
    }

    // warnings (rows kept)
    // U+FFFD in any field or the corrupt record; the plain reader has flagged its lines (no search per field)
    Column encoding;
    if (reading.plain()) {
      encoding = col(PlainCsvSource.REPLACEMENT);
    } else {
      encoding = coalesce(col(CORRUPT).contains("\uFFFD"), lit(false));
      for (int i = 0; i < n; i++) {
        encoding = encoding.or(coalesce(col("__c" + i).contains("\uFFFD"), lit(false)));
      }
    }
    Column unmapped = lit(false);
    if (c.name().equals(CODED_EVENTS) && c.column(CODED_EVENTS_COLUMN).isPresent()) {
      unmapped = col(QI).isNull().and(col(CODED_EVENTS_COLUMN).isin(codeListCodes.toArray()).unary_$bang());
    }
    Column unlinked = lit(false);
    ColumnContract nhs = c.columns().stream().filter(ColumnContract::isNhsNumber).findFirst().orElse(null);
    if (nhs != null && !c.name().equals(PATIENT_REGISTER) && accepted.containsKey(PATIENT_REGISTER)
        && !PATIENT_REGISTER.equals(nhs.referencedFile())) {
      df = withPatientMatch(df, col(nhs.name()), accepted.get(PATIENT_REGISTER).select(col(PATIENT_ID)), // unique key
          acceptedRows.getOrDefault(PATIENT_REGISTER, Long.MAX_VALUE), "_reg");
      unlinked = col(QI).isNull().and(col("_reg").isNull());
    }

    List<Column> outCols = new ArrayList<>();
    outCols.add(col(RN));
    outCols.add(col(QI));
    for (ColumnContract cc : c.columns()) {
      outCols.add(col(cc.name()).as(outputName(cc)));
    }
    if (!c.key().isEmpty()) {
      outCols.add(contentHash(c).as(HASH)); // for the duplicate check after staging
    }
    outCols.add(encoding.as(W_ENC));
    outCols.add(unmapped.as(W_UNMAPPED));
    outCols.add(unlinked.as(W_UNLINKED));
    // what the quarantine record and details need, on quarantined rows only: the raw fields masked (an NHS number
    // pseudonymised when it has ten digits, its digits masked otherwise) and why an NHS number is invalid
    Column quarantined = col(QI).isNotNull();
    outCols.add(when(quarantined, shownFields(l)).as(SHOWN));
    outCols.add(when(quarantined, masked(col(CORRUPT))).as(SHOWN_CORRUPT));
    for (ColumnContract cc : c.columns()) {
      if (cc.type().equals("nhs_number")) {
        outCols.add(when(quarantined, col("__r" + cc.name())).as("__r" + cc.name()));
      }
    }
    return new Checked(df.select(outCols.toArray(Column[]::new)), List.copyOf(checks));
  }

  /**
   * Left-joins a pseudonymised patient id column to a set of patients (a one-column dataset of distinct pseudonyms:
   * the register, or another patient file a contract references), adding {@code found}: non-null when the id is in
   * the set. The join key is the first half of the id's {@link PatientKey} (one 64-bit hash) and its second half, an
   * independent hash, must agree too (two different ids agree on both with probability 2^-128). A relation keyed by
   * one long takes under half the memory of one keyed by 64-character strings, so patient sets up to
   * {@link #PATIENT_BROADCAST_ROWS} are broadcast and the extract (tens of millions of GP events) is not shuffled.
   */
  static Dataset<Row> withPatientMatch(Dataset<Row> df, Column id, Dataset<Row> patients, long patientRows,
      String found) {
    Column p = patients.col(patients.columns()[0]);
    Dataset<Row> keys = patients.select(PatientKey.first(p).as(found), PatientKey.second(p).as(found + "_2"));
    if (patientRows <= PATIENT_BROADCAST_ROWS) {
      keys = broadcast(keys);
    }
    Column match = PatientKey.matches(PatientKey.first(id), PatientKey.second(id), keys.col(found),
        keys.col(found + "_2"));
    return df.join(keys, match, "left").drop(found + "_2");
  }

  /**
   * The raw fields of a row as its quarantine record shows them ({@code __c0..}): masked, an NHS number pseudonymised
   * when it has ten digits. One higher-order function (interpreted) per row, so it is evaluated for quarantined rows
   * only.
   */
  private Column shownFields(InputFiles.Located l) {
    ColumnContract nhs = l.contract().columns().stream().filter(ColumnContract::isNhsNumber).findFirst().orElse(null);
    Integer nhsPos = nhs == null ? null : l.positions().get(nhs.name());
    List<Column> rawFields = new ArrayList<>();
    for (int i = 0; i < l.header().size(); i++) {
      rawFields.add(col("__c" + i));
    }
    Column fields = array(rawFields.toArray(Column[]::new));
    return nhsPos == null ? transform(fields, Ingest::masked)
        : transform(fields, (f, i) -> when(i.equalTo(nhsPos), shownNhsNumber(f)).otherwise(masked(f)));
  }

  /**
   * A keyed file's staged rows with its key duplicates quarantined. Among the rows that passed every other check,
   * the rows of a key with differing content (typed values, {@link #contentHash}) are each a conflicting duplicate,
   * and of a key with identical content every copy after the first (lowest record number) is an exact duplicate.
   * Found after staging, over the staged key, record number and content hash only (a window over the checked rows
   * shuffled whole rows, raw fields included: a quarter of the keyed extracts' ingest, docs/performance.md), and
   * kept in {@code marksDir} as marks by record number, with the raw fields of the few marked rows read again from
   * the file for their quarantine records (nothing is read again when there are none). The marks are joined to the
   * staged rows for the counts; the accepted rows, read by every later stage, leave out the marked record numbers by
   * a filter (through the join beyond {@link #MARKS_AS_FILTER} marks). The two checks are the last of
   * {@code checks}.
   */
  private Marked withDuplicates(Dataset<Row> staged, InputFiles.Located l, Reading reading, List<Check> checks,
      Path marksDir) {
    ExtractContract c = l.contract();
    int conflicting = checks.size() - 1;
    int duplicate = checks.size();
    List<Column> narrow = new ArrayList<>();
    for (String k : c.key()) {
      narrow.add(col(outputName(c.column(k).orElseThrow())));
    }
    WindowSpec sameKey = Window.partitionBy(narrow.toArray(Column[]::new)); // null keys group together
    narrow.add(col(RN));
    narrow.add(col(HASH));
    Path keysDir = marksDir.resolve("keys");
    staged.where(col(QI).isNull()).select(narrow.toArray(Column[]::new))
        .select(col(RN), col(HASH), min(col(HASH)).over(sameKey).as("_hmin"), max(col(HASH)).over(sameKey).as("_hmax"),
            min(col(RN)).over(sameKey).as("_mfirst"), count(lit(1)).over(sameKey).as("_mcopies"))
        .where(col("_mcopies").gt(1))
        .select(col(RN).as("_mrn"), when(col("_hmin").notEqual(col("_hmax")), lit(conflicting))
            .when(col(RN).gt(col("_mfirst")), lit(duplicate)).as("_mqi"), col("_mcopies"), col("_mfirst"))
        .where(col("_mqi").isNotNull())
        .write().mode(SaveMode.Overwrite).parquet(keysDir.toString());
    Dataset<Row> marks = spark.read().parquet(keysDir.toString());
    long marked = marks.count();
    Column noCopies = lit(null).cast(DataTypes.LongType);
    if (marked == 0) {
      return new Marked(staged, staged.where(col(QI).isNull()),
          staged.where(col(QI).isNotNull()).withColumn(COPIES, noCopies).withColumn(FIRST, noCopies));
    }
    boolean small = marked <= BROADCAST_ROWS;
    // every row with its final reason and warnings, for the counts
    Dataset<Row> all = staged.join(small ? broadcast(marks) : marks, col(RN).equalTo(col("_mrn")), "left")
        .withColumn(QI, coalesce(col(QI), col("_mqi")))
        .withColumn(W_UNMAPPED, col(W_UNMAPPED).and(col("_mqi").isNull())) // warnings are for kept rows only
        .withColumn(W_UNLINKED, col(W_UNLINKED).and(col("_mqi").isNull()));
    // the accepted rows, read again by every later stage, leave out the few marked rows by a set of record numbers
    // (a filter) rather than through the join; record numbers are not patient data
    Dataset<Row> accepted;
    if (marked <= MARKS_AS_FILTER) {
      Object[] numbers = marks.select(col("_mrn")).collectAsList().stream().map(r -> r.get(0)).toArray();
      accepted = staged.where(col(QI).isNull().and(col(RN).isin(numbers).unary_$bang()));
    } else {
      accepted = all.where(col(QI).isNull());
    }
    // the marked rows' quarantine records, from their raw fields read again
    Path rowsDir = marksDir.resolve("rows");
    try {
      reading.rowsNumbered(small ? broadcast(marks) : marks)
          .select(col("_mrn").as(RN), col("_mqi").as(QI), shownFields(l).as(SHOWN),
              masked(col(CORRUPT)).as(SHOWN_CORRUPT), col("_mcopies").as(COPIES), col("_mfirst").as(FIRST))
          .write().mode(SaveMode.Overwrite).parquet(rowsDir.toString());
    } catch (Exception e) { // SparkException is checked but undeclared
      throw translate(l, e);
    }
    List<Column> fromStaged = new ArrayList<>(List.of(col(RN), col(QI), col(SHOWN), col(SHOWN_CORRUPT),
        noCopies.as(COPIES), noCopies.as(FIRST)));
    Dataset<Row> fromMarks = spark.read().parquet(rowsDir.toString());
    for (String f : staged.columns()) {
      if (f.startsWith("__r")) { // why an NHS number is invalid: never, for a row that passed the other checks
        fromStaged.add(col(f));
        fromMarks = fromMarks.withColumn(f, lit(null).cast(DataTypes.StringType));
      }
    }
    Dataset<Row> quarantinedRows = staged.where(col(QI).isNotNull()).select(fromStaged.toArray(Column[]::new))
        .unionByName(fromMarks);
    return new Marked(all, accepted, quarantinedRows);
  }

  /**
   * A staged file's rows three ways: all of them with their final reason and warnings (for the counts), the accepted
   * ones, and the quarantined ones with what their quarantine records show ({@code __mfields}, {@code __mcorrupt},
   * {@code __r<column>}, {@code _copies}, {@code _first}).
   */
  private record Marked(Dataset<Row> all, Dataset<Row> accepted, Dataset<Row> quarantined) {}

  /** Up to this many duplicate marks, accepted rows are selected by a set of record numbers rather than a join. */
  private static final long MARKS_AS_FILTER = 100_000;

  /**
   * The dq_quarantine rows of one staged file: reason code, column and detail of each quarantined row's first failing
   * check, and its record as a CSV line with identifiers masked. Evaluated on quarantined rows only.
   */
  private static Dataset<Row> quarantined(Dataset<Row> staged, InputFiles.Located l, List<Check> reasons) {
    ExtractContract c = l.contract();
    Dataset<Row> q = staged.where(col(QI).isNotNull());
    List<Column> withShown = new ArrayList<>();
    withShown.add(col("*"));
    for (ColumnContract cc : c.columns()) {
      withShown.add(cleaned(field(l, cc, Ingest::shownField)).as("__s" + cc.name()));
    }
    q = q.select(withShown.toArray(Column[]::new));
    List<Column> codes = new ArrayList<>();
    List<Column> columns = new ArrayList<>();
    Column detail = null;
    for (int k = 1; k <= reasons.size(); k++) {
      Check r = reasons.get(k - 1);
      codes.add(lit(r.code()));
      columns.add(lit(r.column()).cast(DataTypes.StringType));
      Column failedHere = col(QI).equalTo(k);
      detail = detail == null ? when(failedHere, r.detail()) : detail.when(failedHere, r.detail());
    }
    List<Column> fields = new ArrayList<>();
    for (int i = 0; i < l.header().size(); i++) {
      fields.add(csvField(coalesce(shownField(i), lit(""))));
    }
    Column record = coalesce(col(SHOWN_CORRUPT), concat_ws(",", fields.toArray(Column[]::new)));
    return q.select(lit(l.fileName()).as("file"), col(RN).as("row_number"),
        element_at(array(codes.toArray(Column[]::new)), col(QI)).as("reason_code"),
        element_at(array(columns.toArray(Column[]::new)), col(QI)).as("column"),
        substring(detail, 1, 300).as("detail"), record.as("record"));
  }

  /** Raw field {@code i} (0-based) of a staged quarantined row, masked. */
  private static Column shownField(int i) {
    return element_at(col(SHOWN), i + 1);
  }

  /**
   * A contract column's field, {@code atPosition} of its 0-based position in the file (raw or shown), or null text
   * when the file lacks the column.
   */
  private static Column field(InputFiles.Located l, ColumnContract cc, IntFunction<Column> atPosition) {
    Integer pos = l.positions().get(cc.name());
    return pos == null ? lit(null).cast(DataTypes.StringType) : atPosition.apply(pos);
  }

  /** Text trimmed of spaces, null when empty. */
  private static Column cleaned(Column text) {
    return when(trim(text).equalTo(""), lit(null).cast(DataTypes.StringType)).otherwise(trim(text));
  }

  /** A column's value as quarantine details quote it (from the masked raw field; see {@link #quarantined}). */
  private static Column shown(ColumnContract cc) {
    return col("__s" + cc.name());
  }

  /**
   * 64-bit hash of a row's typed values, telling exact copies from conflicting rows that share a key. Spark's hash
   * skips nulls, so the null pattern is hashed too ({@code (x, null)} and {@code (null, x)} must differ). A collision
   * (~n²/2⁶⁵) would only label a conflicting duplicate as an exact copy; both are quarantined either way.
   */
  private static Column contentHash(ExtractContract c) {
    List<Column> parts = new ArrayList<>();
    Column nulls = lit("");
    for (ColumnContract cc : c.columns()) {
      parts.add(col(cc.name()));
      nulls = concat(nulls, when(col(cc.name()).isNull(), lit("1")).otherwise(lit("0")));
    }
    parts.add(nulls);
    return xxhash64(parts.toArray(Column[]::new));
  }

  private ExtractContract targetContract(ColumnContract cc) {
    return contracts.stream().filter(x -> x.name().equals(cc.referencedFile())).findFirst().orElseThrow();
  }

  private ColumnContract targetColumn(ColumnContract cc) {
    return targetContract(cc).column(cc.referencedColumn()).orElseThrow();
  }

  /** Typed value of a cleaned text value (null when empty or unparseable). */
  private Column parse(ColumnContract cc, Column v) {
    return switch (cc.type()) {
      case "string" -> v;
      case "int" -> when(v.rlike("^[+-]?[0-9]{1,10}$"), v.try_cast(DataTypes.IntegerType));
      case "double" -> when(v.rlike("^[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]{1,3})?$"),
          v.try_cast(DataTypes.DoubleType));
      // after the strict shape check a cast parses the same values as a yyyy-MM-dd pattern (invalid calendar dates
      // such as 2025-02-30 become null) without a formatter per row
      case "date" -> when(v.rlike("^[0-9]{4}-[0-9]{2}-[0-9]{2}$"), v.try_cast(DataTypes.DateType));
      case "timestamp" -> {
        Column t = regexp_replace(v, "T", " ");
        yield when(t.rlike("^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$"), t.try_cast(DataTypes.TimestampType));
      }
      case "nhs_number" -> when(col("__n" + cc.name()).isNotNull().and(col("__r" + cc.name()).isNull()),
          pseudonymiser.patientIdOfNormalised(col("__n" + cc.name())));
      default -> throw new IllegalStateException("unknown type " + cc.type());
    };
  }

  /** The checks of one column in order: missing, type, allowed, pattern, range, date plausibility. */
  private List<Check> columnChecks(ColumnContract cc, Column v, Column typed) {
    List<Check> out = new ArrayList<>();
    String name = cc.name();
    Column shown = concat(lit("'"), shown(cc), lit("'"));
    if (cc.required()) {
      out.add(new Check(v.isNull(), ReasonCodes.MISSING_REQUIRED, name, lit("required value is empty")));
    }
    Column unparsed = v.isNotNull().and(typed.isNull());
    switch (cc.type()) {
      case "int", "double" -> out.add(new Check(unparsed, ReasonCodes.INVALID_NUMBER, name,
          concat(shown, lit(" is not a valid " + (cc.type().equals("int") ? "integer" : "number")))));
      case "date" -> out.add(new Check(unparsed, ReasonCodes.INVALID_DATE, name,
          concat(shown, lit(" is not a valid yyyy-MM-dd date"))));
      case "timestamp" -> out.add(new Check(unparsed, ReasonCodes.INVALID_DATE, name,
          concat(shown, lit(" is not a valid yyyy-MM-dd HH:mm:ss timestamp"))));
      case "nhs_number" -> out.add(new Check(unparsed, ReasonCodes.INVALID_NHS_NUMBER, name, col("__r" + name)));
      default -> { }
    }
    if (!cc.allowed().isEmpty()) {
      Column asText = cc.type().equals("string") ? typed : typed.cast(DataTypes.StringType);
      out.add(new Check(typed.isNotNull().and(asText.isin(cc.allowed().toArray()).unary_$bang()),
          ReasonCodes.INVALID_VALUE, name, concat(shown, lit(" is not one of " + cc.allowed()))));
    }
    if (cc.pattern() != null) {
      Column asText = cc.type().equals("string") ? typed : v;
      out.add(new Check(typed.isNotNull().and(asText.rlike(cc.pattern()).unary_$bang()), ReasonCodes.INVALID_FORMAT,
          name, concat(shown, lit(" does not match " + cc.pattern()))));
    }
    if (cc.min() != null) {
      out.add(new Check(typed.lt(lit(cc.min())), ReasonCodes.OUT_OF_RANGE, name,
          concat(shown, lit(" is below the minimum " + number(cc.min())))));
    }
    if (cc.max() != null) {
      out.add(new Check(typed.gt(lit(cc.max())), ReasonCodes.OUT_OF_RANGE, name,
          concat(shown, lit(" is above the maximum " + number(cc.max())))));
    }
    if (cc.notAfterRunDate()) {
      Column d = typed.cast(DataTypes.DateType);
      out.add(new Check(d.gt(lit(java.sql.Date.valueOf(runDate))), ReasonCodes.IMPLAUSIBLE_DATE, name,
          concat(shown, lit(" is after the run date " + runDate))));
    }
    if (cc.notBefore() != null) {
      Column d = typed.cast(DataTypes.DateType);
      out.add(new Check(d.lt(lit(java.sql.Date.valueOf(cc.notBefore()))), ReasonCodes.IMPLAUSIBLE_DATE, name,
          concat(shown, lit(" is before " + cc.notBefore()))));
    }
    return out;
  }

  private static String number(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }

  /** The 1-based index of the first failing check, or null when all pass. */
  private static Column firstFailure(List<Check> checks) {
    Column chain = null;
    for (int k = 1; k <= checks.size(); k++) {
      Column failed = coalesce(checks.get(k - 1).failed(), lit(false));
      chain = chain == null ? when(failed, lit(k)) : chain.when(failed, lit(k));
    }
    return chain;
  }

  /** A raw NHS number as a quarantine record shows it: pseudonymised when it has ten digits, else digits masked. */
  private Column shownNhsNumber(Column raw) {
    Column norm = NhsNumbers.normalise(raw);
    return when(norm.rlike("^[0-9]{10}$"), pseudonymiser.patientIdOfNormalised(norm))
        .otherwise(regexp_replace(raw, "[0-9]", "#"));
  }

  /** Text with every NHS-number-shaped digit run masked (for quarantine details and records). */
  private static Column masked(Column text) {
    return regexp_replace(text, NhsNumbers.NHS_LIKE, MASK);
  }

  /** RFC 4180 quoting of one field for the reconstructed record. */
  private static Column csvField(Column f) {
    return when(f.rlike("[,\"\\r\\n]"), concat(lit("\""), regexp_replace(f, "\"", "\"\""), lit("\""))).otherwise(f);
  }

  /** Counts of one staged file (one small aggregate collected to the driver). */
  private record FileCounts(long rowsIn, Map<String, Long> byReason, Map<String, Long> warnings, long minRn,
      long maxRn, java.math.BigInteger sumRn) {
    /** Record numbers of a split read must be exactly 1..records (guards the split numbering). */
    void checkNumbering(String file, long records) {
      java.math.BigInteger r = java.math.BigInteger.valueOf(records);
      java.math.BigInteger expected = r.multiply(r.add(java.math.BigInteger.ONE)).shiftRight(1);
      boolean ok = rowsIn == records && (records == 0 || (minRn == 1 && maxRn == records && sumRn.equals(expected)));
      if (!ok) {
        throw new IllegalStateException("internal error: record numbering of " + file + " is inconsistent (rows "
            + rowsIn + ", expected " + records + ")");
      }
    }

    long quarantined() {
      return byReason.values().stream().mapToLong(Long::longValue).sum();
    }

    long accepted() {
      return rowsIn - quarantined();
    }
  }

  private static FileCounts counts(Dataset<Row> staged, List<Check> reasons) {
    List<Row> rows = staged.groupBy(col(QI)).agg(count(lit(1)).as("n"),
        sum(when(col(W_ENC), 1).otherwise(0)).as("enc"),
        sum(when(col(W_UNMAPPED), 1).otherwise(0)).as("unm"),
        sum(when(col(W_UNLINKED), 1).otherwise(0)).as("unl"),
        min(col(RN)).as("minrn"), max(col(RN)).as("maxrn"),
        sum(col(RN).cast(DataTypes.createDecimalType(38, 0))).as("sumrn")).collectAsList();
    long minRn = Long.MAX_VALUE;
    long maxRn = Long.MIN_VALUE;
    java.math.BigInteger sumRn = java.math.BigInteger.ZERO;
    long in = 0;
    Map<String, Long> byReason = new java.util.TreeMap<>();
    long enc = 0;
    long unm = 0;
    long unl = 0;
    for (Row r : rows) {
      long cnt = r.getLong(1);
      in += cnt;
      if (!r.isNullAt(0)) {
        byReason.merge(reasons.get(r.getInt(0) - 1).code(), cnt, Long::sum);
      }
      if (!r.isNullAt(5)) {
        minRn = Math.min(minRn, r.getLong(5));
        maxRn = Math.max(maxRn, r.getLong(6));
        sumRn = sumRn.add(r.getDecimal(7).toBigInteger());
      }
      enc += r.getLong(2);
      unm += r.getLong(3);
      unl += r.getLong(4);
    }
    Map<String, Long> warnings = new LinkedHashMap<>();
    warnings.put(ReasonCodes.UNMAPPED_CODE, unm);
    warnings.put(ReasonCodes.ENCODING_REPLACED, enc);
    warnings.put(ReasonCodes.UNLINKED_PATIENT, unl);
    return new FileCounts(in, byReason, warnings, minRn, maxRn, sumRn);
  }
}
