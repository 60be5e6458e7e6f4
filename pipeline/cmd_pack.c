/* cmd_pack.c — run, review, check: the weekly pack commands (to be completed). */
#include "cli.h"
#include "onefish/error.h"

static int run_run(const of_cli_args *a)
{
	(void)a;
	of_error_set(OF_ERROR, "run not built yet");
	return of_cli_fail("run");
}

static int run_review(const of_cli_args *a)
{
	(void)a;
	of_error_set(OF_ERROR, "review not built yet");
	return of_cli_fail("review");
}

static int run_check(const of_cli_args *a)
{
	(void)a;
	of_error_set(OF_ERROR, "check not built yet");
	return of_cli_fail("check");
}

const of_command of_cmd_run = {
	"run", "run the whole loop on pack folders into OUT_DIR/<pack>/",
	"usage: onefish run PACK_DIR... [-o OUT_DIR] [-j N] [--shard I/N] [--force] [--engine offline|llm]\n"
	"                  [--strict] [--json] [--quiet] [--dry-run]\n",
	OF_OPT_OUT | OF_OPT_JOBS | OF_OPT_SHARD | OF_OPT_FORCE | OF_OPT_ENGINE | OF_OPT_DRYRUN, run_run};

const of_command of_cmd_review = {
	"review", "(re)write OUT_DIR/index.html, the review page",
	"usage: onefish review OUT_DIR\n", 0, run_review};

const of_command of_cmd_check = {
	"check", "validate a pack's config and inputs; writes nothing",
	"usage: onefish check PACK_DIR\n", 0, run_check};
