// Quiets tfjs's one-time console notices ("use tfjs-node to speed things up") in test output; PROD only
// silences warnings. (IS_TEST would also do it, but turns on a per-kernel data-id check that misfires on the
// wasm backend's fused product under a gradient tape.)
import * as tf from "@tensorflow/tfjs";

tf.env().set("PROD", true);
