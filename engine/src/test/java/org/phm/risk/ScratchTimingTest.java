package org.phm.risk;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.phm.spark.SharedSpark;

class ScratchTimingTest {
  @Test
  void time() {
    var spark = SharedSpark.get();
    long t0 = System.nanoTime();
    spark.range(10).count();
    long t1 = System.nanoTime();
    TestModels m = new TestModels();
    m.patient("A", LocalDate.of(1946, 11, 26), "F", 1, "P00001")
        .event("A", LocalDate.of(2020, 1, 1), "DIAGNOSIS", "161898004", null);
    var model = m.build(spark);
    RiskConfig c = RiskConfig.defaults();
    long t2 = System.nanoTime();
    var f = PatientFeatures.build(model, LocalDate.of(2026, 11, 25), c);
    long t3 = System.nanoTime();
    f.collectAsList();
    long t4 = System.nanoTime();
    f.collectAsList();
    long t5 = System.nanoTime();
    System.out.printf("TIMING warm %.1f config %.1f build %.1f collect1 %.1f collect2 %.1f%n",
        (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t4 - t3) / 1e9, (t5 - t4) / 1e9);
  }
}
