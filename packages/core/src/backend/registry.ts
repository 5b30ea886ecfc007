/**
 * A registry of backends: an instance, never a global. `resolve()` tries backends in priority order and
 * reports every one that failed to start, with its reason (onnxruntime's `resolveBackend`, minus the globals).
 */
import type { Backend } from "./backend.js";
import { BackendError } from "./errors.js";

interface Entry {
  readonly backend: Backend;
  readonly priority: number;
  ready: Promise<void> | undefined;
}

export class BackendRegistry {
  readonly #entries = new Map<string, Entry>();

  /**
   * Adds a backend. Higher priority is tried first.
   * @throws BackendError DUPLICATE_BACKEND when one of that name is already registered.
   */
  register(backend: Backend, priority = 0): this {
    if (this.#entries.has(backend.name)) {
      throw new BackendError("DUPLICATE_BACKEND", `backend "${backend.name}" is already registered`);
    }
    this.#entries.set(backend.name, { backend, priority, ready: undefined });
    return this;
  }

  /** Registered backend names, highest priority first. */
  names(): string[] {
    return this.#sorted().map((e) => e.backend.name);
  }

  /**
   * The first backend (in `hints` order, or by priority when `hints` is empty) whose `init()` succeeds.
   * @throws BackendError NO_BACKEND listing each backend tried and why it failed, or naming unknown hints.
   */
  async resolve(hints: readonly string[] = []): Promise<Backend> {
    const unknown = hints.filter((h) => !this.#entries.has(h));
    if (unknown.length > 0) {
      throw new BackendError(
        "NO_BACKEND",
        `unknown backend ${unknown.map((u) => `"${u}"`).join(", ")}; registered: ${this.names().join(", ") || "none"}`,
      );
    }
    const candidates = hints.length > 0 ? hints.map((h) => this.#entries.get(h)!) : this.#sorted();
    const errors: string[] = [];
    for (const entry of candidates) {
      try {
        entry.ready ??= entry.backend.init?.() ?? Promise.resolve();
        await entry.ready;
        return entry.backend;
      } catch (err) {
        entry.ready = undefined;
        errors.push(`[${entry.backend.name}] ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    throw new BackendError(
      "NO_BACKEND",
      candidates.length === 0 ? "no backend is registered" : `no backend could start: ${errors.join("; ")}`,
    );
  }

  #sorted(): Entry[] {
    return [...this.#entries.values()].sort((a, b) => b.priority - a.priority);
  }
}
