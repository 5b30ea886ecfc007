/**
 * The scaffolding the fused WebAssembly directions (lstm-wasm.ts, gru-wasm.ts, simple-wasm.ts) share: padded
 * weights and biases, the arena blocks, the recorded layout, the gradient tail `dGᵀ · [h_prev | x | 1]`; and
 * {@link FusedSlot}, how a JavaScript direction hands its time loop to one. Each cell keeps its own layout,
 * kernel calls and arithmetic; what is here runs once per call, never per step.
 */
import { type Arena, ArenaBlock, wasmArena } from "../../math/wasm/arena.js";
import { kernelMode } from "../../math/wasm/simd-support.js";
import type { ParamGrads, Sequence } from "./direction.js";
import { addInputGrad, addWeightGrads, GateWeights, type GradPart, padGates, vec } from "./fused.js";
import type { DirectionWeights } from "./weights.js";

/** What every recording forward keeps for backward: the call and its regions' arena addresses (bytes). */
export interface Recording {
  readonly seq: Sequence;
  readonly reverse: boolean;
  /** inputs `[T·B, D]`, rows `xld` floats apart */
  readonly x: number;
  readonly xld: number;
  /** lengths `[B]` (int32) */
  readonly lens: number;
  /** the state before each step `[T·B, Hp]`, rows `hld` floats apart */
  readonly hprev: number;
  readonly hld: number;
}

/** A fused direction with G gate blocks; `L` is what its recording forward keeps. */
export abstract class FusedDirection<L extends Recording> {
  protected readonly w: DirectionWeights;
  protected readonly weights: GateWeights;
  /** The projection's bias `[G·Hp]`: `b_ih + b_hh` unless a cell overrides {@link FusedDirection.padBiases}. */
  protected readonly bias: Float32Array;
  protected readonly fwd: ArenaBlock;
  protected readonly bwd: ArenaBlock;
  protected readonly grad: ArenaBlock;
  /** Set by a recording forward (undefined otherwise): backward reads that forward's regions. */
  protected last: L | undefined;
  readonly #G: number;
  readonly #frozen: boolean;
  #biasReady = false;

  /**
   * @param w the direction's live weights `W_ih [G·H, D]`, `W_hh [G·H, H]`, biases `[G·H]` (read at every
   * forward unless `frozen`).
   */
  constructor(
    readonly arena: Arena,
    w: DirectionWeights,
    G: number,
    readonly D: number,
    readonly H: number,
    frozen: boolean,
  ) {
    this.w = w;
    this.#G = G;
    this.#frozen = frozen;
    this.bias = new Float32Array(G * vec(H));
    this.weights = new GateWeights(arena, w, G, D, H, frozen, this.bias, G !== 3);
    this.fwd = new ArenaBlock(arena);
    this.bwd = new ArenaBlock(arena);
    this.grad = new ArenaBlock(arena);
  }

  /** Whether the last forward recorded (so that backward may run). */
  get recorded(): boolean {
    return this.last !== undefined;
  }

  /**
   * The start of every forward: brings the padded weights and biases up to date with the live ones (every
   * forward while training, once when frozen). Call before the packed weights' `ptr`.
   */
  protected refresh(): void {
    if (!this.#frozen || !this.#biasReady) {
      this.padBiases();
      this.#biasReady = true;
    }
    this.weights.refresh();
  }

