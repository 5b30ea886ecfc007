// The torch trainer fixtures (MSE and BCE, clipping, truncated BPTT, freeze; B = 3) through the sharded path:
// shards of one sample on 2 threads (samples 0, 1 here, sample 2 in a worker) must still match PyTorch's loop.
import { describeTrainerFixtures } from "@recurrent/conformance";
import { jsBackend } from "../backend.js";
import { setMinShard } from "./shards.js";

setMinShard(1);
describeTrainerFixtures(jsBackend({ threads: 2 }));
