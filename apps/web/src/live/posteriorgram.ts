/**
 * A scrolling posteriorgram on a canvas: one column per 10 ms frame, one row per phone class, brightness =
 * softmax probability. New frames are queued and drawn once per animation frame (the canvas shifts left by the
 * new columns), so drawing costs the same whether frames arrive one by one or in chunks.
 */
import { PHONE_CLASSES } from "@recurrent/speech";

const ROW = 5; // pixels per class
const COL = 2; // pixels per frame
const LABELS = 34; // width of the phone names on the left

/** Maps a probability in [0, 1] to a dark-blue → yellow ramp. */
function colour(p: number): [number, number, number] {
  const t = Math.sqrt(Math.min(1, Math.max(0, p))); // lifts small probabilities into view
  return [Math.round(255 * t), Math.round(40 + 200 * t), Math.round(90 * (1 - t) + 30)];
}

/** Draws frames into a canvas (created here, appended to `parent`). */
export class Posteriorgram {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private queue: Float32Array[] = [];
  private scheduled = false;

  constructor(parent: HTMLElement, width = 720) {
    this.canvas = document.createElement("canvas");
    this.canvas.width = width;
    this.canvas.height = ROW * PHONE_CLASSES.length;
    this.canvas.setAttribute("aria-label", "posteriorgram: phone classes (rows) over time (columns)");
    parent.append(this.canvas);
    this.ctx = this.canvas.getContext("2d")!;
    this.clear();
  }

  /** Empties the plot. */
  clear(): void {
    const { ctx, canvas } = this;
    ctx.fillStyle = "rgb(0, 40, 120)";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = "#111";
    ctx.fillRect(0, 0, LABELS, canvas.height);
    ctx.fillStyle = "#ddd";
    ctx.font = `${ROW + 1}px monospace`;
    ctx.textBaseline = "top";
    // Every other name, so that they stay legible at 5 px per row.
    PHONE_CLASSES.forEach((name, k) => {
      if (k % 2 === 0) ctx.fillText(name, 2, k * ROW - 1);
    });
    this.queue = [];
  }

  /** Queues the `[40]` probabilities of new frames. */
  add(frames: readonly Float32Array[]): void {
    this.queue.push(...frames);
    if (!this.scheduled) {
      this.scheduled = true;
      requestAnimationFrame(() => this.draw());
    }
  }

  private draw(): void {
    this.scheduled = false;
    const { ctx, canvas } = this;
    const plot = canvas.width - LABELS;
    const frames = this.queue.splice(0).slice(-Math.floor(plot / COL));
    const shift = frames.length * COL;
    if (shift === 0) return;
    if (shift < plot)
      ctx.drawImage(canvas, LABELS + shift, 0, plot - shift, canvas.height, LABELS, 0, plot - shift, canvas.height);
    const img = ctx.createImageData(shift, canvas.height);
    frames.forEach((probs, f) => {
      for (let k = 0; k < probs.length; k++) {
        const [r, g, b] = colour(probs[k]!);
        for (let y = k * ROW; y < (k + 1) * ROW; y++) {
          for (let x = f * COL; x < (f + 1) * COL; x++) {
            const o = 4 * (y * shift + x);
            img.data[o] = r;
            img.data[o + 1] = g;
            img.data[o + 2] = b;
            img.data[o + 3] = 255;
          }
        }
      }
    });
    ctx.putImageData(img, canvas.width - shift, 0);
  }
}
