package org.phm.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.phm.pack.DataDictionary;
import org.phm.pack.Manifest;
import org.phm.pack.PackReader;
import org.phm.pack.Sensitivity;

/**
 * What an analyst can find in a pack: its visible tables with sensitivity, row count and description,
 * and the columns of one table with type, unit, allowed values and meaning, taken from the manifest
 * and the data dictionary (no Spark needed).
 */
public final class PackCatalog {
  /** One table of a pack. {@code description} is empty if the dictionary does not know the table. */
  public record TableInfo(String name, String sensitivity, long rows, String description) {}

  /** One column of a table. */
  public record ColumnInfo(String name, String type, String unit, String allowed, String description) {}

  private final PackReader pack;
  private final DataDictionary dictionary;

  public PackCatalog(PackReader pack, DataDictionary dictionary) {
    this.pack = pack;
    this.dictionary = dictionary;
  }

  /** Tables visible to the caller, in manifest order. */
  public List<TableInfo> tables(boolean includeRestricted) {
    List<TableInfo> out = new ArrayList<>();
    for (Manifest.TableEntry t : pack.tables(includeRestricted)) {
      String description = dictionary.table(t.name()).map(d -> oneLine(d.description())).orElse("");
      out.add(new TableInfo(t.name(), t.sensitivity(), t.rows(), description));
    }
    return out;
  }

  /** Number of restricted tables hidden from a caller who did not ask for them. */
  public long hiddenRestricted() {
    return pack.manifest().tables().stream()
        .filter(t -> Sensitivity.RESTRICTED.name().equals(t.sensitivity())).count();
  }

  /**
   * The dictionary entry of {@code table} (which must be in the pack and visible), with the
   * {@code suppressed} column the pack writer adds to shareable tables.
   *
   * @throws org.phm.pack.PackException if the pack lacks the table or it is restricted and not asked for
   */
  public Optional<DataDictionary.Table> table(String table, boolean includeRestricted) {
    pack.entry(table, includeRestricted);
    return dictionary.table(table);
  }

  /** Columns of {@code table}; empty if the data dictionary does not describe it. */
  public List<ColumnInfo> columns(String table, boolean includeRestricted) {
    Optional<DataDictionary.Table> def = table(table, includeRestricted);
    if (def.isEmpty()) {
      return List.of();
    }
    List<DataDictionary.Column> cols = new ArrayList<>(def.get().columns());
    if (Sensitivity.SHAREABLE.name().equals(def.get().sensitivity())) {
      cols.add(DataDictionary.SUPPRESSED_COLUMN);
    }
    return cols.stream().map(c -> new ColumnInfo(c.name(), c.type(), nz(c.unit()),
        c.allowed() == null ? "" : String.join(", ", c.allowed()),
        oneLine(nz(c.description())) + (c.role() == null ? "" : " (" + c.role() + ")"))).toList();
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private static String oneLine(String s) {
    return s.strip().replaceAll("\\s+", " ");
  }
}
