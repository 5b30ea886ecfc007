// Every forward case of the shared suite (PyTorch fixtures, batches of unequal lengths, garbage in padded steps)
// at atol 1e-5 with no relative slack. Gradient checks are skipped by the suite: this backend has no gradients().
import { describeConformance } from "@recurrent/conformance";
import { onnxBackend } from "./node.js";

describeConformance(onnxBackend, { atol: 1e-5, rtol: 0 });
