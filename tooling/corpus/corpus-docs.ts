/** README.md and LICENSE for packages/speech/data (generated so the checksums stay in sync). */

interface Input {
  written: Record<string, string>;
  utterances: number;
  frames: number;
}

/** File name → text. */
export function writeDocs({ written, utterances, frames }: Input): Record<string, string> {
  const sums = Object.entries(written)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, hash]) => `${hash}  ${name}`)
    .join("\n");
  const readme = `# The embedded speech corpus

Real recorded speech with phone alignments, for per-frame phone classification and next-frame prediction.
${utterances} utterances, ${frames} frames (${(frames / 6000).toFixed(1)} min), one professional speaker (Allison Smith).

## Source

- Audio: the Debian package \`asterisk-core-sounds-en-g722\` (the Asterisk PBX English prompts, G.722 = 16 kHz
  wideband), decoded with \`ffmpeg -i x.g722 -ar 16000 -ac 1\` (the codec delay, ≈ 1.7 ms, is left in).
- Transcripts: \`/usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz\` from \`asterisk-core-sounds-en\`.
- Alignment: words → phones with CMUdict (\`cmudict-en-us.dict\` from \`pocketsphinx-en-us\`, all pronunciation
  variants as alternatives), then phone-level forced alignment with Debian \`pocketsphinx\` 0.8+5prealpha
  (each phone a one-phone word, the sequence forced by a JSGF grammar, optional silence at both ends,
  \`-silprob 0.1\`, wide beams). Prompts with words missing from CMUdict, non-speech prompts and failed
  alignments are left out; see QUALITY.md.

## Files

| file | content |
|---|---|
| \`corpus.json\` | manifest: recipe, class list, utterances in order (\`id\`, \`text\`, \`frames\`), file checksums |
| \`features.f16\` | \`[ΣT, 13]\` static MFCC (log energy, c1..c12), little-endian float16; Δ/ΔΔ are computed on load |
| \`labels.u8\` | \`[ΣT]\` class index per frame (0 = sil, then the 39 ARPAbet phones; see \`classes\`) |
| \`audio/*.wav\`, \`audio/*.phn\` | a handful of the real 16 kHz recordings with their TIMIT-style alignments (samples) |
| \`QUALITY.md\` | counts, class balance, silence fraction, alignment spot check |
| \`LICENSE\` | CC-BY-SA-3.0 attribution for everything in this folder |

Features follow the MFCC recipe of \`@recurrent/speech\` (packages/speech/src/mfcc-recipe.ts), computed by that
same code, so \`mfcc(readWav(x).samples)\` on a WAV gives the corpus's frames (up to float16 rounding).
A frame's label is the aligned phone at its centre sample (160·t + 200).

## Rebuild

From the repository root, as root on Debian bookworm (it apt-gets ffmpeg, pocketsphinx, pocketsphinx-en-us,
asterisk-core-sounds-en and asterisk-core-sounds-en-g722 when missing):

    bash tooling/corpus/build.sh

It rewrites this folder and the MFCC fixtures, and prints the checksums below. Dev-time only: loading the corpus
needs neither the network nor Python.

## Checksums (SHA-256)

\`\`\`
${sums}
\`\`\`
`;
  const license = `The data in this folder (audio excerpts, features derived from the audio, phone alignments and labels)
is derived from the Asterisk core sound prompts (English, voice of Allison Smith):

  Copyright (C) Allison Smith / Digium, Inc.
  Source: Debian packages asterisk-core-sounds-en and asterisk-core-sounds-en-g722
  Licence: Creative Commons Attribution-ShareAlike 3.0 Unported (CC BY-SA 3.0)
  https://creativecommons.org/licenses/by-sa/3.0/

Changes: decoded from G.722 to 16 kHz PCM; a subset of prompts; MFCC features computed; phone alignments made by
forced alignment with pocketsphinx and CMUdict. This derived data is distributed under the same licence,
CC BY-SA 3.0. The code of @recurrent/speech is not covered by this licence (it does not contain the data).
`;
  return { "README.md": readme, LICENSE: license };
}
