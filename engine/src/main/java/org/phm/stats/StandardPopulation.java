package org.phm.stats;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A standard population for direct standardisation: ordered age bands and their weights. Shipped as data under
 * {@code stats/<name>.csv} (columns band_index, ageband, min_age, max_age, weight), validated on load.
 * {@code esp2013}: European Standard Population 2013, 19 bands 0-4 … 85-89, 90+ (sum 100,000);
 * {@code esp1976}: European Standard Population 1976, 18 bands 0-4 … 80-84, 85+ (sum 100,000).
 *
 * @param name     resource name, e.g. "esp2013"
 * @param bands    age band labels in order
 * @param minAges  lower age of each band
 * @param maxAges  upper age of each band (-1 for the open final band)
 * @param weights  standard population of each band
 */
public record StandardPopulation(String name, List<String> bands, int[] minAges, int[] maxAges, double[] weights) {
    private static final Map<String, StandardPopulation> CACHE = new ConcurrentHashMap<>();

    /** ESP2013, 19 bands including 90+. */
    public static StandardPopulation esp2013() {
        return named("esp2013");
    }

    /** ESP1976, 18 bands including 85+. */
    public static StandardPopulation esp1976() {
        return named("esp1976");
    }

    /** Loads (once) the standard population shipped as resource {@code stats/<name>.csv}. */
    public static StandardPopulation named(String name) {
        return CACHE.computeIfAbsent(name, StandardPopulation::load);
    }

    /** Number of bands. */
    public int size() {
        return weights.length;
    }

    /** Copy of the weights (callers may modify it). */
    public double[] weightsCopy() {
        return weights.clone();
    }

    /** Index of the band containing an age in whole years, or -1 if below the first band or negative. */
    public int bandOf(int age) {
        for (int i = 0; i < minAges.length; i++) {
            if (age >= minAges[i] && (maxAges[i] < 0 || age <= maxAges[i])) return i;
        }
        return -1;
    }

    private static StandardPopulation load(String name) {
        String resource = "stats/" + name + ".csv";
        InputStream in = StandardPopulation.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) throw new IllegalArgumentException("standard population resource not found: " + resource);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String header = r.readLine();
            if (header == null || !header.trim().equals("band_index,ageband,min_age,max_age,weight")) {
                throw new IllegalArgumentException(resource + ": header must be band_index,ageband,min_age,max_age,weight but was "
                        + header);
            }
            List<String> bands = new ArrayList<>();
            List<int[]> ages = new ArrayList<>();
            List<Double> weights = new ArrayList<>();
            String line;
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                String[] f = line.split(",", -1);
                if (f.length != 5) throw new IllegalArgumentException(resource + " line " + lineNo + ": expected 5 fields");
                int index = parseInt(f[0], resource, lineNo, "band_index");
                if (index != bands.size() + 1) {
                    throw new IllegalArgumentException(resource + " line " + lineNo + ": band_index must be " + (bands.size() + 1));
                }
                int min = parseInt(f[2], resource, lineNo, "min_age");
                int max = f[3].isBlank() ? -1 : parseInt(f[3], resource, lineNo, "max_age");
                if (!ages.isEmpty()) {
                    int[] prev = ages.get(ages.size() - 1);
                    if (prev[1] < 0 || prev[1] + 1 != min) {
                        throw new IllegalArgumentException(resource + " line " + lineNo + ": min_age " + min
                                + " does not follow the previous band");
                    }
                }
                double w;
                try {
                    w = Double.parseDouble(f[4]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(resource + " line " + lineNo + ": weight is not a number: " + f[4]);
                }
                if (!(w >= 0)) throw new IllegalArgumentException(resource + " line " + lineNo + ": weight must be >= 0");
                bands.add(f[1].trim());
                ages.add(new int[] {min, max});
                weights.add(w);
            }
            if (bands.isEmpty()) throw new IllegalArgumentException(resource + ": no bands");
            if (ages.get(ages.size() - 1)[1] >= 0) {
                throw new IllegalArgumentException(resource + ": the last band must be open-ended (blank max_age)");
            }
            int[] mins = ages.stream().mapToInt(a -> a[0]).toArray();
            int[] maxs = ages.stream().mapToInt(a -> a[1]).toArray();
            return new StandardPopulation(name, List.copyOf(bands), mins, maxs,
                    weights.stream().mapToDouble(Double::doubleValue).toArray());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }

    private static int parseInt(String s, String resource, int line, String field) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(resource + " line " + line + ": " + field + " is not an integer: " + s);
        }
    }
}
