/**
 * Named scratch buffers reused from one run to the next, so that steady-state runs (training steps, streaming
 * frames) allocate nothing once shapes are stable.
 */
export class Buffers {
  readonly #map = new Map<string, Float32Array>();

  /** A buffer of exactly `size` floats, reused when the last one of that name had that size. Contents are stale. */
  get(name: string, size: number): Float32Array {
    let buf = this.#map.get(name);
    if (buf === undefined || buf.length !== size) {
      buf = new Float32Array(size);
      this.#map.set(name, buf);
    }
    return buf;
  }

  /** Like {@link Buffers.get}, zero-filled. */
  zeros(name: string, size: number): Float32Array {
    const buf = this.get(name, size);
    buf.fill(0);
    return buf;
  }
}
