package org.phm.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.codegen.ByteCodeStats;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.util.QueryExecutionListener;
import org.junit.jupiter.api.function.Executable;
import scala.Tuple3;

/**
 * The whole-stage-generated stages of every Spark action some code runs, with the size of each stage's largest
 * generated method: above {@link SparkSessions#JIT_METHOD_LIMIT} Spark silently runs the stage without whole-stage
 * code generation, so tests use this to keep the large stages within it.
 */
public final class GeneratedCode {
  private GeneratedCode() {}

  /** One whole-stage-generated stage: its plan (first line = the top operator) and largest method in bytes. */
  public record Stage(String plan, int maxMethodBytes) {
    /** The top operator's line, shortened for messages. */
    public String top() {
      String line = plan.lines().findFirst().orElse("");
      return line.substring(0, Math.min(line.length(), 200));
    }
  }

  /** Runs {@code action} and returns the stages of the Spark actions it started (in the shared session). */
  public static List<Stage> stagesOf(SparkSession spark, Executable action) throws Throwable {
    List<SparkPlan> plans = Collections.synchronizedList(new ArrayList<>());
    QueryExecutionListener listener = new QueryExecutionListener() {
      @Override
      public void onSuccess(String funcName, QueryExecution qe, long durationNs) {
        plans.add(qe.executedPlan());
      }

      @Override
      public void onFailure(String funcName, QueryExecution qe, Exception exception) {}
    };
    spark.listenerManager().register(listener);
    try {
      action.execute();
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } finally {
      spark.listenerManager().unregister(listener);
    }
    List<Stage> stages = new ArrayList<>();
    for (SparkPlan plan : List.copyOf(plans)) {
      scala.collection.Iterator<Tuple3<String, String, ByteCodeStats>> it =
          org.apache.spark.sql.execution.debug.package$.MODULE$.codegenStringSeq(plan).iterator();
      while (it.hasNext()) {
        Tuple3<String, String, ByteCodeStats> stage = it.next();
        stages.add(new Stage(stage._1(), stage._3().maxMethodCodeSize()));
      }
    }
    return stages;
  }
}
