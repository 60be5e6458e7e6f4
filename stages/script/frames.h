/* frames.h — storyboard times are whole frames (private to the script stage). */
#ifndef ONEFISH_SCRIPT_FRAMES_H
#define ONEFISH_SCRIPT_FRAMES_H

#include <math.h>

/**
 * A scene duration as the storyboard means it: a whole number of frames, written
 * with 3 decimals (4.933 for 148/30 s). Within half a millisecond of a frame count
 * it is that count exactly, so starts summed from it are frame boundaries rounded
 * once (37.833 s for frame 1135, not the 37.834 s a sum of rounded durations
 * gives) and the total is exact (30 s for 900 frames, not 29.999 s). Anything else
 * (a hand-written 2.25 s at 30 fps) is kept as written. The video stage reads
 * durations the same way (stages/render/script_load.c).
 */
static inline double of_script_frame_exact(double d, double fps)
{
	if (fps > 0) {
		double f = d * fps, k = round(f);
		if (k >= 1 && fabs(f - k) <= fps * 0.0005 + 1e-9)
			return k / fps;
	}
	return d;
}

#endif
