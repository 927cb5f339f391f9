package org.phm.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated files against the engine's input contract (contracts/extracts.yaml, parsed independently here),
 * determinism, NHS numbers, list-size reconciliation and the injected-error sidecar.
 */
class GeneratorTest {
  static final LocalDate RUN = LocalDate.of(2026, 11, 25);
  static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
      .withResolverStyle(java.time.format.ResolverStyle.STRICT);
  static final Pattern GE_RULE = Pattern.compile("^(\\w+) >= (\\w+)$");

  @TempDir static Path dirA;
  @TempDir static Path dirB;
  static GenerationReport report;
  static JsonNode contract;

  @BeforeAll
  static void generate() throws IOException {
    report = Generator.generate(new GeneratorOptions(3_000, 42L, dirA, RUN, 0.004));
    try (InputStream in = GeneratorTest.class.getResourceAsStream("/contracts/extracts.yaml")) {
      contract = new ObjectMapper(new YAMLFactory()).readTree(in);
    }
  }

  @Test
  void sameInputsGiveByteIdenticalFiles() throws IOException {
    Generator.generate(new GeneratorOptions(3_000, 42L, dirB, RUN, 0.004));
    List<Path> files;
    try (Stream<Path> s = Files.walk(dirA)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    assertTrue(files.size() >= 15, "13 extracts + 2 sidecars");
    for (Path f : files) {
      Path other = dirB.resolve(dirA.relativize(f));
      assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(other), "differs: " + dirA.relativize(f));
    }
    // and a different seed gives different data
    Path dirC = dirB.resolve("seed43");
    Generator.generate(new GeneratorOptions(3_000, 43L, dirC, RUN, 0.004));
    assertFalse(java.util.Arrays.equals(Files.readAllBytes(dirA.resolve("gp_events.csv")),
        Files.readAllBytes(dirC.resolve("gp_events.csv"))));
  }

  @Test
  void everyContractFileExistsWithExactlyTheContractColumns() {
    int n = 0;
    for (JsonNode f : contract.get("files")) {
      String file = f.get("file").asText();
      Path p = dirA.resolve(file);
      assertTrue(Files.exists(p), "missing " + file);
      Csv csv = Csv.read(dirA, file);
      List<String> expected = new ArrayList<>();
      for (JsonNode c : f.get("columns")) expected.add(c.get("name").asText());
      assertEquals(expected, csv.header(), file);
      for (int i = 0; i < csv.rows().size(); i++) {
        assertEquals(expected.size(), csv.rows().get(i).length, file + " line " + Csv.line(i));
      }
      assertEquals(report.rows().get(file).longValue(), csv.rows().size(), "report row count " + file);
      n++;
    }
    assertEquals(13, n);
    assertFalse(Files.exists(dirA.resolve(Generator.INJECTED_ERRORS)), "sidecar must live in _meta/");
    assertTrue(Files.exists(dirA.resolve(Generator.META_DIR).resolve(Generator.REPORT)));
  }

