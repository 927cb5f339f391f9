package org.phm.stats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the PHEindicatormethods conformance CSVs (RFC 4180 quoting; blank cell = NA). */
final class ConformanceCsv {

    /** One data row: file name, 1-based data row number and the cells by column name. */
    record Row(String file, int rowNumber, Map<String, String> cells) {
        String get(String column) {
            if (!cells.containsKey(column)) {
                throw new AssertionError(file + " row " + rowNumber + ": no column '" + column + "'");
            }
            return cells.get(column);
        }

        boolean has(String column) {
            return cells.containsKey(column);
        }

        boolean blank(String column) {
            return !has(column) || get(column).isBlank();
        }

        /** Number in a column; NaN for a blank (NA) cell. */
        double num(String column) {
            String s = get(column).trim();
            if (s.isEmpty() || s.equals("NA")) return Double.NaN;
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new AssertionError(file + " row " + rowNumber + " column " + column + ": not a number: " + s);
            }
        }

        String where() {
            return file + " row " + rowNumber + " (" + cells.getOrDefault("case_id", "?") + ")";
        }
    }

    private ConformanceCsv() {}

    /** The conformance folder: ${phm.shared.dir}/reference/conformance, else ../shared/reference/conformance. */
    static Path folder() {
        String shared = System.getProperty("phm.shared.dir");
        if (shared != null) {
            Path p = Paths.get(shared, "reference", "conformance");
            if (Files.isDirectory(p)) return p;
        }
        String repo = System.getProperty("phm.repo.dir", ".");
        for (Path p : List.of(Paths.get(repo, "..", "shared", "reference", "conformance"),
                Paths.get(repo, "..", "..", "shared", "reference", "conformance"))) {
            if (Files.isDirectory(p)) return p.normalize();
        }
        throw new AssertionError("conformance folder not found (phm.shared.dir=" + shared + ", phm.repo.dir=" + repo + ")");
    }

    static List<Row> read(String fileName) {
        return read(folder().resolve(fileName));
    }

    static List<Row> read(Path path) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
        List<List<String>> records = parse(text);
        if (records.isEmpty()) throw new AssertionError(path + " is empty");
        List<String> header = records.get(0);
        List<Row> rows = new ArrayList<>();
        String file = path.getFileName().toString();
        for (int r = 1; r < records.size(); r++) {
            List<String> rec = records.get(r);
            if (rec.size() == 1 && rec.get(0).isBlank()) continue;
            if (rec.size() != header.size()) {
                throw new AssertionError(file + " row " + r + ": " + rec.size() + " cells but header has " + header.size());
            }
            Map<String, String> cells = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) cells.put(header.get(c).trim(), rec.get(c));
            rows.add(new Row(file, r, cells));
        }
        return rows;
    }

    private static List<List<String>> parse(String text) {
        List<List<String>> out = new ArrayList<>();
        List<String> rec = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cell.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                rec.add(cell.toString());
                cell.setLength(0);
            } else if (ch == '\n' || ch == '\r') {
                if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
                rec.add(cell.toString());
                cell.setLength(0);
                out.add(rec);
                rec = new ArrayList<>();
            } else {
                cell.append(ch);
            }
        }
        if (cell.length() > 0 || !rec.isEmpty()) {
            rec.add(cell.toString());
            out.add(rec);
        }
        return out;
    }
}
