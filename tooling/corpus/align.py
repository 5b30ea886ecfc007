#!/usr/bin/python3
"""Decode the asterisk English prompts to 16 kHz WAV and phone-align them with pocketsphinx.

Dev-time only (run by build.sh). Needs the Debian packages ffmpeg, pocketsphinx, pocketsphinx-en-us,
asterisk-core-sounds-en and asterisk-core-sounds-en-g722. Writes, under WORK:
  wav/<id>.wav      16 kHz mono 16-bit PCM (ffmpeg, bit-exact header)
  phn/<id>.phn      TIMIT-style "start end label" lines in samples, contiguous from 0 to the last sample
  manifest.json     every prompt with its text and status ("ok", or "skipped"/"failed" and a reason)

Alignment: words -> phones with CMUdict (all pronunciation variants, as JSGF alternatives), each ARPAbet
phone a one-phone "word", the utterance forced with a JSGF grammar with optional silence at both ends
(pocketsphinx inserts inter-word silence itself, -silprob 0.1), wide beams, -time yes.
"""
import gzip
import json
import os
import re
import subprocess
import sys
from multiprocessing import Pool

SOUNDS = "/usr/share/asterisk/sounds/en_US_f_Allison"  # what the "en" alternative points to
TRANSCRIPTS = "/usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz"
MODEL = "/usr/share/pocketsphinx/model/en-us"
CMUDICT = MODEL + "/cmudict-en-us.dict"
PHONES = ("aa ae ah ao aw ay b ch d dh eh er ey f g hh ih iy jh k l m n ng ow oy p r s sh t th uh uw v w y z zh").split()
DIGITS = "zero one two three four five six seven eight nine".split()
SYMBOLS = {"*": "star", "#": "pound"}
RATE = 16000
FRAME = 160  # pocketsphinx frames are 10 ms
# pocketsphinx frame f is the 410-sample window starting at sample 160·f (centre 160·f + 205). A boundary
# before frame f goes midway between the centres of frames f − 1 and f: 160·f + 125. (Our MFCC frame t,
# centre 160·t + 200, then gets exactly pocketsphinx frame t's phone.)
OFFSET = 125


