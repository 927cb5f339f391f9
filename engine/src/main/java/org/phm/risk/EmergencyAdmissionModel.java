package org.phm.risk;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.ntile;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.xxhash64;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.phm.linkage.LinkedModel;

/**
 * 12-month emergency admission risk model. Trained on a time split: features as of T−12 months,
 * label = at least one emergency admission in (T−12 months, T]; a seeded hash split puts
 * {@code train_fraction} of patients in training and the rest in a held-out test set. Fits a
 * standardised logistic regression (one-hot categorical features) and, if enabled, gradient-boosted
 * trees, keeping GBT only when it beats LR on held-out AUROC. The fitted model then scores features
 * as of T. Deterministic: the split is a hash of patient id and seed, and all learners are seeded.
 */
public final class EmergencyAdmissionModel {
  /** Model card long-format schema. */
  public static final StructType CARD_SCHEMA = new StructType()
      .add("section", DataTypes.StringType).add("group", DataTypes.StringType)
      .add("metric", DataTypes.StringType).add("value", DataTypes.DoubleType)
      .add("note", DataTypes.StringType);

  private static final String FEATURES = "features";
  private static final String LABEL = "label";

  /**
   * One design-matrix term: a numeric feature standardised with its training mean and standard deviation (nulls
   * count as 0 before scaling; a constant feature contributes 0), or, when {@code level} is set, the 0/1 indicator of
   * one level of a categorical feature. Plain values, so a saved model rebuilds exactly the expressions it was fitted
   * on ({@link ModelStore}).
   */
  public record Term(String name, String feature, String level, double mean, double sd) {
    static Term numeric(String feature, double mean, double sd) {
      return new Term(feature, feature, null, mean, sd);
    }

    static Term level(String feature, String level) {
      return new Term(feature + "=" + level, feature, level, 0, 0);
    }

    /** The term's value for a row of features. */
    public Column expr() {
      if (level != null) {
        return org.apache.spark.sql.functions.when(category(feature).equalTo(level), 1.0).otherwise(0.0);
      }
      Column x = coalesce(col(feature).cast("double"), lit(0.0));
      return sd > 0 ? x.minus(lit(mean)).divide(lit(sd)) : lit(0.0);
    }
  }

  private final List<Term> terms;
  private final LogisticRegressionModel lr;
  private final GBTClassificationModel gbt;
  private final boolean gbtSelected;
  private final List<Row> card;
  private final LocalDate featuresAsOf;
  private final LocalDate labelEnd;

  EmergencyAdmissionModel(List<Term> terms, LogisticRegressionModel lr, GBTClassificationModel gbt,
      boolean gbtSelected, List<Row> card, LocalDate featuresAsOf, LocalDate labelEnd) {
    this.terms = List.copyOf(terms);
    this.lr = lr;
    this.gbt = gbt;
    this.gbtSelected = gbtSelected;
    this.card = List.copyOf(card);
    this.featuresAsOf = featuresAsOf;
    this.labelEnd = labelEnd;
  }

  /** Design-matrix terms, in the order of the coefficients. */
  public List<Term> terms() {
    return terms;
  }

  LogisticRegressionModel logisticRegression() {
    return lr;
  }

  /** The gradient-boosted model, or null when GBT was disabled. */
  GBTClassificationModel gbt() {
    return gbt;
  }

  /** Date of the training features (the label window starts the day after). */
  public LocalDate featuresAsOf() {
    return featuresAsOf;
  }

  /** Last day of the training label window: the run date the model was trained for. */
  public LocalDate labelEnd() {
    return labelEnd;
  }

  /** "gbt" or "logistic_regression": the model that produces risk scores. */
  public String selectedModel() {
    return gbtSelected ? "gbt" : "logistic_regression";
  }

  /** Model card rows (section, group, metric, value, note). */
  public List<Row> cardRows() {
    return card;
  }

  /** Model card as a Dataset (small; built on the driver). */
  public Dataset<Row> modelCard(SparkSession spark) {
    return spark.createDataFrame(card, CARD_SCHEMA);
  }

