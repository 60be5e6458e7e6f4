/* template.h — {{name}} substitution for the text templates in assets/. */
#ifndef ONEFISH_TEMPLATE_H
#define ONEFISH_TEMPLATE_H

/**
 * Replaces each `{{key}}` in `tmpl` with its value from `kv` (a NULL-terminated
 * list of key, value pairs; borrowed). Unknown keys become "". Values are
 * inserted verbatim (escape them first for HTML). Caller frees `*out` with free().
 * @return 0, OF_EINVALID (unterminated "{{"), OF_ENOMEM.
 */
int of_template_render(char **out, const char *tmpl, const char *const *kv);

/**
 * Loads assets/<rel> (see of_asset_path) and renders it. Caller frees `*out`.
 * @return 0, OF_ENOTFOUND, or the codes of of_template_render.
 */
int of_template_render_asset(char **out, const char *rel, const char *const *kv);

/** Escapes text for HTML element content and attribute values (& < > " '). Caller frees. NULL on OOM. */
char *of_html_escape(const char *s);

#endif
