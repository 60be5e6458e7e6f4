# onefish — one non-recursive Makefile.
#
#   make            build bin/onefish
#   make check      install deps, build, run every test (unit + end-to-end)
#   make demo       install deps, build, run the main job on examples/
#   make sanitize   ASan+UBSan build running the whole test suite
#   make bench      benchmarks (figures go to docs/BENCHMARKS.md)
#   make fuzz       libFuzzer targets (FUZZ_SECONDS each)
#   make deps       install the Debian packages (idempotent)
#   make install    PREFIX=/usr/local DESTDIR=

VERSION := 0.2.16
PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
BIN     ?= bin
CC      ?= cc

PKGS := libcmark libxml-2.0 libavformat libavcodec libavfilter libswscale \
        libswresample libavutil libass fontconfig freetype2 libcurl jansson yaml-0.1 \
        libutf8proc opencc libxxhash espeak-ng friso zlib libzip

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN    := -Wall -Wextra -Werror -Wstrict-prototypes -Wshadow -Wno-unused-parameter
CFLAGS  ?= -O2 -g
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -Iinclude -Istages \
              -DOF_VERSION=\"$(VERSION)\" -DOF_DATADIR=\"$(PREFIX)/share/onefish\" \
              $(PKG_CFLAGS) -MMD -MP
LDLIBS  := $(PKG_LIBS) -lm -lpthread

ifneq ($(SANITIZE),)
ALL_CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -O1
LDFLAGS    += -fsanitize=address,undefined
endif

LIB_SRC  := $(sort $(wildcard stages/*/*.c) $(filter-out pipeline/main.c,$(wildcard pipeline/*.c)))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(BUILD)/pipeline/main.o
LIB      := $(BUILD)/libonefish.a
ONEFISH  := $(BIN)/onefish

UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TEST_SUPPORT_SRC := $(wildcard tests/support/*.c)
TEST_SUPPORT_OBJ := $(TEST_SUPPORT_SRC:%.c=$(BUILD)/%.o)

.PHONY: all check unit e2e demo deps sanitize install uninstall clean bench fuzz lint valgrind
.DEFAULT_GOAL := all

all: $(ONEFISH)

# Every object depends on the compile flags (version, prefix, sanitizers): the
# stamp is rewritten only when they change, so a new VERSION rebuilds everything.
FLAGS_STAMP := $(BUILD)/cflags.txt
$(FLAGS_STAMP): FORCE
	@mkdir -p $(dir $@)
	@echo '$(ALL_CFLAGS)' | cmp -s - $@ || echo '$(ALL_CFLAGS)' > $@
FORCE:

$(BUILD)/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(ONEFISH): $(MAIN_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(MAIN_OBJ) $(LIB) $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIB) $(TEST_SUPPORT_OBJ)
	@mkdir -p $(dir $@)
	@echo "  TEST $@"
	@$(CC) $(ALL_CFLAGS) -Itests/support -o $@ $< $(TEST_SUPPORT_OBJ) $(LIB) $(LDFLAGS) $(LDLIBS) $$(pkg-config --libs cmocka)

# The stamp makes `make deps` cheap when everything is already installed.
deps:
	@./tools/deps.sh

check: deps
	@$(MAKE) --no-print-directory all $(UNIT_BIN)
	@BUILD=$(BUILD) BIN=$(BIN) ./tests/run.sh

unit: all $(UNIT_BIN)
	@BUILD=$(BUILD) BIN=$(BIN) ./tests/run.sh unit

e2e: all
	@BUILD=$(BUILD) BIN=$(BIN) ./tests/run.sh e2e

demo: deps
	@$(MAKE) --no-print-directory all
	$(ONEFISH) run examples/week-2026-47 -o out
	@echo "demo: open out/week-2026-47/index.html (article, script, video, prompts)"

sanitize: deps
	@$(MAKE) --no-print-directory SANITIZE=1 BUILD=build-san BIN=build-san/bin check

valgrind: all
	@./tests/valgrind.sh

bench: all
	@./tests/bench/run.sh

fuzz:
	@./tests/fuzz/run.sh

lint:
	@! grep -nE '\b(gets|sprintf|vsprintf|strcpy|strcat|strncpy|strtok|atoi|atol|sscanf|system|popen|tmpnam)\s*\(' \
	   $(LIB_SRC) pipeline/main.c || (echo "lint: banned function used" && false)

install: $(ONEFISH)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/onefish
	install -m 0755 $(ONEFISH) $(DESTDIR)$(PREFIX)/bin/onefish
	cp -R assets/. $(DESTDIR)$(PREFIX)/share/onefish/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/onefish
	rm -rf $(DESTDIR)$(PREFIX)/share/onefish

clean:
	rm -rf $(BUILD) build-san $(BIN) out

-include $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d) $(TEST_SUPPORT_OBJ:.o=.d) $(UNIT_BIN:=.d)
