package org.phm.risk;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.phm.config.ConfigException;
import org.phm.pack.PackWriter;

/**
 * Saved emergency-admission models. {@code phm train} fits a model and saves it here; the team reviews its model card
 * and approves it by pointing the nightly's {@code risk_model} setting at its directory. The nightly then scores with
 * that fixed model instead of refitting: scores stay comparable from night to night, a clinical-safety review covers
 * the model actually in use, and the nightly skips the training features and the fit.
 *
 * <p>A model directory is {@code <models>/<model id>/}: {@code model.json} (id, training window, selected learner,
 * the feature lists and design terms with their training means and standard deviations, the model card) and the
 * MLlib models in {@code logistic_regression/} and {@code gbt/}. The id is derived from the fitted model's content, so
 * the same data, configuration and seed give the same id; saving is atomic (a directory appears whole or not at all).
 */
public final class ModelStore {
  /** Format of {@code model.json}; a reader refuses a version it does not know. */
  public static final int FORMAT_VERSION = 1;
  /** The file that makes a directory a saved model. */
  public static final String MODEL_JSON = "model.json";
  private static final String LR_DIR = "logistic_regression";
  private static final String GBT_DIR = "gbt";

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ModelStore() {}

  /** A saved model as loaded: the id recorded in its {@code model.json} and the model. */
  public record Approved(String id, EmergencyAdmissionModel model) {}

  /** One model card row as saved ({@code value} may be null or NaN). */
  record CardRow(String section, String group, String metric, Double value, String note) {}

  /** The contents of {@code model.json}. */
  record Saved(
      @JsonProperty("format_version") int formatVersion,
      @JsonProperty("model_id") String modelId,
      @JsonProperty("saved_at") String savedAt,
      @JsonProperty("features_as_of") String featuresAsOf,
      @JsonProperty("label_end") String labelEnd,
      @JsonProperty("selected_model") String selectedModel,
      @JsonProperty("numeric_features") List<String> numericFeatures,
      @JsonProperty("categorical_features") List<String> categoricalFeatures,
      @JsonProperty("terms") List<EmergencyAdmissionModel.Term> terms,
      @JsonProperty("card") List<CardRow> card) {
    /** The same contents with the id and the time of saving set. */
    Saved identified(String id, String at) {
      return new Saved(formatVersion, id, at, featuresAsOf, labelEnd, selectedModel, numericFeatures,
          categoricalFeatures, terms, card);
    }
  }

  /**
   * Saves a fitted model under {@code modelsDir/<model id>} and returns that directory. If a model with the same id
   * is already there (the same fit saved before), it is kept and returned.
   */
  public static Path save(EmergencyAdmissionModel model, RiskConfig config, Path modelsDir) {
    List<CardRow> card = new ArrayList<>();
    for (Row r : model.cardRows()) {
      card.add(new CardRow(r.getString(0), r.getString(1), r.getString(2), r.isNullAt(3) ? null : r.getDouble(3),
          r.getString(4)));
    }
    Saved content = new Saved(FORMAT_VERSION, null, null, model.featuresAsOf().toString(),
        model.labelEnd().toString(), model.selectedModel(), config.model().numericFeatures(),
        config.model().categoricalFeatures(), model.terms(), card);
    String id = "eam-" + model.labelEnd() + "-" + digest(content).substring(0, 12);
    Saved saved = content.identified(id, Instant.now().toString());
    Path target = modelsDir.toAbsolutePath().resolve(id);
    if (Files.isRegularFile(target.resolve(MODEL_JSON))) {
      return target;
    }
    Path tmp = modelsDir.toAbsolutePath().resolve("." + id + ".tmp-" + ProcessHandle.current().pid());
    try {
      Files.createDirectories(modelsDir);
      PackWriter.deleteTree(tmp);
      Files.createDirectories(tmp);
      model.logisticRegression().write().overwrite().save(tmp.resolve(LR_DIR).toString());
      if (model.gbt() != null) {
        model.gbt().write().overwrite().save(tmp.resolve(GBT_DIR).toString());
      }
      Files.writeString(tmp.resolve(MODEL_JSON), JSON.writeValueAsString(saved), StandardCharsets.UTF_8);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
        PackWriter.deleteTree(tmp); // saved meanwhile by another run: the same model
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot move " + tmp + " into place atomically: " + e.getMessage(), e);
      }
      return target;
    } catch (IOException e) {
      throw new IllegalStateException("cannot save the risk model to " + modelsDir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Loads an approved model and checks that it was trained on the features the current risk configuration produces.
   *
   * @throws ConfigException when the directory is not a saved model, has an unknown format or its features differ
   */
  public static Approved load(Path dir, RiskConfig config) {
    Saved s = read(dir);
    if (!s.numericFeatures().equals(config.model().numericFeatures())
        || !s.categoricalFeatures().equals(config.model().categoricalFeatures())) {
      throw new ConfigException("risk_model " + dir + " (" + s.modelId() + ") was trained on numeric features "
          + s.numericFeatures() + " and categorical features " + s.categoricalFeatures()
          + ", but the risk configuration has " + config.model().numericFeatures() + " and "
          + config.model().categoricalFeatures() + ": train and approve a model for this configuration (phm train)");
    }
    boolean gbtSelected = "gbt".equals(s.selectedModel());
    Path gbtDir = dir.resolve(GBT_DIR);
    if (gbtSelected && !Files.isDirectory(gbtDir)) {
      throw new ConfigException("risk_model " + dir + ": selected model is gbt but " + gbtDir + " is missing");
    }
    List<Row> card = new ArrayList<>();
    for (CardRow r : s.card()) {
      card.add(RowFactory.create(r.section(), r.group(), r.metric(), r.value(), r.note()));
    }
    try {
      LogisticRegressionModel lr = LogisticRegressionModel.load(dir.resolve(LR_DIR).toString());
      GBTClassificationModel gbt = Files.isDirectory(gbtDir) ? GBTClassificationModel.load(gbtDir.toString()) : null;
      return new Approved(s.modelId(), new EmergencyAdmissionModel(s.terms(), lr, gbt, gbtSelected, card,
          LocalDate.parse(s.featuresAsOf()), LocalDate.parse(s.labelEnd())));
    } catch (RuntimeException e) {
      throw new ConfigException("risk_model " + dir + ": cannot read the fitted model: " + e.getMessage());
    }
  }

  private static Saved read(Path dir) {
    Path json = dir.resolve(MODEL_JSON);
    if (!Files.isRegularFile(json)) {
      throw new ConfigException("risk_model " + dir + " is not a saved model (no " + MODEL_JSON
          + "): give a directory written by phm train");
    }
    Saved s;
    try {
      s = JSON.readValue(json.toFile(), Saved.class);
    } catch (IOException e) {
      throw new ConfigException(json + ": not a readable saved model: " + e.getMessage());
    }
    if (s.formatVersion() != FORMAT_VERSION) {
      throw new ConfigException(json + ": format_version " + s.formatVersion() + ", this engine reads "
          + FORMAT_VERSION);
    }
    return s;
  }

  private static String digest(Saved content) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(JSON.writeValueAsBytes(content));
      return HexFormat.of().formatHex(h);
    } catch (NoSuchAlgorithmException | JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
