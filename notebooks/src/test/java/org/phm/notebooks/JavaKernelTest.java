package org.phm.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The kernel's cell evaluation, without Jupyter: values, state across cells, errors, rich display. */
class JavaKernelTest {
  private static JavaKernel kernel;

  @BeforeAll
  static void start() {
    kernel = new JavaKernel();
  }

  private static String text(DisplayData d) {
    return (String) d.getData(MIMEType.TEXT_PLAIN);
  }

  @Test
  void lastExpressionIsTheCellValueAndStateCarriesOver() throws Exception {
    assertNull(kernel.eval("int a = 20;\nint b = 22;"));
    assertEquals("42", text(kernel.eval("int c = a + b;\nc")));
    assertEquals("[1, 2, 3]", text(kernel.eval("List.of(1, 2, 3)")));
    assertNull(kernel.eval("System.out.println(\"side effect\");"));
    // a method declared in one cell is callable from the next
    kernel.eval("int twice(int x) { return 2 * x; }");
    assertEquals("84", text(kernel.eval("twice(c)")));
  }

  @Test
  void compileErrorsPointAtTheProblem() {
    JavaKernel.CellException e = assertThrows(JavaKernel.CellException.class,
        () -> kernel.eval("int ok = 1;\nString s = 42;"));
    List<String> lines = kernel.formatError(e);
    assertTrue(lines.get(0).startsWith("error: incompatible types"), lines.toString());
    assertEquals("  String s = 42;", lines.get(1));
    assertEquals("  " + " ".repeat(11) + "^", lines.get(2));
  }

  @Test
  void runtimeExceptionsNameTheExceptionAndStopTheCell() throws Exception {
    kernel.eval("int counter = 0;");
    JavaKernel.CellException e = assertThrows(JavaKernel.CellException.class,
        () -> kernel.eval("counter = 1;\nInteger.parseInt(\"x1\");\ncounter = 2;"));
    assertTrue(e.lines().get(0).startsWith("java.lang.NumberFormatException: For input string: \"x1\""),
        e.lines().toString());
    assertEquals("1", text(kernel.eval("counter")));
  }

  @Test
  void tablesAndChartsRenderRichly() throws Exception {
    DisplayData table = kernel.eval(
        "Table.create(\"t\", StringColumn.create(\"pcn\", \"A<B\", \"C\"), LongColumn.create(\"patients\", 5L, 7L))");
    String html = (String) table.getData(MIMEType.TEXT_HTML);
    assertTrue(html.contains("<th>pcn</th><th>patients</th>"), html);
    assertTrue(html.contains("<td>A&lt;B</td><td style=\"text-align:right\">5</td>"), html);
    DisplayData chart = kernel.eval("Charts.bars(\"x\", List.of(\"a\", \"b\"), new double[] {1, 2}, 1.5, \"mean\")");
    String svg = (String) chart.getData(MIMEType.IMAGE_SVG);
    assertTrue(svg.startsWith("<svg") && svg.contains("data-points=\"2\""), svg);
    assertEquals(2, svg.split("class=\"mark\"", -1).length - 1);
  }
}
