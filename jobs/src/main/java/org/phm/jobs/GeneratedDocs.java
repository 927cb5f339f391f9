package org.phm.jobs;

import org.phm.ingest.ContractDocs;
import org.phm.ingest.Contracts;

/** Documentation pages rendered from definitions (kept here so `phm docs` has one place to look). */
final class GeneratedDocs {
  private GeneratedDocs() {}

  static String dataContracts() {
    return ContractDocs.render(Contracts.load());
  }
}
