package org.phm.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders docs/data-contracts.md from contracts/extracts.yaml, so the page and the contracts the ingest
 * enforces never diverge (a test compares the checked-in page with this rendering).
 *
 * <p>Regenerate with {@code java -cp <engine classpath> org.phm.ingest.ContractDocs docs/data-contracts.md}.
 */
public final class ContractDocs {
  private ContractDocs() {}

  /** Repository path of the generated page. */
  public static final String DOC_PATH = "docs/data-contracts.md";

  /** Writes the page (argument: output path, default docs/data-contracts.md). */
  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : DOC_PATH);
    Files.writeString(out, render(Contracts.load()), StandardCharsets.UTF_8);
    System.out.println("wrote " + out);
  }

  /** The Markdown page for these contracts. */
  public static String render(Contracts contracts) {
    StringBuilder b = new StringBuilder();
    b.append("# Input data contracts\n\n");
    b.append("<!-- Generated from engine/src/main/resources/").append(Contracts.RESOURCE)
        .append(" by org.phm.ingest.ContractDocs; do not edit by hand. -->\n\n");
    b.append("Contract schema version ").append(contracts.schemaVersion()).append(". The nightly input directory ")
        .append("holds one CSV file per extract below. Row-level problems quarantine the row (see ")
        .append("[data-quality.md](data-quality.md)); a missing required file or column stops the run.\n\n");
    b.append("## Common conventions\n\n");
    for (String line : conventions(contracts.yamlText())) {
      b.append(line).append('\n');
    }
    b.append("\n## Files\n\n");
    b.append("| extract | file | required | key | description |\n|---|---|---|---|---|\n");
    for (ExtractContract c : contracts.files()) {
      b.append("| [").append(c.name()).append("](#").append(c.name()).append(") | `").append(c.file())
          .append("` | ").append(c.required() ? "yes" : "no").append(" | ").append(key(c)).append(" | ")
          .append(cell(firstSentence(c.description()))).append(" |\n");
    }
    for (ExtractContract c : contracts.files()) {
      b.append("\n## ").append(c.name()).append("\n\n");
      b.append(c.description()).append("\n\n");
      b.append("File `").append(c.file()).append("` (or `").append(c.file()).append(".gz`), ")
          .append(c.required() ? "required" : "optional").append(". Key: ").append(key(c)).append(".\n\n");
      b.append("| column | type | required | rules | description |\n|---|---|---|---|---|\n");
      for (ColumnContract col : c.columns()) {
        b.append("| `").append(col.name()).append("` | ").append(col.type()).append(" | ")
            .append(col.required() ? "yes" : "no").append(" | ").append(cell(rules(col))).append(" | ")
            .append(cell(col.description())).append(" |\n");
      }
      if (!c.rowRules().isEmpty()) {
        b.append("\nRow rules (a row where the expression is false is quarantined; NULL passes):\n\n");
        b.append("| expression | reason | column |\n|---|---|---|\n");
        for (RowRule r : c.rowRules()) {
          b.append("| `").append(cell(r.expr())).append("` | ").append(r.reason()).append(" | `").append(r.column())
              .append("` |\n");
        }
      }
    }
    return b.toString();
  }

  /** The "Common conventions" part of the YAML's leading comment block, without the '#'. */
  static List<String> conventions(String yaml) {
    List<String> out = new ArrayList<>();
    boolean started = false;
    for (String line : yaml.lines().toList()) {
      if (!line.startsWith("#")) {
        break;
      }
      String text = line.length() > 1 ? line.substring(line.startsWith("# ") ? 2 : 1) : "";
      if (!started) {
        started = text.startsWith("Common conventions");
        continue;
      }
      out.add(text.stripTrailing());
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isBlank()) {
      out.remove(out.size() - 1);
    }
    if (out.isEmpty()) {
      throw new ContractException(Contracts.RESOURCE + ": the leading comment has no 'Common conventions' block");
    }
    return out;
  }

  private static String key(ExtractContract c) {
    return c.key().isEmpty() ? "none (no duplicate check)"
        : String.join(", ", c.key().stream().map(k -> "`" + k + "`").toList());
  }

  private static String rules(ColumnContract c) {
    List<String> r = new ArrayList<>();
    if (!c.allowed().isEmpty()) {
      r.add("one of " + String.join(", ", c.allowed().stream().map(a -> "`" + a + "`").toList()));
    }
    if (c.pattern() != null) {
      r.add("pattern `" + c.pattern() + "`");
    }
    if (c.min() != null) {
      r.add("min " + num(c.min()));
    }
    if (c.max() != null) {
      r.add("max " + num(c.max()));
    }
    if (c.notBefore() != null) {
      r.add("not before " + c.notBefore());
    }
    if (c.notAfterRunDate()) {
      r.add("not after the run date");
    }
    if (c.references() != null) {
      r.add("references [" + c.references() + "](#" + c.referencedFile() + ")");
    }
    if (c.isNhsNumber()) {
      r.add("valid NHS number; pseudonymised to `patient_id`");
    }
    return r.isEmpty() ? "" : String.join("; ", r);
  }

  private static String num(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }

  private static String firstSentence(String s) {
    int i = s.indexOf(". ");
    return i < 0 ? s : s.substring(0, i + 1);
  }

  private static String cell(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }
}
