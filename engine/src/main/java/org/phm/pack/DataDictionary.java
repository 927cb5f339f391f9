package org.phm.pack;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pack's data dictionary: every table and column a pack may contain, with description, unit,
 * allowed values, sensitivity and disclosure-control role. Loaded from the YAML files listed in
 * {@code dictionary/files.txt} on the classpath; the pack's {@code data_dictionary} table and
 * docs/data-dictionary.md are both rendered from it so they never diverge.
 */
public final class DataDictionary {

  /** One column. {@code role} is {@code count} (suppressible count), {@code derived} (withheld with its counts) or null. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = false)
  public record Column(String name, String type, String unit, List<String> allowed, String description, String role) {}

  /**
   * Secondary-suppression structure of a shareable table: each entry lists key columns; rows sharing
   * those keys are parts that add up to a total published elsewhere.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Suppression(List<List<String>> groups) {}

  /** One table. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Table(
      String name, String sensitivity, String description, List<Column> columns, Suppression suppression) {

    public Optional<Column> column(String columnName) {
      return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
    }

    /** Shareable and holding counts: passes through small-number suppression and gains a {@code suppressed} column. */
    public boolean suppressible() {
      return Sensitivity.SHAREABLE.name().equals(sensitivity) && !columnsWithRole("count").isEmpty();
    }

    /** The columns as written to a pack (with {@code suppressed} for suppressible tables). */
    public List<Column> packColumns() {
      List<Column> cols = new ArrayList<>(columns);
      if (suppressible()) {
        cols.add(SUPPRESSED_COLUMN);
      }
      return cols;
    }

    public List<String> columnsWithRole(String role) {
      return columns.stream().filter(c -> role.equals(c.role())).map(Column::name).toList();
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = false)
  private record DictionaryFile(List<Table> tables) {}

  /** Column added by the suppression step to every shareable table. */
  public static final Column SUPPRESSED_COLUMN =
      new Column("suppressed", "boolean", null, null,
          "True when counts in this row were withheld (small-number suppression, primary or secondary)", null);

  private final Map<String, Table> tables;

  private DataDictionary(Map<String, Table> tables) {
    this.tables = tables;
  }

  public static DataDictionary load() {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    Map<String, Table> all = new LinkedHashMap<>();
    for (String file : resourceLines("dictionary/files.txt")) {
      String path = "dictionary/" + file;
      try (InputStream in = resource(path)) {
        DictionaryFile df = yaml.readValue(in, DictionaryFile.class);
        for (Table t : df.tables()) {
          if (t.name() == null || t.columns() == null) {
            throw new PackException("data dictionary " + path + ": a table without name or columns");
          }
          Sensitivity.valueOf(t.sensitivity());
          if (all.putIfAbsent(t.name(), t) != null) {
            throw new PackException("data dictionary: table " + t.name() + " defined twice (" + path + ")");
          }
        }
      } catch (IOException e) {
        throw new PackException("data dictionary " + path + " is invalid: " + e.getMessage(), e);
      } catch (IllegalArgumentException e) {
        throw new PackException("data dictionary " + path + ": " + e.getMessage(), e);
      }
    }
    return new DataDictionary(all);
  }

  public Optional<Table> table(String name) {
    return Optional.ofNullable(tables.get(name));
  }

  public List<Table> tables() {
    return new ArrayList<>(tables.values());
  }

  private static InputStream resource(String path) {
    InputStream in = DataDictionary.class.getClassLoader().getResourceAsStream(path);
    if (in == null) {
      throw new PackException("data dictionary resource missing from classpath: " + path);
    }
    return in;
  }

  private static List<String> resourceLines(String path) {
    try (InputStream in = resource(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Renders the dictionary as Markdown (docs/data-dictionary.md is this text). */
  public String toMarkdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("# Pack data dictionary\n\n");
    sb.append("Generated from `engine/src/main/resources/dictionary/*.yaml` by `phm docs`; ");
    sb.append("every pack carries the same content as its `data_dictionary` table. Do not edit by hand.\n\n");
    sb.append("Sensitivity: SHAREABLE tables are small-number suppressed (counts 1–7 and secondary; such tables ");
    sb.append("carry a `suppressed` column) and may ");
    sb.append("be shared with places; INTERNAL tables are aggregates for the ICS PHM team; RESTRICTED tables ");
    sb.append("are patient-level (pseudonymised) and live in the pack's `restricted/` area; DATA_QUALITY ");
    sb.append("tables describe the inputs.\n\n");
    for (Table t : tables.values()) {
      sb.append("## ").append(t.name()).append("\n\n");
      sb.append("Sensitivity: ").append(t.sensitivity()).append(". ").append(t.description().strip()).append("\n\n");
      sb.append("| column | type | unit | allowed values | description |\n|---|---|---|---|---|\n");
      for (Column c : t.packColumns()) {
        sb.append("| ").append(c.name()).append(" | ").append(c.type()).append(" | ")
            .append(c.unit() == null ? "" : c.unit()).append(" | ")
            .append(c.allowed() == null ? "" : String.join(", ", c.allowed())).append(" | ")
            .append(c.description() == null ? "" : c.description().replace("|", "\\|").strip())
            .append(c.role() == null ? "" : " *(" + c.role() + ")*")
            .append(" |\n");
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
