/* onefish.h — umbrella header: everything public. */
#ifndef ONEFISH_H
#define ONEFISH_H

#include "onefish/article.h"
#include "onefish/buf.h"
#include "onefish/config.h"
#include "onefish/copy.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/http.h"
#include "onefish/json.h"
#include "onefish/limits.h"
#include "onefish/lint.h"
#include "onefish/llm.h"
#include "onefish/log.h"
#include "onefish/prompts.h"
#include "onefish/render.h"
#include "onefish/segment.h"
#include "onefish/stage.h"
#include "onefish/storyboard.h"
#include "onefish/template.h"
#include "onefish/utf8.h"
#include "onefish/version.h"
#include "onefish/voice.h"

#endif
