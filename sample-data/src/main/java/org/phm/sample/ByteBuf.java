package org.phm.sample;

import java.util.Arrays;

/** Growable ASCII byte buffer with allocation-free number formatting, for fast CSV writing. */
final class ByteBuf {
  byte[] a;
  int n;

  ByteBuf(int initial) { a = new byte[Math.max(64, initial)]; }

  void ensure(int k) {
    if (n + k > a.length) a = Arrays.copyOf(a, Math.max(a.length * 2, n + k));
  }

  ByteBuf b(byte[] x) {
    ensure(x.length);
    System.arraycopy(x, 0, a, n, x.length);
    n += x.length;
    return this;
  }

  ByteBuf s(String x) {
    int l = x.length();
    ensure(l);
    for (int i = 0; i < l; i++) a[n++] = (byte) x.charAt(i);
    return this;
  }

  ByteBuf c(char ch) {
    ensure(1);
    a[n++] = (byte) ch;
    return this;
  }

  ByteBuf comma() { return c(','); }

  /** Non-negative or negative integer in decimal. */
  ByteBuf i(long v) {
    ensure(21);
    if (v < 0) { a[n++] = '-'; v = -v; }
    if (v < 10) { a[n++] = (byte) ('0' + v); return this; }
    int start = n;
    while (v > 0) { a[n++] = (byte) ('0' + (v % 10)); v /= 10; }
    for (int i = start, j = n - 1; i < j; i++, j--) { byte t = a[i]; a[i] = a[j]; a[j] = t; }
    return this;
  }

  /** Zero-padded integer of exactly {@code width} digits (v must fit). */
  ByteBuf pad(long v, int width) {
    ensure(width);
    for (int k = width - 1; k >= 0; k--) { a[n + k] = (byte) ('0' + (v % 10)); v /= 10; }
    n += width;
    return this;
  }

  /** Value rounded to one decimal place, e.g. 27.3. */
  ByteBuf d1(double v) {
    long t = Math.round(v * 10);
    if (t < 0) { c('-'); t = -t; }
    i(t / 10).c('.').i(t % 10);
    return this;
  }

  void clear() { n = 0; }
}
