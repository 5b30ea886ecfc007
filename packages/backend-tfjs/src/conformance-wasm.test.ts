import { describeConformance } from "@recurrent/conformance";
import { tfjsBackend } from "./index.js";

describeConformance(() => tfjsBackend({ backend: "wasm" }));
