package org.phm.jobs;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.phm.pack.DataDictionary;
import org.phm.pack.PackReader;
import org.phm.query.PackCatalog;
import org.phm.query.ResultWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code phm tables}: the tables of a pack with sensitivity, rows and description (no Spark). */
@Command(name = "tables", mixinStandardHelpOptions = true,
    description = "List a pack's tables: name, sensitivity, rows, description.")
final class TablesCommand implements Callable<Integer> {
  @Mixin PackOptions packOptions;

  @Option(names = "--restricted", description = "Also list restricted (patient-level) tables")
  boolean restricted;

  @Override
  public Integer call() {
    PackReader reader = packOptions.open();
    PackCatalog catalog = new PackCatalog(reader, DataDictionary.load());
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
    out.println("pack " + reader.dir().getFileName() + " (run " + reader.manifest().runId() + ", "
        + reader.manifest().runDate() + ")");
    List<String[]> rows = new ArrayList<>();
    for (PackCatalog.TableInfo t : catalog.tables(restricted)) {
      rows.add(new String[] {t.name(), t.sensitivity(), String.valueOf(t.rows()), t.description()});
    }
    ResultWriter.aligned(new String[] {"table", "sensitivity", "rows", "description"}, rows,
        new boolean[] {false, false, true, false}, out);
    long hidden = catalog.hiddenRestricted();
    if (restricted) {
      out.println("RESTRICTED tables are listed (patient-level, pseudonymised): handle their data as RESTRICTED.");
    } else if (hidden > 0) {
      out.println(hidden + " restricted (patient-level) table(s) not shown; use --restricted if you are authorised.");
    }
    out.flush();
    return 0;
  }
}
