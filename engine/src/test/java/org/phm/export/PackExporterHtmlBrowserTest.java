package org.phm.export;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phm.spark.SharedSpark;

/**
 * HTML reports rendered in real headless Chromium: charts present with their data points, no console
 * messages (the report's Content-Security-Policy turns any network attempt into a logged violation),
 * screenshots saved under the module's build directory, figures checked against the pack.
 */
class PackExporterHtmlBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final SparkSession spark = SharedSpark.get();
  @TempDir static Path tmp;
  static Path pack;
  static List<Path> files;

  @BeforeAll
  static void export() {
    pack = ExportFixtures.shared(spark);
    files = ExportFixtures.timedExport(spark, new ExportRequest(List.of("all"), List.of("Mid Nottinghamshire PCN 1"),
        Set.of(Format.HTML, Format.XLSX), tmp.resolve("out"), 7),
        "html+xlsx export of 3 ICPs + 1 PCN");
  }

  static List<Path> html() {
    return files.stream().filter(f -> f.toString().endsWith(".html")).toList();
  }

  /** Build directory of this module (target-*), where screenshots are kept. */
  static Path buildDir() throws Exception {
    return Path.of(PackExporterHtmlBrowserTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .getParent();
  }

  record Run(int exit, String stdout, String stderr) {}

  static Run chromium(Path html, String... extra) throws Exception {
    if (!Files.isExecutable(CHROMIUM)) {
      fail("headless Chromium not found at " + CHROMIUM + ": run scripts/install-browser.sh (needs apt) first");
    }
    Path work = Files.createTempDirectory(tmp, "chromium");
    List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + work.resolve("profile"),
        "--enable-logging=stderr", "--log-level=0"));
    cmd.addAll(List.of(extra));
    cmd.add(html.toUri().toString());
    Path out = work.resolve("stdout");
    Path err = work.resolve("stderr");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("chromium timed out on " + html);
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static final java.util.Map<Path, Run> DOMS = new java.util.concurrent.ConcurrentHashMap<>();

  /** The rendered DOM of a report (one Chromium run per file, shared by the tests). */
  static Run dom(Path f) throws Exception {
    Run r = DOMS.get(f);
    if (r == null) {
      r = chromium(f, "--dump-dom", "--virtual-time-budget=2000");
      DOMS.put(f, r);
    }
    return r;
  }

  /** Console output of the page (CSP violations, script errors) as Chromium logs it. */
  static List<String> console(Run r) {
    return r.stderr().lines().filter(l -> l.contains(":CONSOLE")).toList();
  }

  @Test
  void consoleCheckDetectsABlockedNetworkRequest() throws Exception {
    // positive control: the same CSP with an external image must produce a logged violation
    Path bad = tmp.resolve("bad.html");
    Files.writeString(bad, "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" "
        + "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\"><title>x</title></head>"
        + "<body><img src=\"http://example.invalid/x.png\" alt=\"x\"></body></html>");
    Run r = chromium(bad, "--dump-dom");
    assertTrue(console(r).stream().anyMatch(l -> l.contains("Content Security Policy")),
        "Chromium did not log the CSP violation: " + r.stderr());
  }

  @Test
  void reportsRenderWithChartsAndNoConsoleMessages() throws Exception {
    assertEquals(4, html().size(), files.toString());
    for (Path f : html()) {
      Run r = dom(f);
      assertEquals(0, r.exit(), r.stderr());
      assertEquals(List.of(), console(r), "console messages (CSP violations or errors) in " + f.getFileName());
      String dom = r.stdout();
      assertTrue(dom.contains("<title>Population health data pack"), "title");
      Matcher svg = Pattern.compile("<svg role=\"img\" aria-labelledby=\"[^\"]+\"[^>]*data-chart=\"(\\w+)\" "
          + "data-points=\"(\\d+)\"[^>]*>(.*?)</svg>", Pattern.DOTALL).matcher(dom);
      int charts = 0;
      Set<String> kinds = new java.util.HashSet<>();
      while (svg.find()) {
        charts++;
        kinds.add(svg.group(1));
        String body = svg.group(3);
        int marks = count(body, "class=\"mark\"");
        assertEquals(Integer.parseInt(svg.group(2)), marks, "marks in a " + svg.group(1) + " chart of " + f);
        assertTrue(body.contains("<title id=") && body.contains("<desc id="), "SVG title and desc");
        if (!svg.group(1).equals("bars")) {
          assertTrue(marks > 0, "empty " + svg.group(1) + " chart in " + f);
        }
      }
      assertTrue(kinds.containsAll(Set.of("bars", "funnel", "trend")), kinds + " in " + f);
      assertTrue(charts >= 10, charts + " charts in " + f);
      // each chart has a table view
      assertTrue(count(dom, "Show as a table") >= charts, "table view per chart");
    }
  }

  @Test
  void barChartMarksMatchTheUnsuppressedPcnsInThePack() throws Exception {
    // independently from the pack: PCNs of ICP01 with a published DIAB_8CP value in the latest period
    var v = spark.read().parquet(pack.resolve("aggregate/indicator_values").toString())
        .filter(col("indicator_id").equalTo("DIAB_8CP").and(col("breakdown").equalTo("ALL"))
            .and(col("level").equalTo("PCN")).and(col("parent_code").equalTo("ICP01")));
    Object latest = v.agg(org.apache.spark.sql.functions.max("period_end")).first().get(0);
    long published = v.filter(col("period_end").equalTo(latest).and(col("suppressed").equalTo(false))).count();
    long withheld = v.filter(col("period_end").equalTo(latest).and(col("suppressed"))).count();
    assertTrue(withheld > 0, "fixture has a suppressed PCN");
    Path f = html().stream().filter(p -> p.getFileName().toString().contains("ICP_mid-nottinghamshire")).findFirst()
        .orElseThrow();
    String dom = dom(f).stdout();
    String name = "Diabetes: all 8 care processes";
    Matcher m = Pattern.compile("<svg [^>]*data-chart=\"bars\"[^>]*><title id=\"[^\"]+\">" + Pattern.quote(name)
        + ": each PCN[^<]*</title>(.*?)</svg>", Pattern.DOTALL).matcher(dom);
    assertTrue(m.find(), "PCN comparison chart for DIAB_8CP");
    // one bar per published PCN plus the ICP itself
    assertEquals(published + 1, count(m.group(1), "class=\"mark\""));
    assertEquals(withheld, count(m.group(1), "* withheld"));
  }

  @Test
  void reportsAreSelfContainedAndShowNoSmallCounts() throws Exception {
    for (Path f : html()) {
      String h = Files.readString(f, StandardCharsets.UTF_8);
      assertFalse(Pattern.compile("(?i)(src|href)\\s*=\\s*[\"']?\\s*(https?:|//)").matcher(h).find(),
          "external reference in " + f);
      assertFalse(Pattern.compile("(?i)<(link|img|iframe|object|embed)\\b").matcher(h).find(), "external element");
      assertFalse(h.contains("url("), "CSS url()");
      assertTrue(h.contains("http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'"), "CSP");
      assertFalse(h.contains(ExportFixtures.PATIENT_MARKER), "restricted data");
      // counts are written as integers in numeric cells; none may be 1..7
      Matcher small = Pattern.compile("<td class=\"n\">([1-7])</td>").matcher(h);
      assertFalse(small.find(), "small count visible in " + f.getFileName());
      assertTrue(h.contains("<td class=\"n\">*</td>"), "suppressed cells shown as *");
      assertTrue(h.contains("small-number suppression"), "suppression footnote");
      assertTrue(Pattern.compile("<span class=\"rag rag-(GREEN|AMBER|RED)\">[✔▲✖] (Green|Amber|Red) – ").matcher(h).find(),
          "RAG given as symbol and words in " + f.getFileName());
      for (String word : List.of("Trend: ", "95% CI", "IMD quintile", "1 (most deprived)", "Tier 1 · Frailty")) {
        assertTrue(h.contains(word), word + " in " + f.getFileName());
      }
      assertTrue(h.contains("@media print") && h.contains("size: A4"), "print CSS");
      assertTrue(h.contains("#0072B2") && h.contains("#E69F00"), "Okabe–Ito palette");
    }
  }

  @Test
  void screenshotsAreSavedAndNotBlank() throws Exception {
    Path dir = Files.createDirectories(buildDir().resolve("screenshots"));
    for (Path f : html()) {
      Path png = dir.resolve(f.getFileName().toString().replace(".html", ".png"));
      Files.copy(f, dir.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING); // for review
      Files.deleteIfExists(png);
      Run r = chromium(f, "--screenshot=" + png, "--window-size=1280,2000");
      assertEquals(0, r.exit(), r.stderr());
      assertTrue(Files.size(png) > 20_000, "screenshot " + png + " is " + Files.size(png) + " bytes");
      var img = javax.imageio.ImageIO.read(png.toFile());
      assertEquals(1280, img.getWidth());
      int dark = 0;
      for (int y = 0; y < img.getHeight(); y += 7) {
        for (int x = 0; x < img.getWidth(); x += 7) {
          int rgb = img.getRGB(x, y);
          if (((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff) < 300) {
            dark++;
          }
        }
      }
      assertTrue(dark > 500, "screenshot looks blank: " + dark + " dark samples");
      System.out.println("screenshot: " + png);
    }
  }

  static int count(String s, String needle) {
    int n = 0;
    for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + needle.length())) {
      n++;
    }
    return n;
  }
}
