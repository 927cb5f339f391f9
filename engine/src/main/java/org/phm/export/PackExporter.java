package org.phm.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.SparkSession;
import org.phm.export.ExportData.Area;
import org.phm.pack.DataDictionary;
import org.phm.pack.PackException;
import org.phm.pack.PackReader;

/**
 * Exports the data pack of ICPs (places) and PCNs for their leads: one Excel workbook and/or one
 * self-contained offline HTML report per area, from a published pack's shareable tables only.
 * Small-number suppression was applied by the pack writer; every count is checked again before it is
 * written ({@link DisclosureGuard}), and an export stops rather than write a small unsuppressed count.
 */
public final class PackExporter {
  private PackExporter() {}

  /** Writes the requested exports and returns the files written, in order. */
  public static List<Path> export(SparkSession spark, Path pack, ExportRequest req) {
    PackReader reader = PackReader.open(pack);
    DisclosureGuard guard = new DisclosureGuard(req.suppressionThreshold(), dictionaryCounts());
    TableData hierarchy = ExportData.hierarchy(spark, reader);
    checkHierarchy(hierarchy, guard);
    List<Area> areas = resolve(hierarchy, req);
    ExportData data = ExportData.load(spark, reader, hierarchy, areas, guard);
    try {
      Files.createDirectories(req.outDir());
    } catch (IOException e) {
      throw new ExportException("cannot create output directory " + req.outDir() + ": " + e.getMessage(), e);
    }
    List<Path> written = new ArrayList<>();
    for (Area a : areas) {
      String base = reader.manifest().runDate() + "_" + a.level() + "_" + slug(a.name());
      if (req.formats().contains(Format.XLSX)) {
        Path f = req.outDir().resolve(base + ".xlsx");
        XlsxReport.write(data, a, f);
        written.add(f);
      }
      if (req.formats().contains(Format.HTML)) {
        Path f = req.outDir().resolve(base + ".html");
        HtmlReport.write(data, a, f);
        written.add(f);
      }
    }
    return written;
  }

  /** Count columns declared in the data dictionary (role: count), for the guard. */
  private static List<String> dictionaryCounts() {
    try {
      return DataDictionary.load().tables().stream()
          .flatMap(t -> t.columnsWithRole("count").stream()).distinct().toList();
    } catch (PackException e) {
      return List.of();
    }
  }

  private static void checkHierarchy(TableData h, DisclosureGuard guard) {
    for (String c : List.of("practice_code", "pcn_code", "pcn_name", "icp_code", "icp_name")) {
      if (!h.has(c)) {
        throw new ExportException("org_hierarchy has no column " + c + "; cannot resolve ICPs and PCNs");
      }
    }
    for (Object[] r : h.rows()) {
      guard.show(h.num(r, "list_size"), h.bool(r, "suppressed"), "org_hierarchy " + h.str(r, "practice_code"));
    }
  }

  /** ICPs then PCNs to export, matched by code or name (case-insensitive); "all" = every one. */
  static List<Area> resolve(TableData h, ExportRequest req) {
    Map<String, Area> icps = new LinkedHashMap<>();
    Map<String, Area> pcns = new LinkedHashMap<>();
    for (Object[] r : h.rows()) {
      String ics = h.str(r, "ics_code");
      String icsName = h.str(r, "ics_name");
      icps.putIfAbsent(h.str(r, "icp_code"), new Area("ICP", h.str(r, "icp_code"), h.str(r, "icp_name"), ics,
          icsName, ics, icsName, "PCN"));
      pcns.putIfAbsent(h.str(r, "pcn_code"), new Area("PCN", h.str(r, "pcn_code"), h.str(r, "pcn_name"),
          h.str(r, "icp_code"), h.str(r, "icp_name"), ics, icsName, "PRACTICE"));
    }
    List<Area> chosenIcps = pick("ICP", icps, req.icps(), null);
    List<Area> out = new ArrayList<>(chosenIcps);
    Set<String> icpCodes = new TreeSet<>();
    chosenIcps.forEach(a -> icpCodes.add(a.code()));
    out.addAll(pick("PCN", pcns, req.pcns(), icpCodes.isEmpty() ? null : icpCodes));
    return out;
  }

  private static List<Area> pick(String level, Map<String, Area> known, List<String> wanted, Set<String> withinParents) {
    List<Area> out = new ArrayList<>();
    for (String w : wanted) {
      String key = w.strip();
      if (key.equalsIgnoreCase("all")) {
        known.values().stream().filter(a -> withinParents == null || withinParents.contains(a.parentCode()))
            .sorted(java.util.Comparator.comparing(Area::code))
            .filter(a -> !out.contains(a)).forEach(out::add);
        continue;
      }
      Area match = known.values().stream()
          .filter(a -> key.equalsIgnoreCase(a.code()) || key.equalsIgnoreCase(a.name())).findFirst()
          .orElseThrow(() -> new ExportException.Usage("no " + level + " '" + key + "' in this pack; known " + level
              + "s: " + String.join(", ", known.values().stream().sorted(java.util.Comparator.comparing(Area::code))
                  .map(a -> a.name() + " (" + a.code() + ")").toList())));
      if (!out.contains(match)) {
        out.add(match);
      }
    }
    return out;
  }

  /** File-name-safe lower-case form of an area name. */
  static String slug(String s) {
    String x = s.toLowerCase(Locale.ROOT).replace("&", "and").replaceAll("[^a-z0-9]+", "-");
    return x.replaceAll("^-+|-+$", "");
  }
}
