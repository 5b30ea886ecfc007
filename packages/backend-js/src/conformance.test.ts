import { describeConformance } from "@recurrent/conformance";
import { jsBackend } from "./index.js";

describeConformance(jsBackend, { atol: 1e-5, rtol: 0 });
