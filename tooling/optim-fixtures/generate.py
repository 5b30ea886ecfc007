#!/usr/bin/python3
"""Reference fixtures for training (every backend), computed by PyTorch (the independent oracle).

Writes into packages/conformance/training-fixtures/ (read by every training backend through @recurrent/conformance):
  optimizers.json  fixed params + a sequence of fixed gradients -> params and optimizer state after every step,
                   for torch.optim.SGD / RMSprop / Adam (PyTorch defaults and semantics), including a learning-rate
                   change in the middle of a run (param_group["lr"] = ...).
  clipping.json    torch.nn.utils.clip_grad_norm_ / clip_grad_value_ on fixed gradients: the pre-clip total norm
                   and the clipped gradients.
  trainer.json     whole training steps on a tiny LSTM + dense model (masked MSE over valid frames, Adam, global-norm
                   clipping), with and without truncated BPTT, written as a plain torch autograd loop so that the
                   JS trainer's composition (forward, backward, clip, update, state carry) is checked end to end;
                   also masked binary cross-entropy (BCELoss on a sigmoid output, BCEWithLogitsLoss, class weights
                   [0.5, 1]) and frozen weights (left out of the optimizer and of clip_grad_norm_, requires_grad off).

Run with the Debian interpreter that has torch 1.13:  /usr/bin/python3 tooling/optim-fixtures/generate.py
Slot names follow the JS trainer's OptimizerState: sgd.momentum/<key>, rmsprop.squareAvg/<key>,
rmsprop.momentum/<key>, adam.m/<key>, adam.v/<key>.
"""
import json
import os

import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "packages", "conformance", "training-fixtures")

torch.manual_seed(1234)


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def tensor_json(t):
    return {"shape": list(t.shape), "data": flat(t)}


# ---------------------------------------------------------------- optimizers

PARAM_SHAPES = {"l/weight_ih": (4, 3), "l/bias_ih": (4,), "out/weight": (2, 4)}
STEPS = 6


def make_params():
    return {k: (torch.randn(*s) * 0.5).float() for k, s in PARAM_SHAPES.items()}


def make_grads():
    seq = []
    for step in range(STEPS):
        # Varying scales (and one all-zero gradient for one tensor) exercise the state updates.
        scale = [1.0, 0.1, 3.0, 0.5, 1.0, 2.0][step]
        g = {k: (torch.randn(*s) * scale).float() for k, s in PARAM_SHAPES.items()}
        if step == 3:
            g["l/bias_ih"] = torch.zeros(PARAM_SHAPES["l/bias_ih"])
        seq.append(g)
    return seq


def torch_optimizer(config, params):
    kind = config["kind"]
    wd = config.get("weightDecay", 0.0)
    if kind == "sgd":
        return torch.optim.SGD(
            params, lr=config["lr"], momentum=config.get("momentum", 0.0), nesterov=config.get("nesterov", False),
            weight_decay=wd,
        )
    if kind == "rmsprop":
        return torch.optim.RMSprop(
            params, lr=config["lr"], alpha=config.get("rho", 0.99), eps=config.get("eps", 1e-8),
            momentum=config.get("momentum", 0.0), weight_decay=wd,
        )
    if kind == "adam":
        return torch.optim.Adam(
            params, lr=config["lr"], betas=(config.get("beta1", 0.9), config.get("beta2", 0.999)),
            eps=config.get("eps", 1e-8), weight_decay=wd,
        )
    raise ValueError(kind)


SLOT_NAMES = {
    "sgd": {"momentum_buffer": "sgd.momentum"},
    "rmsprop": {"square_avg": "rmsprop.squareAvg", "momentum_buffer": "rmsprop.momentum"},
    "adam": {"exp_avg": "adam.m", "exp_avg_sq": "adam.v"},
}


def state_json(kind, opt, keyed):
    slots = {}
    for key, p in keyed.items():
        for name, value in opt.state[p].items():
            if name == "step" or value is None:
                continue
            slots[f"{SLOT_NAMES[kind][name]}/{key}"] = tensor_json(value)
    return slots


