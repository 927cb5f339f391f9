package org.phm.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.Period;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phm.config.PhmConfig;
import org.phm.pack.Manifest;
import org.phm.pack.PackReader;
import org.phm.pack.PackVerifier;
import org.phm.sample.Generator;
import org.phm.sample.GeneratorOptions;

/**
 * The whole nightly job on a small generated ICS, checked against independent counts made in plain
 * Java straight from the CSV extracts.
 */
class NightlyEndToEndTest {
  static final LocalDate RUN_DATE = LocalDate.of(2026, 11, 25);
  static Path input;
  static Path packs;
  static NightlyJob.Result result;
  static String log;
  static SparkSession spark;
  static Map<String, Set<Long>> injectedLines = new HashMap<>();

  @BeforeAll
  static void runNightly() throws IOException {
    Path tmp = Files.createTempDirectory("phm-e2e");
    input = tmp.resolve("input");
    packs = tmp.resolve("packs");
    Generator.generate(new GeneratorOptions(3000, 11, input, RUN_DATE, 0.002));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PhmConfig cfg = PhmConfig.defaults().overlay(new PhmConfig(input.toString(), packs.toString(),
        RUN_DATE.toString(), "local[2]", 4, 3, null, null, true, null, null, null, null, null, null, null, "json"));
    result = NightlyJob.run(cfg, new RunLog(new PrintStream(out, true, StandardCharsets.UTF_8), "json", "e2e"));
    log = out.toString(StandardCharsets.UTF_8);
    spark = SparkSession.active();
    for (String[] r : csv(input.resolve("_meta/injected_errors.csv"))) {
      injectedLines.computeIfAbsent(r[0], k -> new HashSet<>()).add(Long.parseLong(r[1]));
    }
  }

  @Test
  void packHasEveryManifestTableWithMatchingRowCounts() {
    Path pack = PackReader.open(packs).dir();
    var verification = PackVerifier.verify(pack, spark);
    assertTrue(verification.ok(), verification.problems().toString());
    Manifest m = result.manifest();
    Set<String> names = new HashSet<>();
    m.tables().forEach(t -> names.add(t.name()));
    for (String required : List.of("org_hierarchy", "registered_population", "indicator_values",
        "indicator_definitions", "dq_file_summary", "dq_quarantine", "data_dictionary")) {
      assertTrue(names.contains(required), "pack lacks " + required + ": " + names);
    }
    for (Manifest.TableEntry t : m.tables()) {
      assertEquals(t.rows(), spark.read().parquet(pack.resolve(t.area()).resolve(t.name()).toString()).count(),
          t.name());
    }
    assertTrue(Files.isSymbolicLink(packs.resolve("latest")));
    assertTrue(Files.isSymbolicLink(packs.resolve(RUN_DATE.toString())));
  }

