package org.phm.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The shared row builders: defaults by type, and misspelt column names rejected rather than ignored. */
class TestRowsTest {
  private static final StructType SCHEMA = new StructType().add("patient_id", DataTypes.StringType)
      .add("age", DataTypes.IntegerType).add("registered", DataTypes.BooleanType).add("hba1c", DataTypes.DoubleType);

  @Test
  void rowFillsDefaultsByType() {
    Row r = TestRows.row(SCHEMA, TestRows.values("patient_id", "p1", "hba1c", 59.0));
    assertEquals("p1", r.getString(0));
    assertEquals(0, r.getInt(1));
    assertEquals(false, r.getBoolean(2));
    assertEquals(59.0, r.getDouble(3));
    Row n = TestRows.row(SCHEMA, TestRows.values("age", null));
    assertTrue(n.isNullAt(1), "an explicit null is kept, not defaulted");
    assertTrue(n.isNullAt(3));
  }

  @Test
  void unknownColumnsAndOddPairsFail() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TestRows.row(SCHEMA, TestRows.values("hba1cc", 59.0)));
    assertTrue(e.getMessage().contains("hba1cc"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TestRows.values("age"));
    assertEquals(List.of("age", "sex"), List.copyOf(TestRows.values("age", 1, "sex", "F").keySet()), "order kept");
  }

  @Test
  void datesAreNullSafe() {
    assertNull(TestRows.date(null));
    assertNull(TestRows.timestamp(null));
    assertEquals("2026-11-25", TestRows.date(LocalDate.of(2026, 11, 25)).toString());
    assertEquals(11, LinkedModelSchemas.ORG_HIERARCHY.size());
    assertEquals("list_size", LinkedModelSchemas.ORG_HIERARCHY.fieldNames()[10]);
  }
}
