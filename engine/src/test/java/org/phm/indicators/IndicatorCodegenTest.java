package org.phm.indicators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.phm.spark.GeneratedCode;
import org.phm.spark.SharedSpark;
import org.phm.spark.SparkSessions;

/**
 * The registered population's counting stage (every patient at every period end: features, part flags, breakdowns,
 * the partial aggregation) compiles, for the default catalogue, to methods within the JIT's size limit. Above it
 * Spark silently drops whole-stage code generation for the stage, the largest of the indicator stage: with the
 * features first read from per-period arrays it reached 8.6 KB and ran row by row (docs/performance.md, thirteenth
 * session). A catalogue change that pushes it over fails here rather than slowing the nightly.
 */
class IndicatorCodegenTest {

  @Test
  void theRegisteredPopulationCountCompilesWithinTheJitMethodLimit() throws Throwable {
    IndicatorTestModel data = new IndicatorTestModel(200, 5);
    SparkSession spark = SharedSpark.get();
    List<GeneratedCode.Stage> stages = GeneratedCode.stagesOf(spark, () -> IndicatorStage.run(spark,
        data.toModel(spark), IndicatorTestModel.RUN_DATE, IndicatorCatalogue.defaults()));
    // the stage that explodes each patient's period rows and aggregates them by period, area and breakdown
    List<GeneratedCode.Stage> counting = stages.stream()
        .filter(s -> s.plan().contains("Generate inline(") && s.plan().contains("HashAggregate(keys=[_k")).toList();
    System.out.println("registered-population counting stage, largest method (bytes): "
        + counting.stream().map(GeneratedCode.Stage::maxMethodBytes).toList());
    assertFalse(counting.isEmpty(), "no registered-population counting stage among " + stages.size() + " stages");
    assertEquals(List.of(), counting.stream().filter(s -> s.maxMethodBytes() > SparkSessions.JIT_METHOD_LIMIT)
        .map(s -> s.maxMethodBytes() + " bytes: " + s.top()).toList());
  }
}