OPTIMIZER_CASES = [
    ("sgd", {"kind": "sgd", "lr": 0.1}),
    ("sgd-weight-decay", {"kind": "sgd", "lr": 0.05, "weightDecay": 0.1}),
    ("sgd-momentum", {"kind": "sgd", "lr": 0.05, "momentum": 0.9}),
    ("sgd-nesterov", {"kind": "sgd", "lr": 0.05, "momentum": 0.9, "nesterov": True}),
    ("sgd-momentum-weight-decay", {"kind": "sgd", "lr": 0.02, "momentum": 0.5, "weightDecay": 0.01}),
    ("rmsprop-defaults", {"kind": "rmsprop", "lr": 0.01}),
    ("rmsprop-rho-eps", {"kind": "rmsprop", "lr": 0.005, "rho": 0.9, "eps": 1e-6}),
    ("rmsprop-momentum", {"kind": "rmsprop", "lr": 0.01, "momentum": 0.9}),
    ("rmsprop-weight-decay", {"kind": "rmsprop", "lr": 0.01, "momentum": 0.5, "weightDecay": 0.05}),
    ("adam-defaults", {"kind": "adam", "lr": 0.001}),
    ("adam-large-lr", {"kind": "adam", "lr": 0.1}),
    ("adam-betas-eps-weight-decay", {"kind": "adam", "lr": 0.01, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6,
                                     "weightDecay": 0.01}),
]
# Learning rates per step for the cases that change lr mid-run (Trainer.setLearningRate).
LR_CHANGES = {"sgd-momentum": [0.05, 0.05, 0.05, 0.01, 0.01, 0.2], "adam-defaults": [0.001, 0.001, 0.02, 0.02, 0.005,
                                                                                    0.005]}


def optimizer_fixture():
    cases = []
    for name, config in OPTIMIZER_CASES:
        for lrs in ([None] + ([LR_CHANGES[name]] if name in LR_CHANGES else [])):
            params = make_params()
            grads = make_grads()
            keyed = {k: v.clone().requires_grad_(True) for k, v in params.items()}
            opt = torch_optimizer(config, list(keyed.values()))
            steps = []
            for i, g in enumerate(grads):
                if lrs is not None:
                    for group in opt.param_groups:
                        group["lr"] = lrs[i]
                for k, p in keyed.items():
                    p.grad = g[k].clone()
                opt.step()
                steps.append({
                    "params": {k: tensor_json(p) for k, p in keyed.items()},
                    "slots": state_json(config["kind"], opt, keyed),
                })
            case = {
                "name": name + ("-lr-changes" if lrs is not None else ""),
                "config": config,
                "params": {k: tensor_json(v) for k, v in params.items()},
                "grads": [{k: tensor_json(v) for k, v in g.items()} for g in grads],
                "steps": steps,
            }
            if lrs is not None:
                case["lrs"] = lrs
            cases.append(case)
    return cases


# ---------------------------------------------------------------- clipping

def clipping_fixture():
    cases = []
    base = {k: (torch.randn(*s) * 2).float() for k, s in PARAM_SHAPES.items()}
    settings = [
        ("norm-clips", {"clipNorm": 1.0}),
        ("norm-clips-hard", {"clipNorm": 0.01}),
        ("norm-no-clip", {"clipNorm": 100.0}),
        ("value", {"clipValue": 0.5}),
        ("norm-then-value", {"clipNorm": 3.0, "clipValue": 0.3}),
    ]
    for name, setting in settings:
        ps = [torch.zeros(*PARAM_SHAPES[k], requires_grad=True) for k in base]
        for p, g in zip(ps, base.values()):
            p.grad = g.clone()
        total = torch.sqrt(sum((g.double() ** 2).sum() for g in base.values()))
        if "clipNorm" in setting:
            total = torch.nn.utils.clip_grad_norm_(ps, setting["clipNorm"])
        if "clipValue" in setting:
            torch.nn.utils.clip_grad_value_(ps, setting["clipValue"])
        cases.append({
            "name": name,
            **setting,
            "grads": {k: tensor_json(v) for k, v in base.items()},
            "totalNorm": float(total),
            "clipped": {k: tensor_json(p.grad) for k, p in zip(base, ps)},
        })
    return cases


# ---------------------------------------------------------------- whole trainer steps

T, B, D, H, O = 6, 3, 2, 3, 2
LENGTHS = [6, 4, 1]


def lstm_chunk(w, x, lengths, h, c):
    """A hand-written masked LSTM (PyTorch gate order i,f,g,o): padded steps leave the state unchanged."""
    outs = []
    for t in range(x.shape[0]):
        gates = x[t] @ w["rnn/weight_ih"].T + w["rnn/bias_ih"] + h @ w["rnn/weight_hh"].T + w["rnn/bias_hh"]
        i, f, g, o = gates.chunk(4, dim=1)
        c_new = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        h_new = torch.sigmoid(o) * torch.tanh(c_new)
        m = (torch.tensor(lengths) > t).float().unsqueeze(1)
        c = m * c_new + (1 - m) * c
        h = m * h_new + (1 - m) * h
        outs.append(h)
    return torch.stack(outs), h, c