def load_cmudict():
    prons = {}
    with open(CMUDICT, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if not parts:
                continue
            word = re.sub(r"\(\d+\)$", "", parts[0])
            phones = [re.sub(r"\d", "", p).lower() for p in parts[1:]]
            prons.setdefault(word, [])
            if phones not in prons[word]:
                prons[word].append(phones)
    return prons


def load_transcripts():
    with gzip.open(TRANSCRIPTS, "rt", encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith(";") or ":" not in line:
                continue
            name, text = line.split(":", 1)
            yield name.strip(), text.strip()


def words_of(text):
    """Normalized words, or (None, reason)."""
    if "[" in text or "]" in text or not text:
        return None, "non-speech description"
    text = text.replace("\u2019", "'").lower()
    words = []
    for token in re.split(r"[\s,.;:!?\"()]+|--", text):
        token = token.strip("'-")
        if not token:
            continue
        if token in SYMBOLS:
            words.append(SYMBOLS[token])
        elif re.fullmatch(r"\d", token):
            words.append(DIGITS[int(token)])
        elif re.fullmatch(r"[a-z'-]+", token):
            words.append(token)
        else:
            return None, f"token {token!r} cannot be spelled out"
    return words, None


def pronunciations(words, prons):
    out = []
    for w in words:
        if w in prons:
            out.append(prons[w])
        elif "-" in w and all(p in prons for p in w.split("-")):
            out.extend(prons[p] for p in w.split("-"))
        else:
            return None, f"word {w!r} not in CMUdict"
    return out, None


def grammar(word_prons):
    items = []
    for alts in word_prons:
        seqs = [" ".join(p) for p in alts]
        items.append(seqs[0] if len(seqs) == 1 else "( " + " | ".join(seqs) + " )")
    return "#JSGF V1.0;\ngrammar align;\npublic <utt> = [ sil ] " + " ".join(items) + " [ sil ];\n"


def decode(src, dst):
    subprocess.run(
        ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", src, "-ar", str(RATE), "-ac", "1",
         "-c:a", "pcm_s16le", "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact", dst],
        check=True,
    )


def wav_samples(path):
    import wave
    with wave.open(path) as w:
        return w.getnframes()


def align_one(job):
    uid, text, word_prons, work = job
    wav = os.path.join(work, "wav", uid + ".wav")
    os.makedirs(os.path.dirname(wav), exist_ok=True)
    decode(os.path.join(SOUNDS, uid + ".g722"), wav)
    n = wav_samples(wav)
    gram = os.path.join(work, "gram", uid + ".gram")
    os.makedirs(os.path.dirname(gram), exist_ok=True)
    with open(gram, "w") as f:
        f.write(grammar(word_prons))
    raw = os.path.join(work, "ps", uid + ".txt")
    if not os.path.exists(raw):  # WORK doubles as a cache of the slow step
        run = subprocess.run(
            ["pocketsphinx_continuous", "-infile", wav, "-jsgf", gram, "-dict", os.path.join(work, "phones.dict"),
             "-hmm", MODEL + "/en-us", "-time", "yes", "-remove_silence", "no", "-beam", "1e-80", "-wbeam", "1e-60",
             "-pbeam", "1e-80", "-silprob", "0.1", "-logfn", "/dev/null"],
            capture_output=True, text=True,
        )
        os.makedirs(os.path.dirname(raw), exist_ok=True)
        with open(raw, "w") as f:
            f.write(run.stdout)
    with open(raw) as f:
        ps_out = f.read()
    segs = []
    for line in ps_out.splitlines():
        parts = line.split()
        if len(parts) != 4 or parts[0] == "(NULL)":
            continue
        try:
            start, end = round(float(parts[1]) * 100), round(float(parts[2]) * 100)
        except ValueError:
            continue
        label = parts[0] if parts[0] in PHONES else "sil"
        segs.append([start * FRAME + OFFSET, (end + 1) * FRAME + OFFSET, label])
    expected = [p for p in (s[2] for s in segs) if p != "sil"]
    if not expected:
        return {"id": uid, "text": text, "status": "failed", "reason": "no alignment found"}
    # contiguous cover of [0, n): each segment runs to the next one's start; merge repeated silence
    segs.sort(key=lambda s: s[0])
    merged = []
    for s in segs:
        if merged and merged[-1][2] == "sil" and s[2] == "sil":
            continue
        merged.append(s)
    merged[0][0] = 0
    for a, b in zip(merged, merged[1:]):
        a[1] = b[0]
    merged[-1][1] = n
    merged = [s for s in merged if s[0] < s[1] and s[0] < n]
    merged[-1][1] = n
    phn = os.path.join(work, "phn", uid + ".phn")
    os.makedirs(os.path.dirname(phn), exist_ok=True)
    with open(phn, "w") as f:
        for s, e, lab in merged:
            f.write(f"{s} {e} {lab}\n")
    return {"id": uid, "text": text, "status": "ok", "samples": n, "phones": len(merged)}


def main():
    work = sys.argv[1]
    os.makedirs(work, exist_ok=True)
    with open(os.path.join(work, "phones.dict"), "w") as f:
        for p in PHONES:
            f.write(f"{p} {p.upper()}\n")
        f.write("sil SIL\n")
    prons = load_cmudict()
    manifest, jobs = [], []
    for uid, text in sorted(load_transcripts()):
        if not os.path.exists(os.path.join(SOUNDS, uid + ".g722")):
            manifest.append({"id": uid, "text": text, "status": "skipped", "reason": "no .g722 audio"})
            continue
        if uid.startswith("silence/"):
            manifest.append({"id": uid, "text": text, "status": "skipped", "reason": "non-speech (silence file)"})
            continue
        words, why = words_of(text)
        word_prons, why2 = (pronunciations(words, prons) if words else (None, why))
        if word_prons is None:
            manifest.append({"id": uid, "text": text, "status": "skipped", "reason": why2})
            continue
        jobs.append((uid, text, word_prons, work))
    with Pool(os.cpu_count()) as pool:
        manifest.extend(pool.map(align_one, jobs, chunksize=4))
    manifest.sort(key=lambda m: m["id"])
    with open(os.path.join(work, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    counts = {}
    for m in manifest:
        counts[m["status"]] = counts.get(m["status"], 0) + 1
    print("align:", counts)


if __name__ == "__main__":
    main()
