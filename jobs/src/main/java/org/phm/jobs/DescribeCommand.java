package org.phm.jobs;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.phm.config.ExitCode;
import org.phm.pack.DataDictionary;
import org.phm.pack.Manifest;
import org.phm.pack.PackException;
import org.phm.pack.PackReader;
import org.phm.query.PackCatalog;
import org.phm.query.ResultWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code phm describe TABLE}: a table's columns with type, unit, allowed values and meaning. */
@Command(name = "describe", mixinStandardHelpOptions = true,
    description = "Describe a pack table's columns from the data dictionary.")
final class DescribeCommand implements Callable<Integer> {
  @Mixin PackOptions packOptions;

  @Option(names = "--restricted", description = "Allow describing restricted (patient-level) tables")
  boolean restricted;

  @Parameters(index = "0", paramLabel = "TABLE", description = "Table name (see `phm tables`)")
  String table;

  @Override
  public Integer call() {
    PackReader reader = packOptions.open();
    DataDictionary dictionary = DataDictionary.load();
    PackCatalog catalog = new PackCatalog(reader, dictionary);
    Manifest.TableEntry entry;
    try {
      entry = reader.entry(table, restricted);
    } catch (PackException e) {
      throw new Phm.PhmExit(ExitCode.INVALID_CONFIGURATION, e.getMessage()
          + (e.getMessage().contains("restricted") ? " (--restricted)" : "; see `phm tables`"));
    }
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
    var def = dictionary.table(table);
    out.println(table + " (" + entry.sensitivity() + ", " + entry.rows() + " rows"
        + (entry.partitionBy().isEmpty() ? "" : ", partitioned by " + String.join(", ", entry.partitionBy())) + ")");
    if ("RESTRICTED".equals(entry.sensitivity())) {
      out.println("RESTRICTED: patient-level, pseudonymised; handle as RESTRICTED.");
    }
    if (def.isEmpty()) {
      out.println("(not described in this engine's data dictionary)");
      out.flush();
      return 0;
    }
    out.println(def.get().description().strip().replaceAll("\\s+", " "));
    out.println();
    List<String[]> rows = new ArrayList<>();
    for (PackCatalog.ColumnInfo c : catalog.columns(table, restricted)) {
      rows.add(new String[] {c.name(), c.type(), c.unit(), c.allowed(), c.description()});
    }
    ResultWriter.aligned(new String[] {"column", "type", "unit", "allowed", "description"}, rows,
        new boolean[5], out);
    out.flush();
    return 0;
  }
}
