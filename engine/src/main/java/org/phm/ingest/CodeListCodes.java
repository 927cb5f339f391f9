package org.phm.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The set of codes appearing in any code list (engine/src/main/resources/codelists/*.csv, column
 * {@code code}); gp_events codes outside it are counted as UNMAPPED_CODE warnings.
 */
final class CodeListCodes {
  private CodeListCodes() {}

  static final String DIR = "codelists";

  static Set<String> load() {
    Set<String> codes = new TreeSet<>();
    for (String resource : listCsv()) {
      try (InputStream in = CodeListCodes.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          continue;
        }
        List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        if (lines.isEmpty()) {
          continue;
        }
        List<String> header = InputFiles.splitHeader(lines.get(0).replace("\uFEFF", ""));
        int idx = header.indexOf("code");
        if (idx < 0) {
          throw new IllegalStateException(resource + ": code list has no 'code' column");
        }
        for (String line : lines.subList(1, lines.size())) {
          if (line.isBlank()) {
            continue;
          }
          List<String> f = InputFiles.splitHeader(line);
          if (idx < f.size() && !f.get(idx).isEmpty()) {
            codes.add(f.get(idx));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(resource + ": cannot read", e);
      }
    }
    return codes;
  }

  /** Classpath resources codelists/*.csv, from a directory or a jar. */
  private static List<String> listCsv() {
    URL url = CodeListCodes.class.getClassLoader().getResource(DIR);
    List<String> out = new ArrayList<>();
    if (url == null) {
      return out;
    }
    try {
      if ("file".equals(url.getProtocol())) {
        try (Stream<Path> s = Files.list(Path.of(url.toURI()))) {
          s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".csv")).sorted()
              .forEach(n -> out.add(DIR + "/" + n));
        }
      } else if ("jar".equals(url.getProtocol())) {
        String jar = url.getPath().substring("file:".length(), url.getPath().indexOf('!'));
        try (JarFile jf = new JarFile(java.net.URLDecoder.decode(jar, StandardCharsets.UTF_8))) {
          for (Enumeration<JarEntry> e = jf.entries(); e.hasMoreElements(); ) {
            String n = e.nextElement().getName();
            if (n.startsWith(DIR + "/") && n.endsWith(".csv") && n.indexOf('/', DIR.length() + 1) < 0) {
              out.add(n);
            }
          }
        }
        out.sort(null);
      }
    } catch (IOException | URISyntaxException e) {
      throw new IllegalStateException("cannot list code lists: " + e.getMessage(), e);
    }
    return out;
  }
}
