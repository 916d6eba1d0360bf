/* SPDX-License-Identifier: GPL-3.0-or-later */
/* JSON bodies parsed under a memory budget, with json-c: check_api's
 * responses and -j values, check_login's token responses. The budget is
 * counted before json-c allocates (json-c has no allocation hooks). */
#ifndef STREAMWATCH_JSON_H
#define STREAMWATCH_JSON_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

/* Nesting limit for bodies and -j values: json-c's default (32) is too
 * tight for some real APIs, and without a limit 10000 '[' would recurse. */
enum { SW_JSON_MAX_DEPTH = 64 };

/* The memory json-c may take for one body's tree, in bytes, estimated
 * before parsing (sw_json_load): with check_api's baseline (about 10
 * MiB) and a --max-size body of 4 MiB this keeps the whole plugin under
 * 64 MiB (conventions.md, Bounded by design). It admits about 200000
 * values in objects of a few members, e.g. 3.5 MB of a real track list. */
enum { SW_JSON_MAX_COST = 40 << 20 };

/* How sw_json_load went: only SW_JSON_INVALID says the server sent
 * something that is not JSON; SW_JSON_LIMIT is this check's limit (or
 * memory) and is UNKNOWN, never a CRITICAL about the service. */
typedef enum {
  SW_JSON_OK = 0,
  SW_JSON_INVALID = -1,
  SW_JSON_LIMIT = -2
} sw_json_status;

/* Parses body (len bytes, need not be NUL-terminated) as exactly one JSON
 * document, like sw_json_parse, and says which kind of failure it was:
 * SW_JSON_OK with *out (caller json_object_put()s it); SW_JSON_INVALID
 * (not JSON, messages as sw_json_parse's); SW_JSON_LIMIT when the body
 * is past a limit of this check, msg naming it: `JSON body has 1398101
 * values (1398101 objects, 0 arrays) needing about 1067 MiB, more than
 * the 40 MiB this check parses (limit)`, `JSON nested deeper than 64
 * levels (limit)`, `JSON number at byte 7 has an exponent of more than 15
 * digits (limit)`, or out of memory.
 * The cost is counted in one pass before json-c allocates anything
 * (json-c has no allocation hooks). Integers beyond 64 bits are kept
 * exactly (json-c alone would clamp them to INT64_MIN or UINT64_MAX):
 * they become doubles holding their text, shown as written. */
sw_json_status sw_json_load(const char *body, size_t len,
                            struct json_object **out, char *msg, size_t n);

/* Parses body (len bytes, need not be NUL-terminated) as exactly one JSON
 * document: json-c's strict mode, at most SW_JSON_MAX_DEPTH levels,
 * whitespace around it allowed, anything else after it refused. Bytes that
 * are not UTF-8 are accepted (sanitising handles them on output).
 * Returns the tree (caller json_object_put()s it) or NULL with msg:
 * `empty body`, `invalid JSON at byte 0: unexpected character`,
 * `JSON ends early (unexpected end of data)`, `trailing data after JSON at
 * byte 12`, `JSON nested deeper than 64 levels`, `JSON document is null`
 * (json-c has no non-NULL null, and no assertion other than "==null" on
 * the whole document could hold on it), or a limit as sw_json_load says
 * (kept for callers that treat every failure alike: use sw_json_load
 * to tell a limit, UNKNOWN, from a body that is not JSON). */
struct json_object *sw_json_parse(const char *body, size_t len, char *msg,
                                  size_t n);

/* Parses exactly one JSON text of len bytes as sw_json_load does, but
 * the document `null` is SW_JSON_OK with *out NULL (a -j value may be
 * null) (sw_json_load.c). */
sw_json_status sw_json_load_value(const char *s, size_t len,
                                  struct json_object **out, char *msg,
                                  size_t n);

/* True when t[0..n) is an integer json-c would clamp: below INT64_MIN,
 * or above UINT64_MAX (sw_json_load.c). */
bool sw_json_big_int(const char *t, size_t n);

#endif
