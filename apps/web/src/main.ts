/**
 * The page: the backend switch, then the Live, Train and Compare parts. State for tests and the console is on
 * `window.__recurrent`. URL parameters: `?backend=js|webgl|webgpu` preselects a backend.
 */
import type { Executable } from "@recurrent/core";
import { SHIPPED_MODEL_URL } from "./assets.js";
import {
  type Availability,
  BACKEND_IDS,
  BACKEND_LABELS,
  type BackendId,
  createBackend,
  probeBackends,
} from "./backends.js";
import { ComparePanel } from "./compare/compare-panel.js";
import { h, say } from "./dom.js";
import { LivePanel } from "./live/live-panel.js";
import { fetchPhoneModel, type PhoneModel, readPhoneModel } from "./phone-model.js";
import { SileroPanel } from "./silero/silero-panel.js";
import { TrainPanel } from "./train/train-panel.js";
import "./style.css";

interface PageState {
  ready: boolean;
  error?: string;
  backend: BackendId;
  backends: Record<BackendId, Availability>;
  model: string;
  live?: LivePanel["record"];
  train?: TrainPanel["record"];
  compare?: ComparePanel["record"];
  silero?: SileroPanel["record"];
}

const state: PageState = {
  ready: false,
  backend: "js",
  backends: { js: true, webgl: "probing", webgpu: "probing" },
  model: "",
};
(window as unknown as { __recurrent: PageState }).__recurrent = state;

const app = document.getElementById("app")!;
const status = h("p", { id: "page-status", class: "message" });
const backendBox = h("fieldset", { id: "backends" }, h("legend", {}, "Backend"));
const liveRoot = h("section", { id: "live" }, h("h2", {}, "Live"));
const trainRoot = h("section", { id: "train" }, h("h2", {}, "Train in the browser"));
const compareRoot = h("section", { id: "compare" }, h("h2", {}, "Compare"));
const sileroRoot = h("section", { id: "silero" }, h("h2", {}, "Fine-tune Silero VAD"));
app.append(backendBox, status, liveRoot, trainRoot, compareRoot, sileroRoot);

let shipped: Promise<PhoneModel> | undefined;
const shippedModel = () => {
  shipped ??= fetchPhoneModel(SHIPPED_MODEL_URL, "shipped LSTM");
  shipped.catch(() => {
    shipped = undefined;
  });
  return shipped;
};
/** The model Live streams through: the shipped LSTM until a trained one is chosen. */
let phoneModel: PhoneModel | undefined;
const compiled = new Map<string, Promise<Executable>>();

async function executable(): Promise<{ exe: Executable; model: PhoneModel; backend: string }> {
  const model = phoneModel ?? (phoneModel = await shippedModel());
  const id = state.backend;
  const key = `${id}/${model.label}`;
  let exe = compiled.get(key);
  if (exe === undefined) {
    exe = createBackend(id).then((b) => b.compile(model.model, model.weights));
    exe.catch(() => compiled.delete(key));
    compiled.set(key, exe);
  }
  return { exe: await exe, model, backend: BACKEND_LABELS[id] };
}

const live = new LivePanel(liveRoot, { executable });
state.live = live.record;
const train = new TrainPanel(trainRoot, {
  backend: () => state.backend,
  async useModel(bytes, label) {
    await live.stop();
    phoneModel = readPhoneModel(bytes, label);
    state.model = label;
    say(status, `Live now streams through the ${label}. Start the microphone or drop a WAV file.`);
    liveRoot.scrollIntoView();
  },
});
state.train = train.record;
const compare = new ComparePanel(compareRoot, { backends: () => state.backends, shippedModel });
state.compare = compare.record;
state.silero = new SileroPanel(sileroRoot, { backend: () => state.backend }).record;

function renderBackends(): void {
  backendBox.replaceChildren(h("legend", {}, "Backend"));
  for (const id of BACKEND_IDS) {
    const ok = state.backends[id];
    const radio = h("input", { type: "radio", name: "backend", value: id, id: `backend-${id}` });
    radio.checked = state.backend === id;
    radio.disabled = ok !== true;
    radio.addEventListener("change", () => void select(id));
    const reason = ok === true ? "" : ` — unavailable: ${ok}`;
    backendBox.append(
      h(
        "label",
        { for: `backend-${id}`, "data-backend": id },
        radio,
        ` ${BACKEND_LABELS[id]}`,
        h("span", { class: "muted" }, reason),
      ),
    );
  }
}

async function select(id: BackendId): Promise<void> {
  await live.stop();
  state.backend = id;
  renderBackends();
  say(status, `Starting ${BACKEND_LABELS[id]}…`);
  try {
    await executable();
    say(status, `${BACKEND_LABELS[id]} ready.`);
  } catch (e) {
    state.backends[id] = `failed to start: ${(e as Error).message}`;
    state.backend = "js";
    renderBackends();
    say(status, `${BACKEND_LABELS[id]} failed to start: ${(e as Error).message}`, "error");
  }
}

async function main(): Promise<void> {
  renderBackends();
  state.backends = await probeBackends();
  const wanted = new URLSearchParams(location.search).get("backend") as BackendId | null;
  if (wanted !== null && !BACKEND_IDS.includes(wanted)) {
    say(status, `Unknown ?backend=${wanted}; expected one of ${BACKEND_IDS.join(", ")}.`, "error");
  } else if (wanted !== null && state.backends[wanted] !== true) {
    say(status, `${BACKEND_LABELS[wanted]} is unavailable here: ${state.backends[wanted]}`, "error");
  } else if (wanted !== null) {
    state.backend = wanted;
  }
  await select(state.backend);
  state.ready = true;
}

main().catch((e: unknown) => {
  state.error = (e as Error).stack ?? String(e);
  say(status, `The page failed to start: ${(e as Error).message}`, "error");
});
