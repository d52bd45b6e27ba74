#!/usr/bin/env bash
# make_demo_audio.sh — regenerate fixtures/audio/: a short synthetic recording of each library transcript.
#
# For every fixtures/transcripts/<name>.json it speaks the lines that start in the first $SECONDS_LIMIT
# seconds with espeak-ng (one voice per speaker), each line placed at its own start time and fitted into its
# slot, mixes them into mono 16 kHz audio and encodes fixtures/audio/<name>.mp3 (32 kbit/s). Beside it goes
# fixtures/audio/<name>.json: the transcript of exactly those lines (same timings), and fixtures/manifest.json
# registers that transcript for the MP3's sha256, so uploading the file gives back what it says.
#
# Not run by CI (the files are committed). Needs: apt-get install -y espeak-ng sox lame
# Usage: scripts/make_demo_audio.sh [name ...]     (default: every transcript)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_LIMIT=${SECONDS_LIMIT:-45}
for tool in espeak-ng sox lame; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y espeak-ng sox lame" >&2; exit 1; }
done
PY=.venv/bin/python
[ -x "$PY" ] || PY=python3
mkdir -p fixtures/audio
SECONDS_LIMIT=$SECONDS_LIMIT exec "$PY" - "$@" <<'PYEOF'
import array
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

RATE = 16000
LIMIT = float(os.environ["SECONDS_LIMIT"])
FIXTURES = Path("fixtures")
OUT = FIXTURES / "audio"
# espeak-ng voice variants; a speaker keeps one voice for the whole conversation
FEMALE_VOICES = ["en-us+f2", "en-us+f4", "en-gb+f3", "en-us+f5"]
MALE_VOICES = ["en-us+m3", "en-gb+m4", "en-us+m7", "en-gb+m1"]
FEMALE_NAMES = {
    "maria", "priya", "sarah", "grace", "aisha", "hannah", "laura", "sophie", "fatima", "emily",
    "linda", "anna", "julia", "olivia", "emma", "chloe", "nina", "mei", "elena", "rachel",
}


def voices_for(speakers: list[str]) -> dict[str, str]:
    female = male = 0
    chosen = {}
    for name in speakers:
        if name.split()[0].lower() in FEMALE_NAMES:
            chosen[name] = FEMALE_VOICES[female % len(FEMALE_VOICES)]
            female += 1
        else:
            chosen[name] = MALE_VOICES[male % len(MALE_VOICES)]
            male += 1
    return chosen


def speak(text: str, voice: str, slot: float, tmp: Path) -> array.array:
    """Synthesise one line at a speed that fits its slot; return 16 kHz mono int16 samples."""
    words = max(1, len(text.split()))
    wpm = int(min(230, max(140, words / max(slot, 0.5) * 60)))
    raw, resampled = tmp / "line.wav", tmp / "line16k.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(wpm), "-w", str(raw), text], check=True)
    effects = ["rate", str(RATE)]
    length = float(subprocess.run(["soxi", "-D", str(raw)], check=True, capture_output=True, text=True).stdout)
    if length > slot:  # still too long at the top speed: compress time, keep the pitch
        effects = ["tempo", "-s", f"{min(length / slot, 1.5):.3f}", *effects]
    subprocess.run(["sox", "-R", str(raw), "-c", "1", "-b", "16", str(resampled), *effects], check=True)
    with wave.open(str(resampled)) as w:
        samples = array.array("h", w.readframes(w.getnframes()))
    if sys.byteorder == "big":
        samples.byteswap()
    return samples


def build(path: Path, tmp: Path) -> dict:
    doc = json.loads(path.read_text(encoding="utf-8"))
    lines = [ln for ln in doc["lines"] if ln["start"] < LIMIT]
    speakers = list(dict.fromkeys(ln["speaker"] for ln in lines))
    voices = voices_for([s["name"] for s in doc.get("speakers", [])] or speakers)
    duration = round(max(ln["end"] for ln in lines) + 1.0, 3)
    mix = array.array("h", bytes(2 * int(duration * RATE)))
    for index, line in enumerate(lines):
        following = lines[index + 1]["start"] if index + 1 < len(lines) else duration
        slot = min(line["end"], following) - line["start"]
        samples = speak(line["text"], voices[line["speaker"]], slot, tmp)
        offset = int(line["start"] * RATE)
        for i, value in enumerate(samples[: len(mix) - offset]):
            mix[offset + i] = max(-32768, min(32767, mix[offset + i] + value))
    wav = tmp / "mix.wav"
    with wave.open(str(wav), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        if sys.byteorder == "big":
            mix.byteswap()
        w.writeframes(mix.tobytes())
    mp3 = OUT / f"{doc['name']}.mp3"
    subprocess.run(["lame", "--quiet", "-m", "m", "-b", "32", "--resample", "16", str(wav), str(mp3)], check=True)
    excerpt = {
        "name": f"{doc['name']}.audio",
        "title": doc["title"],
        "language": doc.get("language", "en-US"),
        "duration": duration,
        "speakers": [s for s in doc.get("speakers", []) if s["name"] in speakers],
        "lines": lines,
    }
    (OUT / f"{doc['name']}.json").write_text(json.dumps(excerpt, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    digest = hashlib.sha256(mp3.read_bytes()).hexdigest()
    print(f"{mp3}: {duration:.1f} s, {len(lines)} lines, {mp3.stat().st_size // 1024} KiB, sha256 {digest[:12]}...")
    return {"sha256": digest, "transcript": f"audio/{doc['name']}.json"}


def main() -> None:
    names = sys.argv[1:] or sorted(p.stem for p in (FIXTURES / "transcripts").glob("*.json"))
    manifest_path = FIXTURES / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    entries = manifest.setdefault("media", [])
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            entry = build(FIXTURES / "transcripts" / f"{name}.json", Path(tmp))
            # replace this recording's previous registration, keep everyone else's entries
            entries[:] = [e for e in entries if e.get("transcript") != entry["transcript"]] + [entry]
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    total = sum(p.stat().st_size for p in OUT.glob("*.mp3"))
    print(f"fixtures/audio: {total / 1e6:.2f} MB of MP3; manifest.json has {len(entries)} media entries")


main()
PYEOF
