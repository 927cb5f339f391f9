package org.phm.jobs;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.phm.config.ExitCode;
import org.phm.pack.PackReader;
import org.phm.pack.Sensitivity;
import org.phm.query.ArrowExport;
import org.phm.query.PackQuery;
import org.phm.query.QueryError;
import org.phm.query.ResultWriter;
import org.phm.query.ResultWriter.Format;
import org.phm.spark.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code phm query}: Spark SQL over a pack. Every visible table is a view named after it; restricted
 * (patient-level) tables only with {@code --restricted}. SQL mistakes exit 2 with the position, no trace.
 */
@Command(name = "query", mixinStandardHelpOptions = true,
    description = "Run Spark SQL over a pack's tables (each table is a view; see `phm tables`).",
    footer = {"%nExamples:",
        "  phm query \"SELECT pcn_name, sum(list_size) FROM org_hierarchy GROUP BY pcn_name\"",
        "  phm query --format csv \"SELECT * FROM registered_population WHERE level = 'PCN'\" > pcn.csv",
        "  phm query --format arrow --out pop.arrow \"SELECT * FROM registered_population\""})
final class QueryCommand implements Callable<Integer> {
  @Mixin PackOptions packOptions;

  @Option(names = "--restricted", description = "Also expose restricted (patient-level) tables")
  boolean restricted;

  @Option(names = "--format", defaultValue = "table",
      description = "table | csv | json (JSON Lines) | parquet | arrow (default ${DEFAULT-VALUE})")
  String format;

  @Option(names = "--out", description = "Output file (required for parquet and arrow; csv/json default to stdout)")
  Path out;

  @Option(names = "--max-rows", defaultValue = "100", description = "Rows shown by --format table (default ${DEFAULT-VALUE})")
  int maxRows;

  @Option(names = {"-f", "--file"}, description = "Read the SQL statement from this file")
  Path sqlFile;

  @Parameters(arity = "0..1", paramLabel = "SQL", description = "The SQL statement")
  String sql;

  @Override
  public Integer call() throws IOException {
    Format fmt = parseFormat(format);
    String statement = sqlFile != null ? Files.readString(sqlFile, StandardCharsets.UTF_8) : sql;
    if (statement == null || statement.isBlank()) {
      throw new Phm.PhmExit(ExitCode.INVALID_CONFIGURATION, "give a SQL statement (or --file)");
    }
    if ((fmt == Format.PARQUET || fmt == Format.ARROW) && out == null) {
      throw new Phm.PhmExit(ExitCode.INVALID_CONFIGURATION, "--format " + format + " needs --out FILE");
    }
    if (maxRows < 1) {
      throw new Phm.PhmExit(ExitCode.INVALID_CONFIGURATION, "--max-rows must be at least 1");
    }
    PackReader reader = packOptions.open();
    PackQuery query = PackQuery.open(SparkSessions.getOrCreate("phm-query", null), reader, restricted);
    Dataset<Row> result;
    try {
      result = query.sql(statement);
    } catch (QueryError e) {
      System.err.println("phm: SQL " + e.display(statement));
      System.err.println("phm: tables: " + String.join(", ", query.views()) + " (see `phm tables`, `phm describe TABLE`)");
      return ExitCode.INVALID_CONFIGURATION.code();
    }
    if (restricted) {
      System.err.println("phm: RESTRICTED: patient-level tables are visible to this query ("
          + String.join(", ", restrictedNames(reader)) + "); treat the output as RESTRICTED");
    }
    try {
      long rows;
      switch (fmt) {
        case TABLE -> {
          PrintWriter w = stdout();
          rows = ResultWriter.table(result, maxRows, w);
          if (restricted) {
            w.println("(restricted tables were visible to this query)");
            w.flush();
          }
        }
        case CSV, JSON -> {
          PrintWriter w = out == null ? stdout()
              : new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8));
          rows = fmt == Format.CSV ? ResultWriter.csv(result, w) : ResultWriter.json(result, w);
          if (out != null) {
            w.close();
          }
        }
        case PARQUET -> rows = ResultWriter.parquet(result, out);
        case ARROW -> rows = ArrowExport.writeDataset(result, out);
        default -> throw new IllegalStateException(fmt.name());
      }
      if (out != null) {
        System.err.println("phm: wrote " + rows + " rows to " + out);
      }
    } catch (Exception e) { // Spark's AnalysisException is checked but thrown undeclared from Scala
      // some analysis errors surface only when the plan runs
      QueryError qe = QueryError.from(e, statement).orElse(null);
      if (qe == null) {
        throw e instanceof RuntimeException re ? re : new IllegalStateException(e.getMessage(), e);
      }
      System.err.println("phm: SQL " + qe.display(statement));
      return ExitCode.INVALID_CONFIGURATION.code();
    }
    return ExitCode.SUCCESS.code();
  }

  static Format parseFormat(String f) {
    try {
      return Format.valueOf(f.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new Phm.PhmExit(ExitCode.INVALID_CONFIGURATION,
          "unknown --format " + f + " (table, csv, json, parquet or arrow)");
    }
  }

  static java.util.List<String> restrictedNames(PackReader reader) {
    return reader.tables(true).stream().filter(t -> Sensitivity.RESTRICTED.name().equals(t.sensitivity()))
        .map(t -> t.name()).toList();
  }

  private static PrintWriter stdout() {
    return new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), false);
  }
}
