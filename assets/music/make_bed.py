#!/usr/bin/env python3
"""Synthesises assets/music/bed.m4a: a 32 s calm music bed (I-V-vi-IV in C, soft pad,
bass and a plucked arpeggio), standard library only, fully deterministic.

    python3 assets/music/make_bed.py /tmp/bed.wav
    ffmpeg -i /tmp/bed.wav -c:a aac -b:a 64k -fflags +bitexact -flags:a +bitexact assets/music/bed.m4a
"""
import math, struct, sys, wave

RATE = 44100
CHORD_S = 2.0
NOTES = {'C': -9, 'D': -7, 'E': -5, 'F': -4, 'G': -2, 'A': 0, 'B': 2}


def freq(name):
    n, octave = name[:-1], int(name[-1])
    return 440.0 * 2 ** ((NOTES[n] + 12 * (octave - 4)) / 12)


CHORDS = [("C4 E4 G4", "C3"), ("G3 B3 D4", "G2"), ("A3 C4 E4", "A2"), ("F3 A3 C4", "F2")]


def main(out):
    bars = 4
    total = int(RATE * CHORD_S * len(CHORDS) * bars)
    left = [0.0] * total
    right = [0.0] * total
    seg = int(RATE * CHORD_S)
    for k in range(len(CHORDS) * bars):
        pad, bass = CHORDS[k % len(CHORDS)]
        pf = [freq(n) for n in pad.split()]
        bf = freq(bass)
        arp = pf + [pf[1]]
        base = k * seg
        for i in range(seg):
            t = i / RATE
            env = min(1.0, t / 0.3) * min(1.0, (CHORD_S - t) / 0.5)  # slow attack, release
            s_pad = sum(math.sin(2 * math.pi * f * t) for f in pf) * 0.10 * env
            s_bass = math.sin(2 * math.pi * bf * t) * 0.16 * min(1.0, t / 0.02) * math.exp(-t * 0.8)
            step = int(t / 0.25)
            ta = t - step * 0.25
            fa = arp[step % len(arp)] * 2
            s_arp = math.sin(2 * math.pi * fa * ta) * 0.09 * math.exp(-ta * 9) * min(1.0, ta / 0.004)
            left[base + i] = s_pad + s_bass + s_arp * 0.8
            right[base + i] = s_pad + s_bass * 0.9 + s_arp * 1.2
    # fade the loop ends so it can repeat without a click
    fade = int(RATE * 0.05)
    for i in range(fade):
        g = i / fade
        left[i] *= g; right[i] *= g
        left[-1 - i] *= g; right[-1 - i] *= g
    peak = max(max(abs(v) for v in left), max(abs(v) for v in right))
    norm = 0.7 / peak
    with wave.open(out, 'wb') as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(b''.join(struct.pack('<hh', int(l * norm * 32767), int(r * norm * 32767))
                               for l, r in zip(left, right)))


if __name__ == '__main__':
    main(sys.argv[1])