def frame_mask(y, lengths):
    """[T, B, 1]: 1 at valid steps."""
    return (torch.arange(y.shape[0]).unsqueeze(1) < torch.tensor(lengths).unsqueeze(0)).float().unsqueeze(2)


def masked_mse(y, target, lengths):
    m = frame_mask(y, lengths)
    frames = m.sum()
    return ((y - target) ** 2 * m).sum() / (frames * y.shape[2])


def masked_bce(y, target, lengths, loss):
    """PyTorch BCELoss (log clamped at -100) or BCEWithLogitsLoss per element, weighted by w0*(1-y)+w1*y when
    classWeights is given, summed over valid frames and features, divided by valid frames * features."""
    m = frame_mask(y, lengths)
    target = torch.where(m > 0, target, torch.zeros_like(target))  # padded targets hold values outside [0, 1]
    w0, w1 = loss.get("classWeights", [1.0, 1.0])
    weight = w0 * (1 - target) + w1 * target
    if loss.get("fromLogits", False):
        per = F.binary_cross_entropy_with_logits(y, target, weight=weight, reduction="none")
    else:
        per = F.binary_cross_entropy(y, target, weight=weight, reduction="none")
    return (per * m).sum() / (m.sum() * y.shape[2])


def chunk_loss(loss, y, target, lengths):
    if loss == "mse":
        return masked_mse(y, target, lengths)
    return masked_bce(y, target, lengths, loss)


