package org.phm.cohorts;

import java.util.Objects;

/**
 * A case-finding cohort defined as data (cohorts/cohorts.yaml): patients of the patient risk table
 * meeting {@code criteria}.
 */
public record CohortDefinition(String id, String name, String description, Criterion criteria) {
  public CohortDefinition {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(criteria, "criteria");
  }
}
