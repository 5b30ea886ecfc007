import { CLASSIFY_MODELS, NEXT_FRAME_MODELS, buildModel, paramCount } from "../src/models.js";
for (const m of CLASSIFY_MODELS) console.log("c", m.id, paramCount(buildModel(m, 39, 40)));
for (const m of NEXT_FRAME_MODELS) console.log("n", m.id, paramCount(buildModel(m, 13, 13)));
