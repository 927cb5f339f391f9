package org.phm.ingest;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.Statistics;
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns;
import org.apache.spark.sql.connector.read.SupportsReportStatistics;
import org.apache.spark.sql.execution.datasources.FilePartition;
import org.apache.spark.sql.execution.vectorized.OnHeapColumnVector;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * A Spark data source for plain CSV files, the shape of almost every extract: one record per line, fields separated
 * by commas, no quote characters. It reads a file in line-aligned splits straight into columnar text batches, so no
 * line is decoded to a Java string, split by a regular expression or re-encoded; only the requested columns are
 * filled.
 *
 * <p>Why: Spark's CSV parser (and its text source followed by a split) spends most of ingest's per-line work
 * decoding and re-encoding text (docs/performance.md). Ingest reads a file with this source only after {@link
 * FileScan} has shown it is plain and splittable; quoted or gzip files keep Spark's CSV reader.
 *
 * <p>Semantics, those of Spark's text source (Hadoop's line reader) with each line split at every comma, which for
 * a file without quotes is what Spark's CSV reader gives (an empty field is empty text where the CSV reader gives
 * null; ingest cleans both to null): lines end at a line feed (a carriage return before it is dropped); a split
 * starting at byte {@code s > 0} reads the lines that start after {@code s}; invalid UTF-8 is replaced by U+FFFD; a
 * line whose comma-separated parts are not exactly the declared columns has null fields and the line in
 * {@code _corrupt_record}; {@code _replacement_char} tells whether the line holds U+FFFD, so a caller need not
 * search every field for it. Each row can carry its physical line number ({@code _record}, 0 = the first line) when
 * the caller gives the lines before each split.
 */
public final class PlainCsvSource implements TableProvider {
  /** Physical line number of the row (0 = the file's first line), when the split line counts are given. */
  public static final String RECORD = "_record";
  /** The line, repaired, when its field count differs from the declared columns. */
  public static final String CORRUPT = "_corrupt_record";
  /** Whether the line, repaired, holds U+FFFD (invalid UTF-8 replaced, or the character itself): false for ASCII. */
  public static final String REPLACEMENT = "_replacement_char";

  private static final String PATH = "path";
  private static final String COLUMNS = "columns";
  private static final String SPLITS = "splits";
  private static final String LINES_BEFORE = "linesBefore";
  private static final String SKIP_FIRST = "skipFirstLine";
  private static final String EMPTY_AS_NULL = "emptyAsNull";
  private static final String FAIL_ON_QUOTE = "failOnQuote";
  private static final int BATCH_ROWS = 4096;

  /**
   * The file's fields as columns {@code names}, plus {@link #CORRUPT}, {@link #REPLACEMENT} and {@link #RECORD}, read
   * in splits starting at {@code starts} (sorted, the first 0) whose lines before each split are {@code linesBefore}.
   * Every line is a row, the first one included; empty fields are empty text.
   */
  public static Dataset<Row> read(SparkSession spark, Path file, List<String> names, long[] starts,
      Map<Long, Long> linesBefore) {
    long[] before = new long[starts.length];
    for (int i = 0; i < starts.length; i++) {
      Long n = linesBefore.get(starts[i]);
      if (n == null) {
        throw new IllegalArgumentException("no line count for the split at byte " + starts[i] + " of " + file);
      }
      before[i] = n;
    }
    return spark.read().format(PlainCsvSource.class.getName())
        .option(PATH, file.toString())
        .option(COLUMNS, String.join(",", names))
        .option(SPLITS, join(starts))
        .option(LINES_BEFORE, join(before))
        .load();
  }