  @Test
  void everyInputFileReconcilesAndMatchesItsRecordCount() throws IOException {
    Map<String, Manifest.InputFile> byFile = new HashMap<>();
    result.manifest().inputs().forEach(f -> byFile.put(f.file(), f));
    try (Stream<Path> files = Files.list(input)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".csv")).toList()) {
        Manifest.InputFile info = byFile.get(f.getFileName().toString());
        assertTrue(info != null, "manifest lacks input " + f.getFileName());
        assertEquals(info.rowsIn(), info.rowsAccepted() + info.rowsQuarantined(), f.getFileName().toString());
        assertEquals(Files.readAllLines(f).size() - 1, info.rowsIn(), "records in " + f.getFileName());
        long injected = injectedLines.getOrDefault(f.getFileName().toString(), Set.of()).size();
        assertTrue(info.rowsQuarantined() >= injected,
            f.getFileName() + ": " + info.rowsQuarantined() + " quarantined < " + injected + " injected");
      }
    }
  }

  @Test
  void everyInjectedBadRowIsQuarantined() {
    Dataset<Row> q = PackReader.open(packs).read(spark, "dq_quarantine", false);
    Set<String> quarantined = new HashSet<>();
    for (Row r : q.select("file", "row_number").collectAsList()) {
      quarantined.add(r.getString(0) + ":" + r.getLong(1));
    }
    int checked = 0;
    for (var e : injectedLines.entrySet()) {
      for (long line : e.getValue()) {
        assertTrue(quarantined.contains(e.getKey() + ":" + (line - 1)),
            "injected bad row " + e.getKey() + " line " + line + " was not quarantined");
        checked++;
      }
    }
    assertTrue(checked > 10, "the sample must contain injected bad rows, found " + checked);
  }

  @Test
  void registeredPopulationPerPcnMatchesTheListSizeExtract() throws IOException {
    Map<String, String> pcnOfPractice = new HashMap<>();
    for (String[] r : csv(input.resolve("practices.csv"))) {
      pcnOfPractice.put(r[0], r[2]);
    }
    Map<String, Long> expected = new HashMap<>();
    List<String[]> rows = csv(input.resolve("list_sizes.csv"));
    Set<Long> bad = injectedLines.getOrDefault("list_sizes.csv", Set.of());
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < rows.size(); i++) {
      String[] r = rows.get(i);
      if (bad.contains(i + 2L) || !seen.add(String.join(",", r))) {
        continue;
      }
      String pcn = pcnOfPractice.get(r[1]);
      if (pcn != null) {
        expected.merge(pcn, Long.parseLong(r[4]), Long::sum);
      }
    }
    List<Row> got = PackReader.open(packs).read(spark, "registered_population", false)
        .filter("level = 'PCN' AND sex = 'ALL' AND age_band = 'ALL'")
        .select("area_code", "patients").collectAsList();
    assertEquals(22, got.size());
    for (Row r : got) {
      assertEquals(expected.get(r.getString(0)), r.getLong(1), "PCN " + r.getString(0));
    }
  }

  @Test
  void fluUptake65PlusMatchesAnIndependentCount() throws IOException {
    LocalDate end = YearMonth.from(RUN_DATE).minusMonths(1).atEndOfMonth();
    LocalDate seasonStart = LocalDate.of(end.getMonthValue() >= 9 ? end.getYear() : end.getYear() - 1, 9, 1);
    Map<String, String> pcnOfPractice = new HashMap<>();
    for (String[] r : csv(input.resolve("practices.csv"))) {
      pcnOfPractice.put(r[0], r[2]);
    }
    // accepted patients: not an injected bad line, first copy of a duplicate
    Map<String, String[]> patients = new LinkedHashMap<>();
    List<String[]> rows = csv(input.resolve("gp_patients.csv"));
    List<String> header = List.of(Files.readAllLines(input.resolve("gp_patients.csv")).get(0).split(","));
    Set<Long> bad = injectedLines.getOrDefault("gp_patients.csv", Set.of());
    for (int i = 0; i < rows.size(); i++) {
      if (!bad.contains(i + 2L)) {
        patients.putIfAbsent(rows.get(i)[header.indexOf("nhs_number")], rows.get(i));
      }
    }
    Map<String, long[]> byPcn = new HashMap<>();
    Set<String> denominator = new HashSet<>();
    for (var e : patients.entrySet()) {
      String[] p = e.getValue();
      LocalDate birth = LocalDate.parse(p[header.indexOf("date_of_birth")]);
      LocalDate start = LocalDate.parse(p[header.indexOf("registration_start")]);
      String regEnd = p[header.indexOf("registration_end")];
      String death = p[header.indexOf("date_of_death")];
      boolean registered = !start.isAfter(end) && (regEnd.isEmpty() || LocalDate.parse(regEnd).isAfter(end))
          && (death.isEmpty() || LocalDate.parse(death).isAfter(end));
      if (registered && Period.between(birth, end).getYears() >= 65) {
        denominator.add(e.getKey());
        byPcn.computeIfAbsent(pcnOfPractice.get(p[header.indexOf("practice_code")]), k -> new long[2])[1]++;
      }
    }
    Set<String> vaccinated = new HashSet<>();
    List<String[]> events = csv(input.resolve("gp_events.csv"));
    Set<Long> badEvents = injectedLines.getOrDefault("gp_events.csv", Set.of());
    for (int i = 0; i < events.size(); i++) {
      String[] ev = events.get(i);
      if (badEvents.contains(i + 2L) || !ev[3].equals("86198006")) {
        continue;
      }
      LocalDate d = LocalDate.parse(ev[1]);
      if (!d.isBefore(seasonStart) && !d.isAfter(end) && denominator.contains(ev[0])) {
        vaccinated.add(ev[0]);
      }
    }
    for (String nhs : vaccinated) {
      byPcn.get(pcnOfPractice.get(patients.get(nhs)[header.indexOf("practice_code")]))[0]++;
    }
    Dataset<Row> values = PackReader.open(packs).read(spark, "indicator_values", false)
        .filter("indicator_id = 'FLU_65_PLUS' AND breakdown = 'ALL' AND period_end = DATE'" + end + "'");
    Row ics = values.filter("level = 'ICS'").select("numerator", "denominator", "value", "lower95", "upper95")
        .first();
    assertEquals(vaccinated.size(), ((Number) ics.get(0)).longValue(), "ICS numerator");
    assertEquals(denominator.size(), ((Number) ics.get(1)).longValue(), "ICS denominator");
    assertEquals(100.0 * vaccinated.size() / denominator.size(), ics.getDouble(2), 1e-9);
    assertTrue(ics.getDouble(3) < ics.getDouble(2) && ics.getDouble(2) < ics.getDouble(4));
    int compared = 0;
    for (Row r : values.filter("level = 'PCN'").select("area_code", "numerator", "denominator", "suppressed")
        .collectAsList()) {
      long[] exp = byPcn.get(r.getString(0));
      if (r.getBoolean(3)) {
        continue;
      }
      assertEquals(exp[0], ((Number) r.get(1)).longValue(), "numerator PCN " + r.getString(0));
      assertEquals(exp[1], ((Number) r.get(2)).longValue(), "denominator PCN " + r.getString(0));
      compared++;
    }
    assertTrue(compared >= 15, "too few unsuppressed PCN rows to compare: " + compared);
  }

  @Test
  void noInputNhsNumberReachesThePackOrTheLog() throws IOException {
    Set<String> nhsNumbers = new HashSet<>();
    for (String[] r : csv(input.resolve("gp_patients.csv"))) {
      nhsNumbers.add(r[0]);
    }
    assertFalse(nhsNumbers.isEmpty());
    Pattern ten = Pattern.compile("(?<![0-9])[0-9]{10}(?![0-9])");
    Matcher m = ten.matcher(log);
    while (m.find()) {
      assertFalse(nhsNumbers.contains(m.group()), "an NHS number appears in the run log");
    }
    PackReader pack = PackReader.open(packs);
    String manifest = Files.readString(pack.dir().resolve("manifest.json"));
    for (String n : nhsNumbers) {
      assertFalse(manifest.contains(n), "an NHS number appears in the manifest");
    }
    for (Manifest.TableEntry t : pack.tables(true)) {
      Dataset<Row> d = pack.read(spark, t.name(), true);
      org.apache.spark.sql.Column[] asText = Stream.of(d.columns())
          .map(c -> org.apache.spark.sql.functions.col(c).cast("string")).toArray(org.apache.spark.sql.Column[]::new);
      for (Row r : d.select(org.apache.spark.sql.functions.concat_ws("|", asText)).collectAsList()) {
        Matcher mm = ten.matcher(r.getString(0));
        while (mm.find()) {
          assertFalse(nhsNumbers.contains(mm.group()), "an NHS number appears in pack table " + t.name());
        }
      }
    }
  }

  @Test
  void logIsStructuredJsonPerStage() {
    List<String> stages = new ArrayList<>();
    for (String line : log.lines().toList()) {
      assertTrue(line.startsWith("{") && line.endsWith("}"), "not a JSON line: " + line);
      if (line.contains("\"event\":\"stage_done\"")) {
        Matcher m = Pattern.compile("\"stage\":\"([a-z_]+)\"").matcher(line);
        assertTrue(m.find());
        stages.add(m.group(1));
      }
    }
    assertTrue(stages.containsAll(List.of("ingest", "linkage", "population", "risk", "indicators", "pack_write",
        "publish")), stages.toString());
  }

  /** Minimal CSV reader for the generator's output (no quoted commas in the fields used here). */
  static List<String[]> csv(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<String[]> rows = new ArrayList<>();
    for (String l : lines.subList(1, lines.size())) {
      rows.add(l.split(",", -1));
    }
    return rows;
  }
}
