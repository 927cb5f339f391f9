package org.phm.indicators;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.phm.indicators.IndicatorStage.PartSpec;

/**
 * Driver-side store of the collected aggregates: per part × period × level × area × breakdown, a total (or
 * n, Σx, Σx² for means; value and n for percentiles; per ESP2013 band for standardised methods). Practice
 * cells are rolled up to PCN, ICP and ICS as they are added (all these sums are additive).
 */
final class Aggregates {
  /** An area of a level, with its name and parent (the next level up; null for ICS and providers). */
  record Area(String level, String code, String name, String parentCode) {}

  private record Practice(String name, String pcn, String pcnName, String icp, String icpName, String ics,
      String icsName) {}

  private final Map<String, Practice> practices = new LinkedHashMap<>();
  private final Map<String, double[]> cells = new HashMap<>();
  private final Map<Integer, Set<String>> providers = new HashMap<>();
  private final Map<Integer, Set<String>> breakdowns = new HashMap<>();

  Aggregates(Dataset<Row> practiceDim) {
    for (Row r : practiceDim.select("practice_code", "practice_name", "pcn_code", "pcn_name", "icp_code", "icp_name",
        "ics_code", "ics_name").collectAsList()) {
      practices.put(r.getString(0), new Practice(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
          r.getString(5), r.getString(6), r.getString(7)));
    }
  }

  /** Areas of a geographic level (providers: those seen in any of the given parts), sorted by code. */
  List<Area> areas(String level, List<Integer> partIds) {
    Map<String, Area> out = new java.util.TreeMap<>();
    if (level.equals("PROVIDER")) {
      for (int id : partIds) {
        for (String p : providers.getOrDefault(id, Set.of())) {
          out.put(p, new Area(level, p, p, null));
        }
      }
      return new ArrayList<>(out.values());
    }
    for (Map.Entry<String, Practice> e : practices.entrySet()) {
      Practice p = e.getValue();
      switch (level) {
        case "PRACTICE" -> out.put(e.getKey(), new Area(level, e.getKey(), p.name(), p.pcn()));
        case "PCN" -> out.put(p.pcn(), new Area(level, p.pcn(), p.pcnName(), p.icp()));
        case "ICP" -> out.put(p.icp(), new Area(level, p.icp(), p.icpName(), p.ics()));
        case "ICS" -> out.put(p.ics(), new Area(level, p.ics(), p.icsName(), null));
        default -> throw new IllegalArgumentException(level);
      }
    }
    return new ArrayList<>(out.values());
  }

  /** ICS code an area belongs to (null for providers when the practices span several ICSs). */
  String icsOf(Area a) {
    return switch (a.level()) {
      case "ICS" -> a.code();
      case "ICP" -> practices.values().stream().filter(p -> p.icp().equals(a.code())).map(Practice::ics).findFirst().orElse(null);
      case "PCN" -> practices.values().stream().filter(p -> p.pcn().equals(a.code())).map(Practice::ics).findFirst().orElse(null);
      case "PRACTICE" -> practices.containsKey(a.code()) ? practices.get(a.code()).ics() : null;
      default -> {
        Set<String> all = new TreeSet<>();
        practices.values().forEach(p -> all.add(p.ics()));
        yield all.size() == 1 ? all.iterator().next() : null;
      }
    };
  }

  /** Breakdown (breakdown + '\u0001' + value) pairs seen in period 0 for the given parts, sorted. */
  Set<String> breakdowns(List<Integer> partIds) {
    Set<String> out = new TreeSet<>();
    partIds.forEach(id -> out.addAll(breakdowns.getOrDefault(id, Set.of())));
    return out;
  }

  /** Adds collected values; practice rows also count towards their PCN, ICP and ICS. band ≥ 0 = ESP band index. */
  void add(PartSpec p, int k, String level, String code, String b, String v, double[] values, int band) {
    if (level.equals("PROVIDER")) {
      providers.computeIfAbsent(p.id(), x -> new TreeSet<>()).add(code);
      accumulate(key(p.id(), k, level, code, b, v), values, band);
      return;
    }
    Practice pr = practices.get(code);
    if (pr == null) {
      return; // practice not in the hierarchy (cannot happen after linkage); not attributable
    }
    if (k == 0) {
      breakdowns.computeIfAbsent(p.id(), x -> new TreeSet<>()).add(b + '\u0001' + v);
    }
    accumulate(key(p.id(), k, "PRACTICE", code, b, v), values, band);
    accumulate(key(p.id(), k, "PCN", pr.pcn(), b, v), values, band);
    accumulate(key(p.id(), k, "ICP", pr.icp(), b, v), values, band);
    accumulate(key(p.id(), k, "ICS", pr.ics(), b, v), values, band);
  }

  /** Stores a non-additive result (percentile value and n) for one cell. */
  void put(PartSpec p, int k, String level, String code, String b, String v, double[] values) {
    if (level.equals("PROVIDER")) {
      providers.computeIfAbsent(p.id(), x -> new TreeSet<>()).add(code);
    }
    cells.put(key(p.id(), k, level, code, b, v), values.clone());
  }

  /** The stored values, or null when nothing was counted. */
  double[] get(int partId, int k, String level, String code, String b, String v) {
    return cells.get(key(partId, k, level, code, b, v));
  }

  private void accumulate(String key, double[] values, int band) {
    if (band >= 0 && band <= IndicatorStage.ESP_BANDS) {
      double[] a = cells.computeIfAbsent(key, x -> new double[IndicatorStage.ESP_BANDS + 1]);
      a[band] += values[0];
    } else {
      double[] a = cells.computeIfAbsent(key, x -> new double[values.length]);
      for (int i = 0; i < values.length; i++) {
        a[i] += values[i];
      }
    }
  }

  private static String key(int partId, int k, String level, String code, String b, String v) {
    return partId + "|" + k + "|" + level + "|" + code + "|" + b + "|" + v;
  }
}
