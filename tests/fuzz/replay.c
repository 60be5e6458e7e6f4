/* replay.c — standalone driver: feeds files (or every file of folders) to a
 * fuzz target's LLVMFuzzerTestOneInput without libFuzzer, to reproduce a crash
 * under gdb or valgrind:  build-fuzz/replay_json tests/fuzz/corpus/json/
 * (tests/fuzz/run.sh builds one per target; `make check` replays the corpora
 * through tests/unit/test_fuzz_replay.c instead.) */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;
	if (!fp) {
		perror(path);
		return -1;
	}
	do {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			if (!(buf = realloc(buf, cap)))
				abort();
		}
		n = fread(buf + len, 1, cap - len, fp);
		len += n;
	} while (n > 0);
	fclose(fp);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int files = 0, bad = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			perror(argv[i]);
			bad++;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			bad += replay_file(argv[i]) != 0;
			files++;
			continue;
		}
		struct dirent **list;
		int n = scandir(argv[i], &list, NULL, alphasort);
		for (int k = 0; k < n; k++) {
			char path[4096];
			if (list[k]->d_name[0] != '.') {
				snprintf(path, sizeof path, "%s/%s", argv[i], list[k]->d_name);
				bad += replay_file(path) != 0;
				files++;
			}
			free(list[k]);
		}
		free(n >= 0 ? list : NULL);
	}
	fprintf(stderr, "replay: %d input(s), %d unreadable\n", files, bad);
	return bad ? 1 : 0;
}
