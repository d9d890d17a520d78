"""Writes the door window's verdict sounds (resources/sounds/*.wav), once: short, distinct
tones made with the standard library, so that no recording or licence is involved.

    python docs/make_door_sounds.py

green: two rising beeps; amber: two equal middle beeps; red: one low, long, rough buzz.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22_050
OUT = Path(__file__).resolve().parent.parent / "resources" / "sounds"

# (frequency Hz, seconds, square-ish) notes; frequency 0 is a pause
SOUNDS: dict[str, list[tuple[float, float, bool]]] = {
    "green": [(880, 0.09, False), (0, 0.03, False), (1320, 0.14, False)],
    "amber": [(660, 0.12, False), (0, 0.08, False), (660, 0.12, False)],
    "red": [(196, 0.45, True)],
}


def samples(freq: float, seconds: float, rough: bool) -> list[int]:
    count = int(RATE * seconds)
    fade = max(1, int(RATE * 0.01))  # 10 ms in and out: no clicks
    out = []
    for i in range(count):
        if freq == 0:
            out.append(0)
            continue
        phase = math.sin(2 * math.pi * freq * i / RATE)
        value = phase + (math.sin(6 * math.pi * freq * i / RATE) / 3 if rough else 0)
        envelope = min(1.0, i / fade, (count - i) / fade)
        out.append(int(max(-1.0, min(1.0, value * 0.6)) * envelope * 32_000))
    return out


def write(name: str) -> Path:
    path = OUT / f"{name}.wav"
    data = [s for note in SOUNDS[name] for s in samples(*note)]
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(struct.pack(f"<{len(data)}h", *data))
    return path


if __name__ == "__main__":
    for sound in SOUNDS:
        print(write(sound))
