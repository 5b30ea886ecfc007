#!/usr/bin/env bash
# Regenerates the embedded speech corpus (packages/speech/data/) and the MFCC test fixtures
# (packages/speech/fixtures/) from scratch, and prints the SHA-256 of every file written.
# Dev-time only, Debian bookworm, as root (apt-gets the packages below when missing). About 3-8 minutes.
#   bash tooling/corpus/build.sh            (WORK=/some/dir keeps the decoded WAVs and alignments)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${WORK:-$(mktemp -d -t speech-corpus-XXXXXX)}

need=(ffmpeg pocketsphinx pocketsphinx-en-us asterisk-core-sounds-en asterisk-core-sounds-en-g722)
missing=()
for p in "${need[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

echo "== 1/3 decode + align -> $WORK"
/usr/bin/python3 "$ROOT/tooling/corpus/align.py" "$WORK"
echo "== 2/3 features, labels, audio, docs -> packages/speech/data"
"$ROOT/node_modules/.bin/tsx" "$ROOT/tooling/corpus/build-corpus.ts" "$WORK" "$ROOT/packages/speech/data"
echo "== 3/3 numpy MFCC fixtures -> packages/speech/fixtures"
/usr/bin/python3 "$ROOT/tooling/corpus/mfcc_fixtures.py"
(cd "$ROOT/packages/speech" && sha256sum fixtures/*.json)
