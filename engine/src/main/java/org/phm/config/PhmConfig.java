package org.phm.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The run configuration: one YAML file (see {@code config/phm.example.yaml}), overridden by
 * environment variables ({@code PHM_*}) and then by command-line flags. Validated as a whole on
 * start so a nightly run fails at once, with every problem listed, rather than hours in.
 */
public record PhmConfig(
    @JsonProperty("input_dir") String inputDir,
    @JsonProperty("packs_dir") String packsDir,
    @JsonProperty("run_date") String runDate,
    @JsonProperty("spark_master") String sparkMaster,
    @JsonProperty("shuffle_partitions") Integer shufflePartitions,
    @JsonProperty("retention") Integer retention,
    @JsonProperty("pseudonymisation_key_file") String keyFile,
    @JsonProperty("pseudonymisation_key_env") String keyEnv,
    @JsonProperty("demo") Boolean demo,
    @JsonProperty("suppression_threshold") Integer suppressionThreshold,
    @JsonProperty("max_quarantined_fraction") Double maxQuarantinedFraction,
    @JsonProperty("max_source_age_days") Integer maxSourceAgeDays,
    @JsonProperty("risk_config") String riskConfig,
    @JsonProperty("risk_model") String riskModel,
    @JsonProperty("indicator_catalogue") String indicatorCatalogue,
    @JsonProperty("cohorts") String cohorts,
    @JsonProperty("log_format") String logFormat) {

  /** Defaults for every setting not given anywhere. */
  public static PhmConfig defaults() {
    return new PhmConfig(null, "packs", null, null, null, 7, null, "PHM_PSEUDONYMISATION_KEY", false, 7, 0.05,
        null, null, null, null, null, "auto");
  }

  /** Environment variable for each setting (PHM_ + upper-case name). */
  public static final Map<String, String> ENV = Map.ofEntries(
      Map.entry("input_dir", "PHM_INPUT_DIR"), Map.entry("packs_dir", "PHM_PACKS_DIR"),
      Map.entry("run_date", "PHM_RUN_DATE"), Map.entry("spark_master", "PHM_SPARK_MASTER"),
      Map.entry("shuffle_partitions", "PHM_SHUFFLE_PARTITIONS"), Map.entry("retention", "PHM_RETENTION"),
      Map.entry("pseudonymisation_key_file", "PHM_PSEUDONYMISATION_KEY_FILE"),
      Map.entry("demo", "PHM_DEMO"), Map.entry("suppression_threshold", "PHM_SUPPRESSION_THRESHOLD"),
      Map.entry("max_quarantined_fraction", "PHM_MAX_QUARANTINED_FRACTION"),
      Map.entry("max_source_age_days", "PHM_MAX_SOURCE_AGE_DAYS"), Map.entry("risk_model", "PHM_RISK_MODEL"),
      Map.entry("log_format", "PHM_LOG_FORMAT"));

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** Reads a config file; unknown keys and wrong types are errors naming the file and key. */
  public static PhmConfig load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("configuration file " + file + " does not exist");
    }
    try {
      PhmConfig c = YAML.readValue(file.toFile(), PhmConfig.class);
      return c == null ? defaults() : defaults().overlay(c);
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException(file + ": unknown setting '" + e.getPropertyName() + "' (known: "
          + e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")) + ")");
    } catch (JsonMappingException e) {
      String path = e.getPath().stream().map(JsonMappingException.Reference::getFieldName)
          .collect(Collectors.joining("."));
      throw new ConfigException(file + ": setting '" + path + "' has an invalid value: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ConfigException(file + ": not valid YAML: " + e.getMessage());
    }
  }

  /** Applies PHM_* environment variables on top of this configuration. */
  public PhmConfig withEnvironment(Map<String, String> env) {
    try {
      return overlay(new PhmConfig(
          env.get(ENV.get("input_dir")), env.get(ENV.get("packs_dir")), env.get(ENV.get("run_date")),
          env.get(ENV.get("spark_master")), integer(env, "shuffle_partitions"), integer(env, "retention"),
          env.get(ENV.get("pseudonymisation_key_file")), null, bool(env, "demo"),
          integer(env, "suppression_threshold"), dbl(env, "max_quarantined_fraction"),
          integer(env, "max_source_age_days"), null, env.get(ENV.get("risk_model")), null, null,
          env.get(ENV.get("log_format"))));
    } catch (NumberFormatException e) {
      throw new ConfigException("environment: " + e.getMessage());
    }
  }

  /** Settings of {@code o} that are non-null replace this configuration's. */
  public PhmConfig overlay(PhmConfig o) {
    return new PhmConfig(
        pick(o.inputDir, inputDir), pick(o.packsDir, packsDir), pick(o.runDate, runDate),
        pick(o.sparkMaster, sparkMaster), pick(o.shufflePartitions, shufflePartitions),
        pick(o.retention, retention), pick(o.keyFile, keyFile), pick(o.keyEnv, keyEnv), pick(o.demo, demo),
        pick(o.suppressionThreshold, suppressionThreshold), pick(o.maxQuarantinedFraction, maxQuarantinedFraction),
        pick(o.maxSourceAgeDays, maxSourceAgeDays), pick(o.riskConfig, riskConfig), pick(o.riskModel, riskModel),
        pick(o.indicatorCatalogue, indicatorCatalogue), pick(o.cohorts, cohorts), pick(o.logFormat, logFormat));
  }

  /** Every problem with the configuration; empty when valid. */
  public List<String> problems() {
    List<String> p = new ArrayList<>();
    if (inputDir == null || inputDir.isBlank()) {
      p.add("input_dir is not set (config file, PHM_INPUT_DIR or --input)");
    } else if (!Files.isDirectory(Path.of(inputDir))) {
      p.add("input_dir " + inputDir + " is not a directory");
    }
    if (packsDir == null || packsDir.isBlank()) {
      p.add("packs_dir is not set");
    }
    if (runDate != null) {
      try {
        LocalDate.parse(runDate);
      } catch (DateTimeParseException e) {
        p.add("run_date '" + runDate + "' is not a date (yyyy-MM-dd)");
      }
    }
    if (retention != null && retention < 1) {
      p.add("retention must be at least 1 (got " + retention + ")");
    }
    if (suppressionThreshold != null && (suppressionThreshold < 0 || suppressionThreshold > 100)) {
      p.add("suppression_threshold must be between 0 and 100 (got " + suppressionThreshold + ")");
    }
    if (maxQuarantinedFraction != null && (maxQuarantinedFraction < 0 || maxQuarantinedFraction > 1)) {
      p.add("max_quarantined_fraction must be between 0 and 1 (got " + maxQuarantinedFraction + ")");
    }
    if (shufflePartitions != null && shufflePartitions < 1) {
      p.add("shuffle_partitions must be positive");
    }
    if (!Boolean.TRUE.equals(demo) && keyFile == null && (keyEnv == null || System.getenv(keyEnv) == null)) {
      p.add("no pseudonymisation key: set pseudonymisation_key_file, or the environment variable "
          + (keyEnv == null ? "named by pseudonymisation_key_env" : keyEnv) + " (only demo mode runs without one)");
    }
    if (keyFile != null && !Files.isRegularFile(Path.of(keyFile))) {
      p.add("pseudonymisation_key_file " + keyFile + " does not exist");
    }
    for (String f : new String[] {riskConfig, indicatorCatalogue, cohorts}) {
      if (f != null && !Files.isRegularFile(Path.of(f))) {
        p.add("definition file " + f + " does not exist");
      }
    }
    if (riskModel != null && !Files.isRegularFile(Path.of(riskModel, "model.json"))) {
      p.add("risk_model " + riskModel + " is not a saved model directory (no model.json; phm train writes one)");
    }
    if (logFormat != null && !List.of("auto", "json", "text").contains(logFormat)) {
      p.add("log_format must be auto, json or text (got " + logFormat + ")");
    }
    return p;
  }

  /** Throws {@link ConfigException} listing every problem. */
  public PhmConfig validated() {
    List<String> p = problems();
    if (!p.isEmpty()) {
      throw new ConfigException("invalid configuration:\n  - " + String.join("\n  - ", p));
    }
    return this;
  }

  public LocalDate effectiveRunDate() {
    return runDate == null ? LocalDate.now() : LocalDate.parse(runDate);
  }

  private static <T> T pick(T preferred, T fallback) {
    return preferred != null ? preferred : fallback;
  }

  private static Integer integer(Map<String, String> env, String key) {
    String v = env.get(ENV.get(key));
    if (v == null) {
      return null;
    }
    try {
      return Integer.valueOf(v.strip());
    } catch (NumberFormatException e) {
      throw new NumberFormatException(ENV.get(key) + "='" + v + "' is not a whole number");
    }
  }

  private static Double dbl(Map<String, String> env, String key) {
    String v = env.get(ENV.get(key));
    if (v == null) {
      return null;
    }
    try {
      return Double.valueOf(v.strip());
    } catch (NumberFormatException e) {
      throw new NumberFormatException(ENV.get(key) + "='" + v + "' is not a number");
    }
  }

  private static Boolean bool(Map<String, String> env, String key) {
    String v = env.get(ENV.get(key));
    return v == null ? null : Boolean.valueOf(v.strip());
  }
}
