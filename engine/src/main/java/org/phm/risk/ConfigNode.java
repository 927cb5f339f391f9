package org.phm.risk;

import org.phm.config.ConfigException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A node of a parsed YAML definition file that knows its file and field path, so every validation
 * error names both (e.g. {@code risk.yaml: tiers[2].share: must be a number in (0, 1)}).
 */
public final class ConfigNode {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final JsonNode node;
  private final String source;
  private final String path;

  private ConfigNode(JsonNode node, String source, String path) {
    this.node = node;
    this.source = source;
    this.path = path;
  }

  /** Parses a YAML file from disk. */
  public static ConfigNode parse(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return parse(in, file.toString());
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** Parses a YAML file from the classpath. */
  public static ConfigNode parseResource(String resource) {
    try (InputStream in = ConfigNode.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new ConfigException(resource + ": not found on the classpath");
      }
      return parse(in, resource);
    } catch (IOException e) {
      throw new ConfigException(resource + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** Parses YAML text from a stream; {@code source} names it in errors. */
  public static ConfigNode parse(InputStream in, String source) {
    try {
      JsonNode root = YAML.readTree(in);
      if (root == null || !root.isObject()) {
        throw new ConfigException(source + ": expected a YAML mapping at the top level");
      }
      return new ConfigNode(root, source, "");
    } catch (IOException e) {
      throw new ConfigException(source + ": not valid YAML: " + e.getMessage(), e);
    }
  }

  public String source() {
    return source;
  }

  public String path() {
    return path;
  }

  /** An error naming this node's file and field. */
  public ConfigException error(String message) {
    return new ConfigException(source + ": " + (path.isEmpty() ? "" : path + ": ") + message);
  }

  private String childPath(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  public boolean has(String field) {
    return node.isObject() && node.has(field) && !node.get(field).isNull();
  }

  /** A required field. */
  public ConfigNode get(String field) {
    if (!node.isObject()) {
      throw error("expected a mapping");
    }
    if (!has(field)) {
      throw new ConfigException(source + ": " + childPath(field) + ": required field is missing");
    }
    return new ConfigNode(node.get(field), source, childPath(field));
  }

  /** Rejects fields other than those listed (catches typos). */
  public ConfigNode allowOnly(String... fields) {
    if (!node.isObject()) {
      throw error("expected a mapping");
    }
    Set<String> allowed = Set.of(fields);
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (!allowed.contains(n)) {
        throw new ConfigException(source + ": " + childPath(n) + ": unknown field (allowed: "
            + String.join(", ", fields) + ")");
      }
    }
    return this;
  }

  public boolean isList() {
    return node.isArray();
  }

  public boolean isMap() {
    return node.isObject();
  }

  public boolean isScalar() {
    return node.isValueNode();
  }

  public boolean isNumber() {
    return node.isNumber();
  }

  public boolean isNull() {
    return node.isNull();
  }

  public List<ConfigNode> list() {
    if (!node.isArray()) {
      throw error("expected a list");
    }
    List<ConfigNode> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      out.add(new ConfigNode(node.get(i), source, path + "[" + i + "]"));
    }
    return out;
  }

  public Map<String, ConfigNode> fields() {
    if (!node.isObject()) {
      throw error("expected a mapping");
    }
    Map<String, ConfigNode> out = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> out.put(e.getKey(), new ConfigNode(e.getValue(), source, childPath(e.getKey()))));
    return out;
  }

  public String text() {
    if (!node.isValueNode() || node.isNull()) {
      throw error("expected a text value");
    }
    String s = node.asText().strip();
    if (s.isEmpty()) {
      throw error("must not be empty");
    }
    return s;
  }

  public List<String> textList() {
    return list().stream().map(ConfigNode::text).toList();
  }

  public int intValue() {
    if (!node.isIntegralNumber()) {
      throw error("expected a whole number, got '" + node.asText() + "'");
    }
    return node.intValue();
  }

  public long longValue() {
    if (!node.isIntegralNumber()) {
      throw error("expected a whole number, got '" + node.asText() + "'");
    }
    return node.longValue();
  }

  public double doubleValue() {
    if (!node.isNumber()) {
      throw error("expected a number, got '" + node.asText() + "'");
    }
    return node.doubleValue();
  }

  public boolean booleanValue() {
    if (!node.isBoolean()) {
      throw error("expected true or false, got '" + node.asText() + "'");
    }
    return node.booleanValue();
  }

  /** Scalar as a Java value: Long, Double, Boolean or String. */
  public Object scalar() {
    if (!node.isValueNode() || node.isNull()) {
      throw error("expected a single value");
    }
    if (node.isIntegralNumber()) {
      return node.longValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    return node.asText();
  }
}
