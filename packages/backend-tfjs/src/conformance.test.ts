import { describeConformance } from "@recurrent/conformance";
import { tfjsBackend } from "./index.js";

// tfjs's cpu backend computes in float32 like backend-js, with the same tolerance (atol 1e-5, no relative
// term). Every case also passes at atol 1e-6 today; the tenfold margin covers other machines' Math.exp/tanh.
describeConformance(() => tfjsBackend({ backend: "cpu" }), { atol: 1e-5, rtol: 0 });
