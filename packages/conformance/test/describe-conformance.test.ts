// The runner checked against fake backends: an exact replay passes every case (with garbage at padded steps,
// which must not be compared), a shifted replay fails every check (listed as expected failures, so the suite
// passes), and unsupported ops turn into skipped tests.
import { allCases } from "../src/cases/index.js";
import { describeConformance } from "../src/describe-conformance.js";
import { replayBackend } from "./replay-backend.js";

// A replay runs only the fixture cases, so the groups that build models of their own are off.
describeConformance(() => replayBackend({ name: "replay" }), { sharedGroups: false });

describeConformance(() => replayBackend({ name: "replay-shifted", shift: 1e-3 }), {
  expectedFailures: Object.fromEntries(allCases.map((c) => [c.name, "every value is shifted by 1e-3 on purpose"])),
  sharedGroups: false,
});

describeConformance(() => replayBackend({ name: "replay-no-rnn", unsupported: ["rnn"], withGradients: false }), {
  sharedGroups: false,
});
