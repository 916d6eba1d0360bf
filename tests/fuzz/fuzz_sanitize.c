/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Output sanitising and perfdata labels (lib/sanitize.c,
 * lib/perfdata.c) and the printer that uses both (lib/result.c).
 * Input: byte 0 picks the sanitiser's max characters, byte 1 its buffer
 * size; the rest is the hostile text, used as a summary, a sub-check
 * line and a perfdata label.
 * Properties: sanitised text is valid UTF-8 without control characters
 * or '|', within its size and character limits; a label keeps only
 * [A-Za-z0-9_-], every other byte of it replaced by '_'; the
 * printed result has exactly one line per sub-check plus one, and
 * exactly one '|', the one before the perfdata. */
#include "fuzz.h"
#include "streamwatch/perfdata.h"
#include "streamwatch/result.h"
#include "streamwatch/sanitize.h"

/* Counts UTF-8 characters (the text is known to be well-formed). */
static size_t chars(const char *s) {
  size_t k = 0;
  for (; *s; s++)
    k += ((unsigned char)*s & 0xC0) != 0x80;
  return k;
}

static void check_sanitize(const char *src, size_t len, size_t size,
                           size_t max) {
  char *dst = malloc(size);
  if (!dst)
    abort();
  size_t out = sw_sanitize(dst, size, src, len, max);
  FUZZ_ASSERT(out < size && out == strlen(dst));
  FUZZ_ASSERT(fuzz_printable(dst));
  FUZZ_ASSERT(fuzz_utf8((const unsigned char *)dst, out));
  FUZZ_ASSERT(max == 0 || chars(dst) <= max);
  free(dst);
}

/* A label is one flat metric name: only [A-Za-z0-9_-], the label's own
 * bytes where they are of that set and '_' for every other byte, so it
 * never needs quotes and no two bytes of input vanish. */
static bool plain(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static void check_label(const char *label) {
  char q[1024];
  size_t i;

  if (sw_perf_label(q, sizeof q, label) != 0) {
    FUZZ_ASSERT(strlen(label) + 1 > sizeof q);
    return;
  }
  FUZZ_ASSERT(q[0] != '\0');
  if (!label[0]) {
    FUZZ_ASSERT(strcmp(q, "_") == 0);
    return;
  }
  FUZZ_ASSERT(strlen(q) == strlen(label));
  for (i = 0; label[i]; i++) {
    unsigned char c = (unsigned char)label[i];
    FUZZ_ASSERT(plain((unsigned char)q[i]));
    FUZZ_ASSERT(q[i] == (plain(c) ? (char)c : '_'));
  }
}

static void check_print(const char *text) {
  sw_check c;
  sw_perf p = {.measured = true, .value = 1.5, .uom = "s"};
  char *buf = NULL;
  size_t len = 0, lines = 0, bars = 0, i;
  FILE *f;

  sw_check_init(&c, "FUZZ");
  sw_check_summary(&c, "summary %s", text);
  sw_check_sub(&c, SW_WARNING, "%s", text);
  sw_check_sub(&c, SW_OK, "second %s", text);
  snprintf(p.label, sizeof p.label, "%s", text);
  FUZZ_ASSERT(sw_check_perf(&c, &p) == 0);
  if (!(f = open_memstream(&buf, &len)))
    abort();
  sw_check_print(&c, f);
  fclose(f);
  for (i = 0; i < len; i++) {
    FUZZ_ASSERT(buf[i] != '\0');
    lines += buf[i] == '\n';
    bars += buf[i] == '|';
  }
  FUZZ_ASSERT(len > 0 && buf[len - 1] == '\n');
  FUZZ_ASSERT(lines == 3);
  FUZZ_ASSERT(bars == 1);
  FUZZ_ASSERT(strchr(buf, '|') < strchr(buf, '\n'));
  FUZZ_ASSERT(strncmp(buf, "FUZZ WARNING - summary ", 23) == 0);
  free(buf);
  sw_check_free(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
  if (n < 2)
    return 0;
  size_t max = d[0] % 80, size = 1 + d[1];
  char *raw = fuzz_bytes(d + 2, n - 2), *s = fuzz_str(d + 2, n - 2);

  check_sanitize(raw, n - 2, size, max);
  check_sanitize(raw, n - 2, 4096, 0);
  check_print(s);
  if (strlen(s) > 400)
    s[400] = '\0'; /* a longer label only costs time; 400 quoted fits */
  check_label(s);
  free(raw);
  free(s);
  return 0;
}
