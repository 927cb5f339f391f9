package org.phm.notebooks;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.util.Base64;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import tech.tablesaw.api.Table;

/**
 * Turns a cell's value into Jupyter display data: SVG charts, HTML tables (Tablesaw tables and Spark
 * results, first rows), HTML, Markdown, PNG bytes, anything else as text.
 */
public final class Display {
  /** Rows of a table shown inline. */
  public static final int MAX_ROWS = 50;

  /** HTML shown as is. */
  public record Html(String html) {}

  /** Markdown shown rendered. */
  public record Markdown(String markdown) {}

  /** An SVG image (see {@link Charts}). */
  public record Svg(String svg) {
    @Override
    public String toString() {
      return "<svg chart, " + svg.length() + " characters>";
    }
  }

  private Display() {}

  public static DisplayData render(Object value) {
    DisplayData d = new DisplayData();
    if (value instanceof Svg s) {
      d.putSVG(s.svg());
      d.putText(s.toString());
    } else if (value instanceof Html h) {
      d.putHTML(h.html());
      d.putText(h.html().replaceAll("<[^>]+>", " ").replaceAll("\\s+", " ").strip());
    } else if (value instanceof Markdown m) {
      d.putMarkdown(m.markdown());
      d.putText(m.markdown());
    } else if (value instanceof Table t) {
      d.putHTML(html(t, MAX_ROWS));
      d.putText(t.rowCount() > MAX_ROWS ? t.first(MAX_ROWS).print() : t.print());
    } else if (value instanceof Dataset<?> ds) {
      @SuppressWarnings("unchecked")
      Table t = Tables.fromSpark(((Dataset<Row>) ds).toDF(), MAX_ROWS + 1);
      d.putHTML(html(t, MAX_ROWS));
      d.putText(t.first(MAX_ROWS).print());
    } else if (value instanceof byte[] b && b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N') {
      d.putData("image/png", Base64.getEncoder().encodeToString(b));
      d.putText("<png image, " + b.length + " bytes>");
    } else {
      d.putText(String.valueOf(value));
    }
    return d;
  }

  /** A Tablesaw table as an HTML table (first {@code maxRows} rows; numbers right-aligned). */
  public static String html(Table t, int maxRows) {
    StringBuilder sb = new StringBuilder("<table class=\"phm\"><thead><tr>");
    for (String c : t.columnNames()) {
      sb.append("<th>").append(escape(c)).append("</th>");
    }
    sb.append("</tr></thead><tbody>");
    int rows = Math.min(maxRows, t.rowCount());
    for (int r = 0; r < rows; r++) {
      sb.append("<tr>");
      for (int c = 0; c < t.columnCount(); c++) {
        var col = t.column(c);
        boolean num = col instanceof tech.tablesaw.api.NumericColumn<?>;
        sb.append(num ? "<td style=\"text-align:right\">" : "<td>")
            .append(col.isMissing(r) ? "" : escape(col.getString(r))).append("</td>");
      }
      sb.append("</tr>");
    }
    sb.append("</tbody></table>");
    if (t.rowCount() > maxRows) {
      sb.append("<p><i>first ").append(maxRows).append(" rows shown</i></p>");
    }
    return sb.toString();
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
