/** A minimal line chart on a canvas (training curves): y range from the data, redrawn on every update. */
export class LineChart {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private points: [number, number][] = [];

  constructor(
    parent: HTMLElement,
    private readonly title: string,
    private readonly colour: string,
    private readonly fixedRange?: readonly [number, number],
  ) {
    this.canvas = document.createElement("canvas");
    this.canvas.width = 340;
    this.canvas.height = 160;
    this.canvas.className = "chart";
    this.canvas.setAttribute("aria-label", title);
    parent.append(this.canvas);
    this.ctx = this.canvas.getContext("2d")!;
    this.draw();
  }

  clear(): void {
    this.points = [];
    this.draw();
  }

  add(x: number, y: number): void {
    this.points.push([x, y]);
    this.draw();
  }

  private draw(): void {
    const { ctx, canvas, points } = this;
    const pad = { l: 40, r: 8, t: 18, b: 18 };
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = "#333";
    ctx.font = "11px sans-serif";
    ctx.fillText(this.title, pad.l, 12);
    ctx.strokeStyle = "#ccc";
    ctx.strokeRect(pad.l, pad.t, canvas.width - pad.l - pad.r, canvas.height - pad.t - pad.b);
    if (points.length === 0) return;
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    const [y0, y1] = this.fixedRange ?? [Math.min(...ys), Math.max(...ys)];
    const x0 = Math.min(...xs);
    const x1 = Math.max(x0 + 1, ...xs);
    const w = canvas.width - pad.l - pad.r;
    const hgt = canvas.height - pad.t - pad.b;
    const px = (x: number) => pad.l + ((x - x0) / (x1 - x0)) * w;
    const py = (y: number) => pad.t + hgt - ((y - y0) / (y1 - y0 || 1)) * hgt;
    ctx.fillText(y1.toFixed(2), 2, pad.t + 8);
    ctx.fillText(y0.toFixed(2), 2, pad.t + hgt);
    ctx.fillText(String(x1), canvas.width - pad.r - 24, canvas.height - 4);
    ctx.strokeStyle = this.colour;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    points.forEach(([x, y], i) => {
      if (i === 0) ctx.moveTo(px(x), py(y));
      else ctx.lineTo(px(x), py(y));
    });
    ctx.stroke();
  }
}
