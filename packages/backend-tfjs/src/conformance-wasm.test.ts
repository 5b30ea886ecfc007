import { describeConformance } from "@recurrent/conformance";
import { tfjsBackend } from "./index.js";

// tfjs's wasm backend (XNNPACK, SIMD when available) in float32: same tolerance as cpu (atol 1e-5, no relative
// term). Every case also passes at atol 1e-6 here; the margin covers a different summation order in other
// XNNPACK builds (threads, no SIMD).
describeConformance(() => tfjsBackend({ backend: "wasm" }), { atol: 1e-5, rtol: 0 });