  /**
   * A plain CSV file with a header line as a table of text columns named by the header, empty fields null (as
   * Spark's and DuckDB's CSV readers give them), in the splits of {@link #splits}. A quote character
   * fails the read: such a file needs a CSV parser.
   */
  public static Dataset<Row> readWithHeader(SparkSession spark, Path file) {
    List<String> names;
    long size;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      size = ch.size();
      ByteBuffer b = ByteBuffer.allocate((int) Math.min(ch.size(), 1 << 16));
      ch.read(b);
      String head = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
      int end = head.indexOf('\n');
      String line = (end < 0 ? head : head.substring(0, end)).replace("\r", "").replace("\uFEFF", "");
      if (line.indexOf('"') >= 0) {
        throw new IllegalArgumentException(file + " has a quoted header: not a plain CSV file");
      }
      names = List.of(line.split(",", -1));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return spark.read().format(PlainCsvSource.class.getName())
        .option(PATH, file.toString())
        .option(COLUMNS, String.join(",", names))
        .option(SPLITS, join(splits(size, spark.sparkContext().defaultParallelism())))
        .option(SKIP_FIRST, "true")
        .option(EMPTY_AS_NULL, "true")
        .option(FAIL_ON_QUOTE, "true")
        .load()
        .select(names.stream().map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new));
  }

  /** Files up to this size are read as one split (Spark's own file-open cost, 4 MB). */
  static final long ONE_SPLIT_BYTES = 4L << 20;
  /** Largest split of a plain file read in several (half Spark's 128 MB default, so a stage's last wave is short). */
  static final long SPLIT_BYTES = 64L << 20;

  /**
   * Where a plain file of {@code size} bytes is split for a cluster of {@code parallelism} cores: into equal splits
   * of at most {@link #SPLIT_BYTES}, as many as a multiple of the cores, so every core reads the same amount. Spark's
   * own plan (splits of 128 MB and a short remainder) left one core idle for the tail of each large file.
   */
  static long[] splits(long size, int parallelism) {
    if (size <= ONE_SPLIT_BYTES) {
      return new long[] {0};
    }
    int cores = Math.max(1, parallelism);
    long perRound = cores * SPLIT_BYTES;
    int n = (int) Math.max(cores, (size + perRound - 1) / perRound * cores);
    long[] starts = new long[n];
    for (int i = 0; i < n; i++) {
      starts[i] = size * i / n;
    }
    return starts;
  }

  /**
   * Start offsets of the splits Spark plans for a single-file scan, or null unless every partition holds exactly
   * one split (then a row's position in its partition is its position in its split).
   */
  static long[] splitStarts(Dataset<Row> scan) {
    org.apache.spark.Partition[] parts = scan.rdd().partitions();
    long[] starts = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      if (!(parts[i] instanceof FilePartition fp) || fp.files().length != 1) {
        return null;
      }
      starts[i] = fp.files()[0].start();
    }
    return starts;
  }

  private static String join(long[] values) {
    return Arrays.stream(values).mapToObj(Long::toString).collect(Collectors.joining(","));
  }

  private static long[] longs(String s) {
    return s == null || s.isEmpty() ? new long[0] : Arrays.stream(s.split(",")).mapToLong(Long::parseLong).toArray();
  }

  @Override
  public StructType inferSchema(CaseInsensitiveStringMap options) {
    return schema(options);
  }

  private static StructType schema(Map<String, String> options) {
    StructType s = new StructType();
    for (String name : options.get(COLUMNS).split(",", -1)) {
      s = s.add(name, DataTypes.StringType, true);
    }
    s = s.add(CORRUPT, DataTypes.StringType, true).add(REPLACEMENT, DataTypes.BooleanType, false);
    return options.get(LINES_BEFORE) != null ? s.add(RECORD, DataTypes.LongType, true) : s;
  }

  @Override
  public Table getTable(StructType schema, Transform[] partitioning, Map<String, String> properties) {
    return new FileTable(schema, new HashMap<>(properties));
  }

  /** The one file, readable in batches. */
  private record FileTable(StructType schema, Map<String, String> options) implements SupportsRead {
    @Override
    public String name() {
      return "plain_csv:" + options.get(PATH);
    }

    @Override
    public Set<TableCapability> capabilities() {
      return Set.of(TableCapability.BATCH_READ);
    }

    @Override
    public ScanBuilder newScanBuilder(CaseInsensitiveStringMap ignored) {
      return new LinesScanBuilder(schema, options);
    }
  }

  /** Keeps only the columns a query reads. */
  private static final class LinesScanBuilder implements ScanBuilder, SupportsPushDownRequiredColumns {
    private final StructType full;
    private final Map<String, String> options;
    private StructType required;

    LinesScanBuilder(StructType full, Map<String, String> options) {
      this.full = full;
      this.options = options;
      this.required = full;
    }

    @Override
    public void pruneColumns(StructType requiredSchema) {
      required = requiredSchema;
    }

    @Override
    public Scan build() {
      int fields = full.size() - (options.get(LINES_BEFORE) != null ? 3 : 2);
      int[] slots = new int[required.size()];
      for (int i = 0; i < slots.length; i++) {
        slots[i] = full.fieldIndex(required.fields()[i].name());
      }
      long[] starts = longs(options.get(SPLITS));
      long[] before = longs(options.get(LINES_BEFORE));
      Path file = Path.of(options.get(PATH));
      long size = file.toFile().length();
      List<InputPartition> parts = new ArrayList<>();
      for (int i = 0; i < starts.length; i++) {
        parts.add(new Split(starts[i], i + 1 < starts.length ? starts[i + 1] : size,
            before.length > 0 ? before[i] : -1));
      }
      Layout layout = new Layout(options.get(PATH), fields, slots,
          Boolean.parseBoolean(options.get(SKIP_FIRST)), Boolean.parseBoolean(options.get(EMPTY_AS_NULL)),
          Boolean.parseBoolean(options.get(FAIL_ON_QUOTE)));
      // the file's size, scaled to the columns read (as Spark's file sources estimate), so small files are broadcast
      long bytes = Math.max(1, (long) ((double) size * required.defaultSize() / full.defaultSize()));
      return new LinesScan(required, parts.toArray(InputPartition[]::new), layout, bytes);
    }
  }

  /** Lines starting in {@code (start, end]} ({@code [0, end]} for the first), the first numbered {@code firstLine}. */
  private record Split(long start, long end, long firstLine) implements InputPartition {}

  /**
   * What a reader fills: the file, its field count, for each output column the slot it shows (a field index, then
   * {@code fields} = corrupt record, {@code fields + 1} = U+FFFD flag, {@code fields + 2} = record number), and
   * options.
   */
  private record Layout(String path, int fields, int[] slots, boolean skipFirst, boolean emptyAsNull,
      boolean failOnQuote) implements Serializable {}

  private record LinesScan(StructType readSchema, InputPartition[] splits, Layout layout, long bytes)
      implements Scan, Batch, PartitionReaderFactory, SupportsReportStatistics {
    @Override
    public Statistics estimateStatistics() {
      return new Statistics() {
        @Override
        public OptionalLong sizeInBytes() {
          return OptionalLong.of(bytes);
        }

        @Override
        public OptionalLong numRows() {
          return OptionalLong.empty();
        }
      };
    }

    @Override
    public String description() {
      return "PlainCsv " + layout.path();
    }

    @Override
    public Batch toBatch() {
      return this;
    }

    @Override
    public InputPartition[] planInputPartitions() {
      return splits;
    }

    @Override
    public PartitionReaderFactory createReaderFactory() {
      return this;
    }

    @Override
    public boolean supportColumnarReads(InputPartition partition) {
      return true;
    }

    @Override
    public PartitionReader<InternalRow> createReader(InputPartition partition) {
      throw new UnsupportedOperationException("PlainCsvSource reads columnar batches only");
    }

    @Override
    public PartitionReader<ColumnarBatch> createColumnarReader(InputPartition partition) {
      try {
        return new LineReader(layout, (Split) partition, readSchema);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open " + layout.path(), e);
      }
    }
  }

  /** Reads one split's lines into batches of text columns. */
  private static final class LineReader implements PartitionReader<ColumnarBatch> {
    private final Layout layout;
    private final Split split;
    private final FileChannel channel;
    private final OnHeapColumnVector[] vectors;
    private final ColumnarBatch batch;
    private final int[] commas;
    private final boolean repairWanted;
    private byte[] buf = new byte[1 << 20];
    private int pos;
    private int lim;
    private long bufStart; // file offset of buf[0]
    private boolean eof;
    private boolean done;
    private long line; // number of the next line
    private int lineStart;
    private int lineEnd;

    LineReader(Layout layout, Split split, StructType schema) throws IOException {
      this.layout = layout;
      this.split = split;
      this.channel = FileChannel.open(Path.of(layout.path()), StandardOpenOption.READ);
      this.vectors = OnHeapColumnVector.allocateColumns(BATCH_ROWS, schema);
      this.batch = new ColumnarBatch(vectors);
      this.commas = new int[layout.fields() + 1];
      this.repairWanted = Arrays.stream(layout.slots()).anyMatch(s -> s <= layout.fields() + 1);
      this.line = split.firstLine();
      channel.position(split.start());
      bufStart = split.start();
      // the line holding a later split's first byte belongs to the split before; a header line is not a row
      if ((split.start() > 0 || layout.skipFirst()) && !skipPastNewline()) {
        done = true;
      }
    }

    @Override
    public boolean next() throws IOException {
      if (done) {
        return false;
      }
      for (OnHeapColumnVector v : vectors) {
        v.reset();
      }
      int rows = 0;
      while (rows < BATCH_ROWS && nextLine()) {
        emit(rows++, lineStart, lineEnd);
      }
      done = rows < BATCH_ROWS;
      batch.setNumRows(rows);
      return rows > 0;
    }

    /**
     * Moves to the next line that starts within the split, setting {@link #lineStart} and {@link #lineEnd} (its
     * content, without the line feed and a carriage return before it); false when the split has no more lines.
     */
    private boolean nextLine() throws IOException {
      if (pos >= lim && !fill()) {
        return false;
      }
      if (bufStart + pos > split.end()) {
        return false;
      }
      int nl = findNewline();
      lineStart = pos;
      if (nl < 0) { // the file's last line, without a line feed
        lineEnd = lim;
        pos = lim;
        return true;
      }
      lineEnd = nl > lineStart && buf[nl - 1] == '\r' ? nl - 1 : nl;
      pos = nl + 1;
      return true;
    }

    private boolean skipPastNewline() throws IOException {
      int nl = findNewline();
      if (nl < 0) {
        pos = lim;
        return false;
      }
      pos = nl + 1;
      return true;
    }

    /** Index of the first line feed at or after {@link #pos}, reading more as needed; -1 at the end of the file. */
    private int findNewline() throws IOException {
      int scanned = pos;
      while (true) {
        byte[] b = buf;
        for (int i = scanned; i < lim; i++) {
          if (b[i] == '\n') {
            return i;
          }
        }
        int shift = pos;
        scanned = lim;
        if (!fill()) {
          return -1;
        }
        scanned -= shift;
      }
    }

    /** Reads more bytes, keeping those from {@link #pos} on (growing the buffer for a long line). */
    private boolean fill() throws IOException {
      if (eof) {
        return false;
      }
      if (pos > 0) {
        System.arraycopy(buf, pos, buf, 0, lim - pos);
        bufStart += pos;
        lim -= pos;
        pos = 0;
      } else if (lim == buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
      int n = channel.read(ByteBuffer.wrap(buf, lim, buf.length - lim));
      if (n < 0) {
        eof = true;
        return false;
      }
      lim += n;
      return true;
    }

    private void emit(int row, int start, int end) {
      byte[] b = buf;
      int nf = layout.fields();
      boolean ascii = true;
      int ncomma = 0;
      for (int i = start; i < end; i++) {
        byte c = b[i];
        if (c == ',') {
          if (ncomma < nf) {
            commas[ncomma] = i;
          }
          ncomma++;
        } else if (c < 0) {
          ascii = false;
        } else if (c == '"' && layout.failOnQuote()) {
          throw new IllegalStateException(layout.path() + ": a quote character on the line starting at byte "
              + (bufStart + start) + "; not a plain CSV file");
        }
      }
      if (!ascii && repairWanted) { // repair invalid UTF-8 (commas are never part of a multi-byte sequence)
        b = UTF8String.fromBytes(b, start, end - start).makeValid().getBytes();
        start = 0;
        end = b.length;
        ncomma = 0;
        for (int i = 0; i < end; i++) {
          if (b[i] == ',') {
            if (ncomma < nf) {
              commas[ncomma] = i;
            }
            ncomma++;
          }
        }
      }
      boolean ok = ncomma == nf - 1;
      int[] slots = layout.slots();
      for (int k = 0; k < slots.length; k++) {
        int s = slots[k];
        OnHeapColumnVector v = vectors[k];
        if (s < nf) {
          if (!ok) {
            v.putNull(row);
          } else {
            int from = s == 0 ? start : commas[s - 1] + 1;
            int to = s == nf - 1 ? end : commas[s];
            if (to == from && layout.emptyAsNull()) {
              v.putNull(row);
            } else {
              v.putByteArray(row, b, from, to - from);
            }
          }
        } else if (s == nf) {
          if (ok) {
            v.putNull(row);
          } else {
            v.putByteArray(row, b, start, end - start);
          }
        } else if (s == nf + 1) {
          v.putBoolean(row, !ascii && holdsReplacement(b, start, end));
        } else {
          v.putLong(row, line);
        }
      }
      line++;
    }

    /** Whether bytes {@code [from, to)} hold U+FFFD, encoded EF BF BD. */
    private static boolean holdsReplacement(byte[] b, int from, int to) {
      for (int i = from; i + 2 < to; i++) {
        if (b[i] == (byte) 0xEF && b[i + 1] == (byte) 0xBF && b[i + 2] == (byte) 0xBD) {
          return true;
        }
      }
      return false;
    }

    @Override
    public ColumnarBatch get() {
      return batch;
    }

    @Override
    public void close() throws IOException {
      batch.close();
      channel.close();
    }
  }
}