  /** Held-out metric from the card's summary section (e.g. {@code auroc_selected}, {@code auroc_baseline_age}). */
  public double summary(String metric) {
    return card.stream().filter(r -> r.getString(0).equals("summary") && r.getString(2).equals(metric))
        .mapToDouble(r -> r.isNullAt(3) ? Double.NaN : r.getDouble(3)).findFirst().orElse(Double.NaN);
  }

  /**
   * Trains on features at {@code runDate − 12 months} and labels in (runDate − 12 months, runDate].
   *
   * @throws IllegalStateException when the training window has no positives or no negatives
   */
  public static EmergencyAdmissionModel train(LinkedModel model, LocalDate runDate, RiskConfig config) {
    return train(model, runDate, config, PatientFeatures.build(model, trainingAsOf(runDate), config));
  }

  /** Date of the training features: 12 months before the run date. */
  public static LocalDate trainingAsOf(LocalDate runDate) {
    return runDate.minusMonths(12);
  }

  /**
   * As {@link #train(LinkedModel, LocalDate, RiskConfig)}, with the features at {@link #trainingAsOf} already built
   * (the nightly builds them in one pass with the run date's).
   */
  public static EmergencyAdmissionModel train(LinkedModel model, LocalDate runDate, RiskConfig config,
      Dataset<Row> features) {
    LocalDate asOf = trainingAsOf(runDate);
    Dataset<Row> labels = model.spells()
        .filter(col("is_emergency")
            .and(col("admission_date").gt(lit(Date.valueOf(asOf))))
            .and(col("admission_date").leq(lit(Date.valueOf(runDate)))))
        .groupBy("patient_id").agg(max(lit(1.0)).as(LABEL));
    Dataset<Row> labelled = features.join(labels, new String[] {"patient_id"}, "left")
        .withColumn(LABEL, coalesce(col(LABEL), lit(0.0)));
    return fit(labelled, asOf, runDate, config);
  }

  /** Partitions of the training data: fixed, so the fitted model does not depend on the machine's cores. */
  static final int FIT_PARTITIONS = 8;