  @Test
  void nhsNumbersPassModulus11ExceptInjectedOnesAndAreUnique() {
    Map<String, Map<Integer, String>> inj = Csv.injected(dirA);
    int checked = 0, invalidInjected = 0;
    for (JsonNode f : contract.get("files")) {
      String file = f.get("file").asText();
      Csv csv = Csv.read(dirA, file);
      for (JsonNode c : f.get("columns")) {
        if (!"nhs_number".equals(c.get("type").asText())) continue;
        int col = csv.col(c.get("name").asText());
        for (int i = 0; i < csv.rows().size(); i++) {
          String v = csv.rows().get(i)[col];
          String reason = inj.getOrDefault(file, Map.of()).get(Csv.line(i));
          if ("INVALID_NHS_NUMBER".equals(reason)) {
            assertFalse(NhsNumbers.isValid(v), file + " line " + Csv.line(i));
            invalidInjected++;
          } else {
            assertTrue(NhsNumbers.isValid(v), file + " line " + Csv.line(i));
            checked++;
          }
        }
      }
    }
    assertTrue(checked > 50_000);
    assertTrue(invalidInjected > 0);
    Csv pats = Csv.read(dirA, "gp_patients.csv");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < pats.rows().size(); i++) {
      if (Csv.isBad(inj, "gp_patients.csv", i)) continue;
      assertTrue(seen.add(pats.rows().get(i)[0]), "duplicate NHS number at line " + Csv.line(i));
    }
  }

  /**
   * Validates every row against the contract (required, types, allowed values, patterns, bounds, date limits,
   * references, simple row rules, duplicates): rows not in the sidecar must pass everything, rows in it must
   * fail exactly the listed reason.
   */
  @Test
  void injectedErrorsMatchSidecarAndAllOtherRowsAreValid() {
    Map<String, Map<Integer, String>> inj = Csv.injected(dirA);
    Map<String, Csv> files = new HashMap<>();
    for (JsonNode f : contract.get("files")) files.put(f.get("file").asText(), Csv.read(dirA, f.get("file").asText()));
    // reference sets from non-injected rows
    Map<String, Set<String>> refValues = new HashMap<>();
    int totalInjected = 0;
    Map<String, Integer> reasonsSeen = new HashMap<>();
    for (JsonNode f : contract.get("files")) {
      String file = f.get("file").asText();
      Csv csv = files.get(file);
      Map<Integer, String> bad = inj.getOrDefault(file, Map.of());
      List<String> keyCols = new ArrayList<>();
      if (f.has("key")) for (JsonNode k : f.get("key")) keyCols.add(k.asText());
      Map<String, String> byKey = new HashMap<>();
      for (int i = 0; i < csv.rows().size(); i++) {
        String[] r = csv.rows().get(i);
        Set<String> reasons = new TreeSet<>();
        for (JsonNode c : f.get("columns")) {
          String name = c.get("name").asText();
          String v = r[csv.col(name)];
          if (v.isEmpty()) {
            if (c.path("required").asBoolean(false)) reasons.add("MISSING_REQUIRED");
            continue;
          }
          String type = c.get("type").asText();
          switch (type) {
            case "nhs_number" -> {
              // a malformed number is a type error: the ingest quarantines it before any reference check
              if (!NhsNumbers.isValid(v)) { reasons.add("INVALID_NHS_NUMBER"); continue; }
            }
            case "date", "timestamp" -> {
              LocalDate d = parseDate(v, type);
              if (d == null) { reasons.add("INVALID_DATE"); continue; }
              if (c.has("not_after") && d.isAfter(RUN)) reasons.add("OUT_OF_RANGE " + name);
              if (c.has("not_before") && d.isBefore(LocalDate.parse(c.get("not_before").asText()))) reasons.add("OUT_OF_RANGE " + name);
            }
            case "int", "double" -> {
              double x;
              try {
                x = type.equals("int") ? Integer.parseInt(v) : Double.parseDouble(v);
              } catch (NumberFormatException e) { reasons.add("INVALID_NUMBER " + name); continue; }
              if (c.has("min") && x < c.get("min").asDouble()) reasons.add("OUT_OF_RANGE " + name);
              if (c.has("max") && x > c.get("max").asDouble()) reasons.add("OUT_OF_RANGE " + name);
            }
            default -> { }
          }
          if (c.has("allowed")) {
            Set<String> allowed = new HashSet<>();
            for (JsonNode a : c.get("allowed")) allowed.add(a.asText());
            if (!allowed.contains(v)) reasons.add("NOT_ALLOWED " + name + "=" + v);
          }
          if (c.has("pattern") && !Pattern.compile(c.get("pattern").asText()).matcher(v).find()) {
            reasons.add("PATTERN " + name + "=" + v);
          }
          if (c.has("references")) {
            String ref = c.get("references").asText();
            Set<String> vals = refValues.computeIfAbsent(ref, k -> referenceValues(contract, files, inj, k));
            if (!vals.contains(v)) reasons.add("UNKNOWN_REFERENCE");
          }
        }
        if (f.has("row_rules")) {
          for (JsonNode rule : f.get("row_rules")) {
            Matcher m = GE_RULE.matcher(rule.get("expr").asText());
            if (!m.matches()) continue;
            String a = r[csv.col(m.group(1))], b = r[csv.col(m.group(2))];
            String ta = columnType(f, m.group(1));
            LocalDateTime x = parseTs(a, ta), y = parseTs(b, columnType(f, m.group(2)));
            if (x != null && y != null && x.isBefore(y)) reasons.add(rule.get("reason").asText());
          }
        }
        String line = csv.lines().get(i);
        if (!keyCols.isEmpty()) {
          StringBuilder k = new StringBuilder();
          for (String kc : keyCols) k.append(r[csv.col(kc)]).append('\u0001');
          String prev = byKey.putIfAbsent(k.toString(), line);
          if (prev != null) reasons.add(prev.equals(line) ? "DUPLICATE" : "CONFLICTING_DUPLICATE");
        }
        String expected = bad.get(Csv.line(i));
        if (expected == null) {
          assertTrue(reasons.isEmpty(), file + " line " + Csv.line(i) + " not listed but fails " + reasons + ": " + line);
        } else {
          assertEquals(Set.of(expected), reasons, file + " line " + Csv.line(i) + ": " + line);
          totalInjected++;
          reasonsSeen.merge(expected, 1, Integer::sum);
        }
      }
    }
    int listed = inj.values().stream().mapToInt(Map::size).sum();
    assertEquals(listed, totalInjected, "every sidecar entry points at a data line of its file");
    assertEquals(report.injectedErrors().values().stream().mapToLong(Long::longValue).sum(), listed);
    for (String reason : List.of("INVALID_NHS_NUMBER", "UNKNOWN_REFERENCE", "INVALID_DATE", "DATE_ORDER", "DUPLICATE",
        "MISSING_REQUIRED")) {
      assertTrue(reasonsSeen.getOrDefault(reason, 0) > 0, "no injected " + reason + " in " + reasonsSeen);
    }
    long goodRows = report.rows().values().stream().mapToLong(Long::longValue).sum() - listed;
    double frac = (double) listed / goodRows;
    assertTrue(frac > 0.002 && frac < 0.006, "injected fraction " + frac + " for 0.004");
  }

  @Test
  void listSizesReconcileWithRegisteredPatients() {
    Map<String, Map<Integer, String>> inj = Csv.injected(dirA);
    Csv pats = Csv.read(dirA, "gp_patients.csv");
    Map<String, Integer> counted = new HashMap<>();
    for (int i = 0; i < pats.rows().size(); i++) {
      if (Csv.isBad(inj, "gp_patients.csv", i)) continue;
      String[] r = pats.rows().get(i);
      if (!r[pats.col("registration_end")].isEmpty() || !r[pats.col("date_of_death")].isEmpty()) continue;
      LocalDate dob = LocalDate.parse(r[pats.col("date_of_birth")]);
      int age = java.time.Period.between(dob, RUN).getYears();
      String band = age >= 95 ? "95+" : (age / 5 * 5) + "_" + (age / 5 * 5 + 4);
      String sex = r[pats.col("sex")].equals("M") ? "MALE" : "FEMALE";
      counted.merge(r[pats.col("practice_code")] + "|" + sex + "|" + band, 1, Integer::sum);
    }
    Csv ls = Csv.read(dirA, "list_sizes.csv");
    int total = 0, cells = 0;
    for (int i = 0; i < ls.rows().size(); i++) {
      if (Csv.isBad(inj, "list_sizes.csv", i)) continue;
      String[] r = ls.rows().get(i);
      assertEquals(RUN.toString(), r[0]);
      int n = Integer.parseInt(r[4]);
      assertEquals(counted.getOrDefault(r[1] + "|" + r[2] + "|" + r[3], 0).intValue(), n, String.join(",", r));
      total += n;
      cells++;
    }
    assertEquals(135 * 40, cells);
    assertEquals(3_000, total);
    assertEquals(3_000, report.registeredPatients());
    int[] alloc = Hierarchy.load().allocate(3_000);
    Map<String, Integer> perPractice = new HashMap<>();
    counted.forEach((k, v) -> perPractice.merge(k.substring(0, 6), v, Integer::sum));
    for (Hierarchy.Practice p : Hierarchy.load().practices()) {
      assertEquals(alloc[p.index()], perPractice.getOrDefault(p.code(), 0).intValue(), p.code());
    }
  }

  @Test
  void imdStandInIsConsistentAndCityIsMoreDeprived() {
    Csv imd = Csv.read(dirA, "imd_lsoa.csv");
    assertTrue(imd.rows().size() >= 650 && imd.rows().size() <= 750, "about 700 LSOAs: " + imd.rows().size());
    double citySum = 0, countySum = 0;
    int city = 0, county = 0, cityLow = 0;
    List<double[]> scoreRank = new ArrayList<>();
    for (String[] r : imd.rows()) {
      assertTrue(r[0].matches("^E019[0-9]{5}$"), r[0]);
      int rank = Integer.parseInt(r[4]), decile = Integer.parseInt(r[5]);
      assertEquals((int) Math.ceil(rank * 10.0 / Lsoas.ENGLISH_LSOAS), decile, "decile from rank " + rank);
      scoreRank.add(new double[] {Double.parseDouble(r[3]), rank});
      if (r[2].equals("Nottingham")) { citySum += decile; city++; if (decile <= 2) cityLow++; }
      else { countySum += decile; county++; }
    }
    // more deprived (lower rank) always has the higher score
    scoreRank.sort((a, b) -> Double.compare(a[1], b[1]));
    for (int i = 1; i < scoreRank.size(); i++) assertTrue(scoreRank.get(i)[0] <= scoreRank.get(i - 1)[0]);
    assertTrue(citySum / city < countySum / county - 1.5, "city mean decile " + citySum / city + " county " + countySum / county);
    assertTrue(cityLow > city * 0.35, "many City LSOAs in deciles 1-2: " + cityLow + "/" + city);
  }

  static String columnType(JsonNode f, String name) {
    for (JsonNode c : f.get("columns")) if (c.get("name").asText().equals(name)) return c.get("type").asText();
    throw new IllegalArgumentException(name);
  }

  static LocalDate parseDate(String v, String type) {
    try {
      return type.equals("timestamp") ? LocalDateTime.parse(v, TS).toLocalDate() : LocalDate.parse(v);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  static LocalDateTime parseTs(String v, String type) {
    if (v.isEmpty()) return null;
    try {
      return type.equals("timestamp") ? LocalDateTime.parse(v, TS) : LocalDate.parse(v).atStartOfDay();
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  static Set<String> referenceValues(JsonNode contract, Map<String, Csv> files, Map<String, Map<Integer, String>> inj,
                                     String ref) {
    String[] p = ref.split("\\.");
    for (JsonNode f : contract.get("files")) {
      if (!f.get("name").asText().equals(p[0])) continue;
      String file = f.get("file").asText();
      Csv csv = files.get(file);
      Set<String> out = new HashSet<>();
      for (int i = 0; i < csv.rows().size(); i++) if (!Csv.isBad(inj, file, i)) out.add(csv.rows().get(i)[csv.col(p[1])]);
      return out;
    }
    throw new IllegalArgumentException("unknown reference " + ref);
  }
}