  /** Fills {@link FusedDirection.bias} from the live biases (GRU reset-after overrides it for b_hn). */
  protected padBiases(): void {
    padGates(this.w.bih, this.w.bhh, this.#G, this.H, this.weights.Hp, this.bias);
  }

  /**
   * The last recording forward's layout.
   * @throws Error naming `cell` when the last forward did not record (callers check `recorded` first).
   */
  protected recording(cell: string): L {
    const L = this.last;
    if (L === undefined) throw new Error(`${cell}.backward: the last forward did not record`);
    return L;
  }

  /** The recorded inputs `x [rows, D]` as a weight-gradient operand, into `grads.wih`. */
  protected xPart(L: L, grads: ParamGrads): GradPart {
    const D = L.seq.D;
    return { ptr: L.x, width: D, ld: L.xld, into: grads.wih, cols: D };
  }

  /**
   * A `[rows, Hp]` state at `ptr` (h_prev, or GRU's r⊙h_prev), rows `ld` floats apart, as a weight-gradient
   * operand, into `grads.whh`.
   */
  protected hPart(ptr: number, grads: ParamGrads, ld: number = this.weights.Hp): GradPart {
    return { ptr, width: this.weights.Hp, ld, into: grads.whh, cols: this.H };
  }

  /** {@link addWeightGrads} over padded gate rows `[g0, g1)` of `dGᵀ` (at `dGt`), via the grad block. */
  protected weightGrads(
    dGt: number,
    rows: number,
    g0: number,
    g1: number,
    parts: readonly GradPart[],
    biases: readonly Float32Array[],
  ): void {
    addWeightGrads(this.arena, this.grad, dGt, rows, this.H, this.weights.Hp, g0, g1, parts, biases);
  }

  /** `dx += dG · W_ih` (`dG [rows, N]` at its arena address, `wih` the packed `W_ih`), when dx is wanted. */
  protected inputGrad(L: L, dG: number, rows: number, N: number, wih: number, dx: Float32Array | undefined): void {
    if (dx) addInputGrad(this.arena, this.grad, dG, rows, N, L.seq.D, wih, dx);
  }

  /**
   * The gradient tail of a cell whose gates all see `[h_prev | x]` (simple, LSTM): `dGᵀ` into `dGt`, then
   * W_hh, W_ih and both biases from one product `dGᵀ · [h_prev | x | 1]`, then dx.
   * @param dG `[rows, N]` at this arena address, N = G·Hp; `dGt` room for `[N, rows]`.
   */
  protected stackedGrads(
    L: L,
    dG: number,
    dGt: number,
    rows: number,
    N: number,
    wih: number,
    grads: ParamGrads,
    dx: Float32Array | undefined,
  ): void {
    if (rows === 0) return;
    this.arena.kernels.transpose(dG, N, rows, N, dGt);
    const parts = [this.hPart(L.hprev, grads, L.hld), this.xPart(L, grads)];
    this.weightGrads(dGt, rows, 0, N, parts, [grads.bih, grads.bhh]);
    this.inputGrad(L, dG, rows, N, wih, dx);
  }
}

/**
 * A JavaScript direction's fused counterpart: built for the shared arena when the SIMD kernels are in force
 * (rebuilt when the arena changes), and whether the last forward ran there recording, so that backward
 * follows it there.
 */
export class FusedSlot<F extends { readonly arena: Arena }> {
  #fused: F | undefined;
  #recorded = false;
  readonly #make: (arena: Arena) => F;

  /** @param make builds the fused direction for an arena (called again only when the arena changes). */
  constructor(make: (arena: Arena) => F) {
    this.#make = make;
  }

  /**
   * The fused direction this forward should run on, or undefined when the JavaScript loop runs (kernel mode
   * not "auto", or no arena). Forgets the last recording; call {@link FusedSlot.ran} after a fused forward.
   */
  begin(): F | undefined {
    this.#recorded = false;
    const arena = kernelMode() === "auto" ? wasmArena() : undefined;
    if (arena === undefined) return undefined;
    if (this.#fused?.arena !== arena) this.#fused = this.#make(arena);
    return this.#fused;
  }

  /** Notes that the fused forward returned, having recorded or not. */
  ran(record: boolean): void {
    this.#recorded = record;
  }

  /** The fused direction when the last forward ran there and recorded (backward goes there), else undefined. */
  get recording(): F | undefined {
    return this.#recorded ? this.#fused : undefined;
  }
}
