package org.phm.stats;

/** Direction in which an indicator value is "good"; turns a statistical significance into a judgement. */
public enum Polarity { HIGHER_IS_BETTER, LOWER_IS_BETTER, NO_JUDGEMENT }
