package org.phm.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine's code lists (classpath {@code /codelists/*.csv}) as the generator needs them:
 * condition id to SNOMED codes, observation id to code, eFI deficit id to codes. The generator never
 * invents clinical codes; a missing id fails with the file and id named.
 */
final class Codes {
  final Map<String, List<String>> conditions = new LinkedHashMap<>();
  final Map<String, String> observations = new LinkedHashMap<>();
  final Map<Integer, List<String>> deficits = new LinkedHashMap<>();

  static Codes load() {
    Codes c = new Codes();
    for (List<String> r : read("/codelists/conditions.csv", "condition_id")) {
      c.conditions.computeIfAbsent(r.get(0), k -> new ArrayList<>()).add(r.get(3));
    }
    for (List<String> r : read("/codelists/observations.csv", "observation_id")) {
      c.observations.put(r.get(0), r.get(2));
    }
    for (List<String> r : read("/codelists/efi_deficits.csv", "deficit_id")) {
      c.deficits.computeIfAbsent(Integer.parseInt(r.get(0)), k -> new ArrayList<>()).add(r.get(2));
    }
    return c;
  }

  List<String> condition(String id) {
    List<String> l = conditions.get(id);
    if (l == null || l.isEmpty()) throw new IllegalStateException("/codelists/conditions.csv: no codes for condition_id " + id);
    return l;
  }

  String observation(String id) {
    String s = observations.get(id);
    if (s == null) throw new IllegalStateException("/codelists/observations.csv: no code for observation_id " + id);
    return s;
  }

  List<String> deficit(int id) {
    List<String> l = deficits.get(id);
    if (l == null || l.isEmpty()) throw new IllegalStateException("/codelists/efi_deficits.csv: no codes for deficit_id " + id);
    return l;
  }

  private static List<List<String>> read(String resource, String firstColumn) {
    try (InputStream in = Codes.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("classpath resource " + resource + " not found (engine code lists)");
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String header = r.readLine();
      if (header == null || !header.startsWith(firstColumn + ",")) {
        throw new IllegalStateException(resource + ": header must start with " + firstColumn);
      }
      List<List<String>> out = new ArrayList<>();
      String line;
      while ((line = r.readLine()) != null) if (!line.isBlank()) out.add(org.phm.codelists.CsvLine.cells(line));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(resource, e);
    }
  }
}
