import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
tf.env().set("PROD", true);
for (const b of ["cpu", "wasm"]) {
  await tf.setBackend(b);
  const x = tf.randomNormal([100, 32, 512]);
  const x2 = tf.reshape(x, [3200, 512]);
  const time = (n: string, f: () => unknown) => { tf.tidy(f); const t0 = performance.now(); for (let i = 0; i < 3; i++) tf.tidy(() => { const r = f() as tf.Tensor[]; r[r.length - 1]!.dataSync(); }); console.log(b, n, ((performance.now() - t0) / 3).toFixed(1), "ms"); };
  time("unstack", () => tf.unstack(x));
  time("split0", () => tf.split(x2, 100, 0));
  time("slices2d", () => Array.from({ length: 100 }, (_, t) => tf.slice(x2, [t * 32, 0], [32, 512])));
  time("slices3d", () => Array.from({ length: 100 }, (_, t) => tf.slice(x, [t, 0, 0], [1, 32, 512])));
  time("stack", () => [tf.stack(tf.unstack(x))]);
  time("concat", () => [tf.concat(tf.split(x2, 100, 0), 0)]);
}