def trainer_fixture():
    w0 = {
        "rnn/weight_ih": torch.randn(4 * H, D) * 0.5,
        "rnn/weight_hh": torch.randn(4 * H, H) * 0.5,
        "rnn/bias_ih": torch.randn(4 * H) * 0.1,
        "rnn/bias_hh": torch.randn(4 * H) * 0.1,
        "out/weight": torch.randn(O, H) * 0.5,
        "out/bias": torch.randn(O) * 0.1,
    }
    batches = [
        {"x": torch.randn(T, B, D), "target": torch.randn(T, B, O)} for _ in range(3)
    ]
    # Binary targets, drawn after everything above so the earlier numbers do not move: mostly 0/1 labels, a quarter
    # soft values in (0, 1) (the class weight is then w0*(1-y) + w1*y); at padded steps of LENGTHS values outside
    # [0, 1], which the loss must never read (nor reject).
    valid = frame_mask(torch.zeros(T, B, O), LENGTHS) > 0
    for b in batches:
        labels = torch.randint(0, 2, (T, B, O)).float()
        soft = torch.rand(T, B, O) < 0.25
        values = torch.where(soft, torch.rand(T, B, O), labels)
        b["binaryTarget"] = torch.where(valid, values, torch.full((T, B, O), 2.0))
    cases = []
    sigmoid = {"outActivation": "sigmoid"}
    bce = {"targets": "binaryTarget"}
    for name, truncate, clip, optim, lengths, extra in [
        ("full-bptt-adam-clip", None, 0.2, {"kind": "adam", "lr": 0.05}, LENGTHS, {}),
        ("full-bptt-sgd-momentum", None, None, {"kind": "sgd", "lr": 0.1, "momentum": 0.9}, LENGTHS, {}),
        ("tbptt-4-adam-clip", 4, 0.9, {"kind": "adam", "lr": 0.05}, LENGTHS, {}),
        ("tbptt-2-rmsprop", 2, None, {"kind": "rmsprop", "lr": 0.01, "momentum": 0.5}, LENGTHS, {}),
        # Every sample full length: here the largest chunk gradient norm is not always the last chunk's.
        ("tbptt-3-sgd-full-lengths", 3, None, {"kind": "sgd", "lr": 0.2}, [T] * B, {}),
        # Binary cross-entropy on probabilities (a sigmoid output) and on logits, with Silero's class weights.
        ("bce-probabilities-adam", None, None, {"kind": "adam", "lr": 0.05}, LENGTHS,
         {**sigmoid, **bce, "loss": {"kind": "binaryCrossEntropy"}}),
        ("bce-logits-class-weights-sgd-momentum-clip", None, 0.3, {"kind": "sgd", "lr": 0.1, "momentum": 0.9},
         LENGTHS, {**bce, "loss": {"kind": "binaryCrossEntropy", "fromLogits": True, "classWeights": [0.5, 1]}}),
        ("bce-probabilities-class-weights-tbptt-4-rmsprop", 4, None, {"kind": "rmsprop", "lr": 0.01}, LENGTHS,
         {**sigmoid, **bce, "loss": {"kind": "binaryCrossEntropy", "classWeights": [0.5, 1]}}),
        # Frozen weights: left out of the optimizer (no update, no weight decay) and of clip_grad_norm_ (and of the
        # reported norm). A node id freezes all its params; a weight key one param.
        ("freeze-rnn-adam-weight-decay-clip", None, 0.1,
         {"kind": "adam", "lr": 0.05, "weightDecay": 0.1}, LENGTHS, {"freeze": ["rnn"]}),
        ("freeze-keys-bce-class-weights-adam-clip-tbptt-4", 4, 0.05,
         {"kind": "adam", "lr": 0.005, "weightDecay": 0.01}, LENGTHS,
         {**sigmoid, **bce, "loss": {"kind": "binaryCrossEntropy", "classWeights": [0.5, 1]},
          "freeze": ["rnn/weight_ih", "rnn/bias_hh", "out/bias"]}),
    ]:
        loss_config = extra.get("loss", "mse")
        target_key = extra.get("targets", "target")
        out_activation = extra.get("outActivation", "linear")
        frozen = set()
        for entry in extra.get("freeze", []):
            frozen |= {k for k in w0 if k == entry or k.startswith(entry + "/")}
        w = {k: v.clone().float().requires_grad_(k not in frozen) for k, v in w0.items()}
        trained = [p for k, p in w.items() if k not in frozen]
        opt = torch_optimizer(optim, trained)
        steps = []
        for batch in batches:
            k = truncate or T
            h = torch.zeros(B, H)
            c = torch.zeros(B, H)
            chunk_results = []
            for start in range(0, T, k):
                end = min(start + k, T)
                lens = [max(0, min(L - start, end - start)) for L in lengths]
                if sum(lens) == 0:
                    continue
                opt.zero_grad()
                seq, h_new, c_new = lstm_chunk(w, batch["x"][start:end], lens, h.detach(), c.detach())
                y = seq @ w["out/weight"].T + w["out/bias"]
                if out_activation == "sigmoid":
                    y = torch.sigmoid(y)
                loss = chunk_loss(loss_config, y, batch[target_key][start:end], lens)
                loss.backward()
                norm = torch.sqrt(sum((p.grad.double() ** 2).sum() for p in trained))
                if clip is not None:
                    torch.nn.utils.clip_grad_norm_(trained, clip)
                opt.step()
                h, c = h_new.detach(), c_new.detach()
                chunk_results.append({"loss": float(loss), "frames": sum(lens), "gradNorm": float(norm)})
            frames = sum(r["frames"] for r in chunk_results)
            steps.append({
                # Loss of a step: the frame-weighted mean of its chunks' losses; gradNorm: the largest chunk norm.
                "loss": sum(r["loss"] * r["frames"] for r in chunk_results) / frames,
                "gradNorm": max(r["gradNorm"] for r in chunk_results),
                "chunks": chunk_results,
                "weights": {k: tensor_json(v) for k, v in w.items()},
            })
        for k in frozen:
            assert torch.equal(w[k].detach(), w0[k].float()), f"{name}: frozen {k} moved"
        config = {"loss": loss_config, "optimizer": optim}
        if clip is not None:
            config["clipNorm"] = clip
        if truncate is not None:
            config["truncateSteps"] = truncate
        if "freeze" in extra:
            config["freeze"] = extra["freeze"]
        case = {"name": name, "config": config, "lengths": lengths, "steps": steps}
        if out_activation != "linear":
            case["outActivation"] = out_activation
        if target_key != "target":
            case["targets"] = target_key
        cases.append(case)
    return {
        "model": {"T": T, "B": B, "D": D, "H": H, "O": O},
        "weights": {k: tensor_json(v) for k, v in w0.items()},
        "batches": [
            {"x": tensor_json(b["x"]), "target": tensor_json(b["target"]), "binaryTarget": tensor_json(b["binaryTarget"])}
            for b in batches
        ],
        "cases": cases,
    }


def write(name, payload):
    path = os.path.join(OUT, name)
    body = {"generator": "tooling/optim-fixtures/generate.py", "torch": torch.__version__, **payload}
    with open(path, "w") as f:
        json.dump(body, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", os.path.relpath(path, ROOT))


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    write("optimizers.json", {"cases": optimizer_fixture()})
    write("clipping.json", {"cases": clipping_fixture()})
    write("trainer.json", trainer_fixture())