  /**
   * Fits on a labelled feature set (feature columns of {@link PatientFeatures} plus {@code label} 0/1).
   * Exposed for tests and what-if runs; {@link #train} is the normal entry point.
   */
  public static EmergencyAdmissionModel fit(Dataset<Row> labelled, LocalDate featuresAsOf, LocalDate labelEnd,
      RiskConfig config) {
    SparkSession spark = labelled.sparkSession();
    RiskConfig.ModelSettings ms = config.model();
    long cut = Math.round(ms.trainFraction() * 10_000);
    Column isTrain = pmod(xxhash64(col("patient_id"), lit(config.seed())), lit(10_000L)).lt(cut);
    // materialised with lineage cut: the feature plan is large and every later step would re-analyse it
    // canonical layout (fixed hash partitions, sorted by patient): MLlib's split-candidate sampling and the order of
    // floating-point sums depend on partitioning, so without it local[1], local[*] and a cluster fit different models
    Dataset<Row> base = labelled.withColumn("is_train", isTrain)
        .repartition(FIT_PARTITIONS, col("patient_id")).sortWithinPartitions("patient_id").localCheckpoint();
    try {
      Dataset<Row> train = base.filter(col("is_train"));
      Row counts = train.agg(count(lit(1)), org.apache.spark.sql.functions.sum(col(LABEL))).first();
      long nTrain = counts.getLong(0);
      double positives = counts.isNullAt(1) ? 0 : counts.getDouble(1);
      if (positives == 0 || positives == nTrain) {
        throw new IllegalStateException("risk model: cannot train, the training window (features as of "
            + featuresAsOf + ") has " + (long) positives + " emergency-admission positives among " + nTrain + " patients");
      }
      // fit on a deterministic hash sample of at most max_training_patients of the training split
      Column sampled = lit(true);
      boolean sampling = nTrain > ms.maxTrainingPatients();
      if (sampling) {
        long keep = Math.round((double) ms.maxTrainingPatients() / nTrain * 1_000_000);
        sampled = pmod(xxhash64(col("patient_id"), lit(config.seed() + 1L)), lit(1_000_000L)).lt(keep);
      }
      Dataset<Row> fitRows = train.filter(sampled);
      long nFit = sampling ? fitRows.count() : nTrain;
      List<Term> terms = design(fitRows, ms);
      VectorAssembler assembler = assembler(terms);
      Dataset<Row> designed = assembler.transform(withTerms(base.withColumn("is_fit", col("is_train").and(sampled)),
              terms))
          .select(col("patient_id"), col("is_train"), col("is_fit"), col(LABEL), col(FEATURES), col("age"), col("sex"),
              col("age_band"), col("imd_quintile"))
          .localCheckpoint();
      try {
        Dataset<Row> dTrain = designed.filter(col("is_fit"));
        Dataset<Row> dTest = designed.filter(col("is_train").equalTo(false));
        LogisticRegressionModel lr = new LogisticRegression()
            .setFeaturesCol(FEATURES).setLabelCol(LABEL)
            .setStandardization(false)
            .setMaxIter(ms.lrMaxIter()).setRegParam(ms.lrRegParam()).setElasticNetParam(ms.lrElasticNet())
            // one partition: MLlib merges per-partition gradient sums in task-completion order, so with several
            // partitions two runs on the same data differ in the last bits; the fit sample is capped
            // (max_training_patients), so one task is cheap
            .fit(dTrain.coalesce(1));
        GBTClassificationModel gbt = null;
        if (ms.gbtEnabled()) {
          gbt = new GBTClassifier()
              .setFeaturesCol(FEATURES).setLabelCol(LABEL)
              .setMaxIter(ms.gbtMaxIter()).setMaxDepth(ms.gbtMaxDepth()).setStepSize(ms.gbtStepSize())
              .setMaxBins(ms.gbtMaxBins()).setSeed(config.seed())
              .fit(dTrain);
        }
        Dataset<Row> scoredTest = probability(lr, dTest, "p_lr");
        if (gbt != null) {
          scoredTest = probability(gbt, scoredTest, "p_gbt");
        }
        // held-out AUROC/Brier of LR, GBT and the age-only baseline in one pass
        List<Column> candidates = new ArrayList<>();
        candidates.add(struct(lit("logistic_regression").as("m"), col("p_lr").as("s")));
        if (gbt != null) {
          candidates.add(struct(lit("gbt").as("m"), col("p_gbt").as("s")));
        }
        candidates.add(struct(lit("age").as("m"), col("age").cast("double").as("s")));
        Dataset<Row> stacked = scoredTest
            .select(col(LABEL), explode(array(candidates.toArray(Column[]::new))).as("x"))
            .select(col(LABEL), col("x.m").as("m"), col("x.s").as("s"));
        java.util.Map<String, Row> overall = new java.util.HashMap<>();
        ModelMetrics.byGroup(stacked, col("m"), "s", LABEL).collectAsList()
            .forEach(r -> overall.put(r.getString(0), r));
        double aucLr = overall.get("logistic_regression").getDouble(6);
        Double aucGbt = gbt == null ? null : overall.get("gbt").getDouble(6);
        boolean useGbt = aucGbt != null && aucGbt > aucLr;
        Dataset<Row> selected = scoredTest.withColumn("p", col(useGbt ? "p_gbt" : "p_lr"))
            .persist(StorageLevel.MEMORY_AND_DISK());
        try {
          List<Row> card = card(selected, overall, terms, lr, gbt, useGbt, nTrain, nFit, featuresAsOf, labelEnd, config);
          return new EmergencyAdmissionModel(terms, lr, gbt, useGbt, card, featuresAsOf, labelEnd);
        } finally {
          selected.unpersist();
        }
      } finally {
        designed.unpersist();
      }
    } finally {
      base.unpersist();
    }
  }

  /**
   * Scores features (as of the run date): adds {@code risk_score} (probability of at least one emergency
   * admission in the next 12 months) and {@code top_factor_1..3}: the logistic-regression terms with
   * the largest positive coefficient × standardised value (also when GBT produces the score).
   */
  public Dataset<Row> score(Dataset<Row> features) {
    String[] keep = features.columns();
    Dataset<Row> withTerms = withTerms(features, terms);
    Dataset<Row> scored = probability(gbtSelected ? gbt : lr, assembler(terms).transform(withTerms), "p");
    double[] coef = lr.coefficients().toArray();
    List<Column> contributions = new ArrayList<>();
    for (int i = 0; i < terms.size(); i++) {
      contributions.add(struct(col(termCol(i)).multiply(lit(coef[i])).as("c"), lit(terms.get(i).name()).as("f")));
    }
    // largest contribution first; the positive ones are a prefix (no lambda: Spark interprets those row by row)
    Column ranked = sort_array(array(contributions.toArray(Column[]::new)), false);
    List<Column> out = new ArrayList<>();
    for (String k : keep) {
      out.add(col(k));
    }
    out.add(col("p").as("risk_score"));
    for (int i = 1; i <= 3; i++) {
      Column ith = element_at(ranked, i);
      out.add(org.apache.spark.sql.functions.when(ith.getField("c").gt(0), ith.getField("f")).as("top_factor_" + i));
    }
    return scored.select(out.toArray(Column[]::new));
  }

