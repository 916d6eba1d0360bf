/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Threshold ranges ([@]start:end) as in the Monitoring Plugins guidelines,
 * parsed strictly. */
#include <string.h>

#include "streamwatch/perfdata.h"
#include "streamwatch/range.h"
#include "streamwatch/strbuf.h"
#include "streamwatch/sanitize.h"
#include "streamwatch/strparse.h"

/* Fills err with "OPT: invalid range 'TEXT'" plus an optional reason.
 * The text is sanitised because a newline typed into a command definition
 * must not split the plugin's output. */
static int range_fail(sw_err *err, const char *opt, const char *text,
                      const char *why) {
  char shown[80];

  sw_sanitize(shown, sizeof shown, text, strlen(text), 64);
  return sw_fail(err, "%s: invalid range '%s'%s%s%s", opt, shown,
                 why ? " (" : "", why ? why : "", why ? ")" : "");
}

/* Parses the part before ':'. Empty means 0 (":10" is accepted, as the
 * Monitoring Plugins do), "~" means minus infinity. */
static int parse_start(const char *s, size_t len, sw_range *r) {
  if (len == 0) {
    r->start = 0;
    return 0;
  }
  if (len == 1 && s[0] == '~') {
    r->start_inf = true;
    return 0;
  }
  return sw_parse_double_n(s, len, &r->start);
}

/* Parses the text after an optional '@' into r; returns 0 or -1. */
static int parse_bounds(const char *s, sw_range *r) {
  const char *colon = strchr(s, ':');

  if (!colon) /* "10": 0..10 */
    return sw_parse_double(s, &r->end);
  if (strchr(colon + 1, ':')) /* "1::2", "1:2:3" */
    return -1;
  if (parse_start(s, (size_t)(colon - s), r) != 0)
    return -1;
  if (colon[1] == '\0') {
    /* "N:" means N..+inf; but ":", "~:" would then alert on nothing
     * (or everything with '@'), which is a typo rather than a wish. */
    if (colon == s || r->start_inf)
      return -1;
    r->end_inf = true;
    return 0;
  }
  return sw_parse_double(colon + 1, &r->end);
}

/* Bounds stay within int64's span: every value a plugin measures (bytes,
 * counts, seconds, a JSON integer) fits it, and a bound beyond it is a
 * typo or an overflow upstream, refused rather than clamped. */
static bool in_int64(const sw_range *r) {
  const double lim = 9223372036854775808.0; /* 2^63 */
  return (r->start_inf || (r->start >= -lim && r->start < lim)) &&
         (r->end_inf || (r->end >= -lim && r->end < lim));
}

int sw_range_parse(const char *text, const char *opt, sw_range *r,
                   sw_err *err) {
  sw_range tmp;
  size_t len;

  memset(r, 0, sizeof *r);
  if (!opt)
    opt = "range";
  if (!text)
    return sw_fail(err, "%s: missing range", opt);
  len = strlen(text);
  if (len == 0)
    return range_fail(err, opt, text, "empty");
  if (len >= sizeof r->text)
    return range_fail(err, opt, text, "longer than 63 characters");
  memset(&tmp, 0, sizeof tmp);
  tmp.inside = text[0] == '@';
  if (parse_bounds(tmp.inside ? text + 1 : text, &tmp) != 0)
    return range_fail(err, opt, text, NULL);
  if (!in_int64(&tmp))
    return range_fail(err, opt, text,
                      "beyond -9223372036854775808..9223372036854775807");
  if (!tmp.start_inf && !tmp.end_inf && tmp.start > tmp.end)
    return range_fail(err, opt, text, "start is greater than end");
  memcpy(tmp.text, text, len + 1);
  tmp.set = true;
  *r = tmp;
  return 0;
}

bool sw_range_alerts(const sw_range *r, double x) {
  bool below, above;

  if (!r || !r->set)
    return false;
  /* NaN compares false everywhere; a value that is not a number is not
   * inside any range, and "not measured" is the caller's business. */
  if (x != x)
    return false;
  below = !r->start_inf && x < r->start;
  above = !r->end_inf && x > r->end;
  return r->inside ? !(below || above) : (below || above);
}

sw_state sw_range_state(const sw_range *warn, const sw_range *crit, double x) {
  if (sw_range_alerts(crit, x))
    return SW_CRITICAL;
  if (sw_range_alerts(warn, x))
    return SW_WARNING;
  return SW_OK;
}

/* One bound as text, with its unit ("300 s", "0.95x"). */
static void bound(sw_buf *b, double v, const char *unit) {
  char num[64];
  sw_perf_number(num, sizeof num, v, 6);
  sw_buf_addf(b, "%s%s%s", num, unit && *unit && *unit != 'x' ? " " : "",
              unit ? unit : "");
}

size_t sw_range_describe(char *buf, size_t n, const sw_range *r,
                         const char *unit) {
  sw_buf b;
  sw_buf_fixed(&b, buf, n);
  if (!r || !r->set) {
    sw_buf_puts(&b, "never");
    return b.len;
  }
  bool lo = !r->start_inf, hi = !r->end_inf;
  if (lo && hi && r->start == r->end) { /* "0": a count that must stay 0 */
    sw_buf_puts(&b, r->inside ? "at " : "other than ");
    bound(&b, r->start, unit);
  } else if (lo && hi) {
    sw_buf_puts(&b, r->inside ? "inside " : "outside ");
    bound(&b, r->start, unit);
    sw_buf_puts(&b, "..");
    bound(&b, r->end, unit);
  } else if (lo) { /* N: */
    sw_buf_puts(&b, r->inside ? "at or above " : "below ");
    bound(&b, r->start, unit);
  } else if (hi) { /* ~:N */
    sw_buf_puts(&b, r->inside ? "at or below " : "above ");
    bound(&b, r->end, unit);
  } else { /* ~: */
    sw_buf_puts(&b, r->inside ? "always" : "never");
  }
  return b.len;
}

int sw_range_parse_floor(const char *text, const char *opt, const char *what,
                         const char *eg, sw_range *r, sw_err *err) {
  char floor[80];
  double d;
  if (sw_parse_double(text, &d) < 0)
    return sw_range_parse(text, opt, r, err);
  if (d < 0 || strlen(text) + 2 > sizeof floor)
    return sw_fail(err,
                   "%s: invalid %s '%s' (a floor such as %s, or a range such "
                   "as %s:)",
                   opt, what, text, eg, eg);
  memcpy(floor, text, strlen(text));
  memcpy(floor + strlen(text), ":", 2);
  return sw_range_parse(floor, opt, r, err);
}

size_t sw_range_threshold(char *buf, size_t n, const char *opt,
                          const sw_range *r, const char *unit) {
  char said[128];
  sw_buf b;
  sw_range_describe(said, sizeof said, r, unit);
  sw_buf_fixed(&b, buf, n);
  sw_buf_addf(&b, "%s: %s", opt, said);
  return b.len;
}
