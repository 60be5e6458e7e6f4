/* fuzz_image.c — image decoding through libav* with our limits (of_rimage_decode:
 * our own AVIO over the bytes, content probe among JPEG/PNG/WebP/GIF/BMP,
 * max_pixels). First byte: bit 0 shrink into a 270x480 box, bit 1 cover.
 * A decoded picture has sane dimensions, within the pixel cap and the box. */
#include "fuzz.h"
#include "render/render_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* 4 Mpx keeps each run fast; the production cap is OF_MAX_IMAGE_PIXELS. */
	const long long max_pixels = 4LL * 1024 * 1024;
	of_rimage *im = NULL;
	if (size == 0)
		return 0;
	of_log_set_handler(of_fuzz_log, NULL);
	int box = data[0] & 1, cover = (data[0] >> 1) & 1;
	int rc = of_rimage_decode(&im, data + 1, size - 1, "fuzz.img", max_pixels, box ? 270 : 0, box ? 480 : 0, cover);
	if (rc == 0) {
		OF_FUZZ_CHECK(im && im->w > 0 && im->h > 0 && im->rgba);
		OF_FUZZ_CHECK((long long)im->w * im->h <= max_pixels);
		/* Every pixel is readable (ASan checks the bounds). */
		unsigned sum = 0;
		for (long long i = 0; i < 4LL * im->w * im->h; i += 97)
			sum += im->rgba[i];
		(void)sum;
		of_rimage_free(im);
	} else {
		of_fuzz_check_error(rc);
		OF_FUZZ_CHECK(im == NULL);
	}
	of_log_set_handler(NULL, NULL);
	return 0;
}