  // --- design matrix ---------------------------------------------------------------------------

  private static List<Term> design(Dataset<Row> train, RiskConfig.ModelSettings ms) {
    List<Column> stats = new ArrayList<>();
    for (String f : ms.numericFeatures()) {
      Column x = coalesce(col(f).cast("double"), lit(0.0));
      stats.add(avg(x));
      stats.add(stddev_pop(x));
    }
    Row s = train.agg(stats.get(0), stats.subList(1, stats.size()).toArray(Column[]::new)).first();
    List<Term> terms = new ArrayList<>();
    for (int i = 0; i < ms.numericFeatures().size(); i++) {
      String f = ms.numericFeatures().get(i);
      double mean = s.getDouble(2 * i);
      double sd = s.isNullAt(2 * i + 1) ? 0 : s.getDouble(2 * i + 1);
      terms.add(Term.numeric(f, mean, sd));
    }
    if (!ms.categoricalFeatures().isEmpty()) {
      // levels of every categorical feature in one pass (small: a handful of values each)
      Column[] pairs = ms.categoricalFeatures().stream()
          .map(f -> struct(lit(f).as("f"), category(f).as("v"))).toArray(Column[]::new);
      List<Row> levels = train.select(explode(array(pairs)).as("x")).select("x.f", "x.v").distinct()
          .orderBy("f", "v").collectAsList();
      for (String f : ms.categoricalFeatures()) {
        List<String> fl = levels.stream().filter(r -> r.getString(0).equals(f)).map(r -> r.getString(1)).toList();
        for (int i = 1; i < fl.size(); i++) {
          terms.add(Term.level(f, fl.get(i)));
        }
      }
    }
    return List.copyOf(terms);
  }

  private static Column category(String f) {
    return coalesce(col(f).cast("string"), lit("Unknown"));
  }

  private static String termCol(int i) {
    return "__term_" + i;
  }

  private static Dataset<Row> withTerms(Dataset<Row> d, List<Term> terms) {
    List<Column> cols = new ArrayList<>();
    cols.add(col("*"));
    for (int i = 0; i < terms.size(); i++) {
      cols.add(terms.get(i).expr().cast("double").as(termCol(i)));
    }
    return d.select(cols.toArray(Column[]::new));
  }

  private static VectorAssembler assembler(List<Term> terms) {
    String[] in = new String[terms.size()];
    for (int i = 0; i < in.length; i++) {
      in[i] = termCol(i);
    }
    return new VectorAssembler().setInputCols(in).setOutputCol(FEATURES);
  }

  private static Dataset<Row> probability(ProbabilisticClassificationModel<Vector, ?> m, Dataset<Row> d, String out) {
    return m.transform(d)
        .withColumn(out, element_at(org.apache.spark.ml.functions.vector_to_array(col("probability"), "float64"), 2))
        .drop("rawPrediction", "probability", "prediction");
  }

  // --- model card ------------------------------------------------------------------------------

