package org.phm.stats;

/**
 * Result of comparing an estimate's confidence interval with a benchmark value:
 * the whole interval above ({@link #HIGHER}), below ({@link #LOWER}), overlapping ({@link #SIMILAR}),
 * or no comparison possible because a limit or the benchmark is missing ({@link #NOT_COMPARED}).
 */
public enum Significance { HIGHER, LOWER, SIMILAR, NOT_COMPARED }