  private static List<Row> card(Dataset<Row> selected, java.util.Map<String, Row> overall, List<Term> terms,
      LogisticRegressionModel lr, GBTClassificationModel gbt, boolean useGbt,
      long nTrain, long nFit, LocalDate asOf, LocalDate labelEnd, RiskConfig config) {
    List<Row> rows = new ArrayList<>();
    Row all = overall.get(useGbt ? "gbt" : "logistic_regression");
    Row ageBaseline = overall.get("age");
    double ageAuc = ageBaseline.isNullAt(6) ? Double.NaN : ageBaseline.getDouble(6);
    double aucLr = overall.get("logistic_regression").getDouble(6);
    Double aucGbt = gbt == null ? null : overall.get("gbt").getDouble(6);
    String model = useGbt ? "gbt" : "logistic_regression";
    rows.add(card("summary", "ALL", "selected_model", null, model));
    rows.add(card("summary", "ALL", "features_as_of", null, asOf.toString()));
    rows.add(card("summary", "ALL", "label_window", null, "emergency admission in (" + asOf + ", " + labelEnd + "]"));
    rows.add(card("summary", "ALL", "seed", (double) config.seed(), null));
    rows.add(card("summary", "ALL", "n_train", (double) nTrain, null));
    rows.add(card("summary", "ALL", "n_fit", (double) nFit,
        nFit < nTrain ? "hash sample of the training split (max_training_patients)" : "whole training split"));
    rows.add(card("summary", "ALL", "n_test", ((Long) all.getAs("n")).doubleValue(), null));
    rows.add(card("summary", "ALL", "observed_rate_test", all.getAs("observed_rate"), null));
    rows.add(card("summary", "ALL", "auroc_logistic_regression", aucLr, null));
    rows.add(card("summary", "ALL", "auroc_gbt", aucGbt, gbt == null ? "GBT disabled" : null));
    rows.add(card("summary", "ALL", "auroc_selected", all.getAs("auroc"), model));
    rows.add(card("summary", "ALL", "brier_selected", all.getAs("brier"), model));
    rows.add(card("summary", "ALL", "auroc_baseline_age", Math.max(ageAuc, 1 - ageAuc),
        "age alone as the score (rank), as an age-only logistic regression would"));
    rows.add(card("coefficient", "intercept", "lr_coefficient", lr.intercept(), "log-odds"));
    double[] coef = lr.coefficients().toArray();
    double[] imp = gbt == null ? null : gbt.featureImportances().toArray();
    for (int i = 0; i < terms.size(); i++) {
      rows.add(card("coefficient", terms.get(i).name(), "lr_coefficient", coef[i], "per standard deviation (numeric) or vs reference level"));
      if (imp != null) {
        rows.add(card("importance", terms.get(i).name(), "gbt_importance", imp[i], null));
      }
    }
    List<Row> deciles = selected
        .withColumn("decile", ntile(10).over(Window.orderBy(col("p"), col("patient_id"))))
        .groupBy("decile").agg(avg(col("p")).as("mp"), avg(col(LABEL)).as("obs"), count(lit(1)).as("n"))
        .orderBy("decile").collectAsList();
    for (Row d : deciles) {
      String g = String.format(Locale.ROOT, "decile_%02d", d.getInt(0));
      rows.add(card("calibration", g, "mean_predicted", d.getDouble(1), null));
      rows.add(card("calibration", g, "observed_rate", d.getDouble(2), null));
      rows.add(card("calibration", g, "n", (double) d.getLong(3), null));
    }
    Column dims = array(
        org.apache.spark.sql.functions.concat(lit("sex="), coalesce(col("sex"), lit("Unknown"))),
        org.apache.spark.sql.functions.concat(lit("age_band="), coalesce(col("age_band"), lit("Unknown"))),
        org.apache.spark.sql.functions.concat(lit("imd_quintile="), coalesce(col("imd_quintile").cast("string"), lit("Unknown"))));
    Dataset<Row> byDim = selected.select(col("p"), col(LABEL), explode(dims).as("dim"));
    for (Row g : ModelMetrics.byGroup(byDim, col("dim"), "p", LABEL).orderBy("group").collectAsList()) {
      String name = g.getString(0);
      rows.add(card("performance", name, "n", (double) g.getLong(1), null));
      rows.add(card("performance", name, "observed_rate", g.getDouble(3), null));
      rows.add(card("performance", name, "mean_predicted", g.getDouble(4), null));
      rows.add(card("performance", name, "brier", g.getDouble(5), null));
      rows.add(card("performance", name, "auroc", g.isNullAt(6) ? null : g.getDouble(6),
          g.isNullAt(6) ? "one outcome class only" : null));
    }
    return List.copyOf(rows);
  }

  private static Row card(String section, String group, String metric, Double value, String note) {
    return RowFactory.create(section, group, metric, value, note);
  }
}
