/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for lib/result.c: the check tree and its printer. Output is
 * captured with open_memstream, so the exact bytes a monitoring engine
 * would read are compared. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "streamwatch/result.h"
#include "streamwatch/sanitize.h"
#include "streamwatch/secret.h"
#include "tap.h"

/* Prints c into a fresh string (caller frees) and returns the state the
 * printer returned through *state. */
static char *capture(const sw_check *c, sw_state *state) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  if (!f)
    return NULL;
  *state = sw_check_print(c, f);
  fclose(f);
  return text;
}

/* Number of '\n' in s. */
static size_t count_lines(const char *s) {
  size_t n = 0;
  for (; s && *s; s++)
    n += *s == '\n';
  return n;
}

/* Number of c in [b, e). */
static size_t count_char(const char *b, const char *e, char c) {
  size_t n = 0;
  for (; b < e; b++)
    n += *b == c;
  return n;
}

/* A perfdata item with a bare value, no thresholds. */
static sw_perf perf_item(const char *label, double value, const char *uom) {
  sw_perf p;
  memset(&p, 0, sizeof p);
  snprintf(p.label, sizeof p.label, "%s", label);
  p.measured = true;
  p.value = value;
  p.uom = uom;
  return p;
}

static void test_first_line(void) {
  sw_check c;
  sw_state st;
  char *out;

  sw_check_init(&c, "RESOLVE");
  is_int(sw_check_state(&c), SW_OK, "a fresh check is OK");
  out = capture(&c, &st);
  is_str(out, "RESOLVE OK - \n", "empty check prints service, state, dash");
  is_int(st, SW_OK, "printer returns OK");
  free(out);

  sw_check_summary(&c, "%d names resolved on %s", 3, "10.0.0.1");
  out = capture(&c, &st);
  is_str(out, "RESOLVE OK - 3 names resolved on 10.0.0.1\n",
         "no perfdata: no ' | ' at all");
  free(out);

  /* A later summary replaces the earlier one. */
  sw_check_summary(&c, "second summary");
  sw_perf p = perf_item("time", 0.25, "s");
  is_int(sw_check_perf(&c, &p), 0, "perf item added");
  p = perf_item("answers", 2, "");
  is_int(sw_check_perf(&c, &p), 0, "second perf item added");
  out = capture(&c, &st);
  is_str(out, "RESOLVE OK - second summary | time=0.25s answers=2\n",
         "summary, ' | ', perfdata space-separated");
  free(out);

  sw_check_raise(&c, SW_WARNING);
  out = capture(&c, &st);
  is_str(out, "RESOLVE WARNING - second summary | time=0.25s answers=2\n",
         "raised state is printed");
  is_int(st, SW_WARNING, "printer returns the raised state");
  free(out);
  sw_check_free(&c);
}

static void test_raise(void) {
  sw_check c;
  sw_check_init(&c, "X");
  sw_check_raise(&c, SW_UNKNOWN);
  is_int(sw_check_state(&c), SW_UNKNOWN, "raise OK -> UNKNOWN");
  sw_check_raise(&c, SW_CRITICAL);
  is_int(sw_check_state(&c), SW_CRITICAL, "raise UNKNOWN -> CRITICAL");
  sw_check_raise(&c, SW_WARNING);
  is_int(sw_check_state(&c), SW_CRITICAL, "raise never lowers (WARNING)");
  sw_check_raise(&c, SW_OK);
  is_int(sw_check_state(&c), SW_CRITICAL, "raise never lowers (OK)");
  sw_check_free(&c);

  /* Raised state combines with sub-checks by worst-of. */
  sw_check_init(&c, "X");
  sw_check_raise(&c, SW_WARNING);
  sw_check_sub(&c, SW_UNKNOWN, "u");
  is_int(sw_check_state(&c), SW_WARNING, "raised WARNING beats sub UNKNOWN");
  sw_check_sub(&c, SW_CRITICAL, "c");
  is_int(sw_check_state(&c), SW_CRITICAL, "sub CRITICAL beats raised WARNING");
  sw_check_free(&c);

  sw_check_init(&c, "X");
  sw_check_sub(&c, SW_OK, "o");
  sw_check_sub(&c, SW_UNKNOWN, "u");
  is_int(sw_check_state(&c), SW_UNKNOWN, "subs OK + UNKNOWN give UNKNOWN");
  sw_check_free(&c);
}

static void test_subs(void) {
  sw_check c;
  sw_state st;
  sw_check_init(&c, "RESOLVE");
  sw_check_summary(&c, "sum");
  /* Added in mixed order; two of each state to see stability. */
  sw_check_sub(&c, SW_OK, "ok-1");
  sw_check_sub(&c, SW_UNKNOWN, "unknown-1");
  sw_check_sub(&c, SW_CRITICAL, "critical-1");
  sw_check_sub(&c, SW_WARNING, "warning-1");
  sw_check_sub(&c, SW_OK, "ok-2");
  sw_check_sub(&c, SW_CRITICAL, "critical-2");
  sw_check_sub(&c, SW_UNKNOWN, "unknown-2");
  sw_check_sub(&c, SW_WARNING, "warning-%d", 2);
  is_int(c.nsubs, 8, "eight sub-checks stored");
  sw_perf p = perf_item("n", 8, "");
  sw_check_perf(&c, &p);
  char *out = capture(&c, &st);
  is_str(out,
         "RESOLVE CRITICAL - sum | n=8\n"
         "\\_ [CRITICAL] critical-1\n"
         "\\_ [CRITICAL] critical-2\n"
         "\\_ [WARNING] warning-1\n"
         "\\_ [WARNING] warning-2\n"
         "\\_ [UNKNOWN] unknown-1\n"
         "\\_ [UNKNOWN] unknown-2\n"
         "\\_ [OK] ok-1\n"
         "\\_ [OK] ok-2\n",
         "sub-checks worst first, in added order within a state, "
         "perfdata only on the first line");
  is_int(st, SW_CRITICAL, "state is the worst sub-check");
  free(out);
  sw_check_free(&c);

  /* More sub-checks than the first allocation holds. */
  sw_check_init(&c, "MANY");
  for (int i = 0; i < 40; i++)
    sw_check_sub(&c, i == 33 ? SW_WARNING : SW_OK, "sub %d", i);
  out = capture(&c, &st);
  is_int(count_lines(out), 41, "40 sub-checks give 41 lines");
  ok(out &&
         strstr(out, "MANY WARNING - \n\\_ [WARNING] sub 33\n\\_ [OK] sub 0\n"),
     "the one WARNING comes first, then OK in order");
  is_int(st, SW_WARNING, "state WARNING");
  free(out);
  sw_check_free(&c);
}

/* Texts from the network must never add a line or a '|' before the
 * perfdata separator. */
static void test_hostile_text(void) {
  sw_check c;
  sw_state st;
  sw_check_init(&c, "HTTP");
  sw_check_summary(&c, "banner: evil | fake=1\nHTTP OK - forged");
  sw_check_sub(&c, SW_CRITICAL, "sub | x=2\n\\_ [OK] forged\r\n");
  sw_perf p = perf_item("time", 1, "s");
  sw_check_perf(&c, &p);
  char *out = capture(&c, &st);
  ok(out != NULL, "output captured");
  if (!out)
    return;
  is_int(count_lines(out), 2, "one first line and one sub line, no more");
  const char *nl = strchr(out, '\n');
  is_int(count_char(out, nl, '|'), 1, "exactly one '|' on the first line");
  const char *bar = strchr(out, '|');
  ok(bar && strcmp(bar, "| time=1s\n"
                        "\\_ [CRITICAL] sub / x=2?\\_ [OK] forged??\n") == 0,
     "the only '|' is the perfdata separator, the sub text is one line");
  ok(strncmp(
         out, "HTTP CRITICAL - banner: evil / fake=1?HTTP OK - forged | ",
         strlen("HTTP CRITICAL - banner: evil / fake=1?HTTP OK - forged | ")) ==
         0,
     "summary '|' -> '/', newline -> '?'");
  const char *second = nl + 1;
  is_int(count_char(second, second + strlen(second), '|'), 0,
         "no '|' on the sub-check line");
  free(out);

  /* Without perfdata, a '|' in the summary must not create a separator. */
  sw_check_free(&c);
  sw_check_init(&c, "HTTP");
  sw_check_summary(&c, "a|b");
  out = capture(&c, &st);
  is_str(out, "HTTP OK - a/b\n", "no perfdata, '|' in summary replaced");
  free(out);
  sw_check_free(&c);
}

static void test_many_perf(void) {
  enum { N = 500 };
  sw_check c;
  sw_state st;
  sw_check_init(&c, "BIG");
  sw_check_summary(&c, "many");
  int added = 0;
  for (int i = 0; i < N; i++) {
    char label[32];
    snprintf(label, sizeof label, "time_q%d", i);
    sw_perf p = perf_item(label, i, "s");
    added += sw_check_perf(&c, &p) == 0;
  }
  is_int(added, N, "all %d perf items accepted", N);
  char *out = capture(&c, &st);
  ok(out != NULL, "output captured");
  if (!out)
    return;
  is_int(count_lines(out), 1, "still one line");
  const char *perf = strstr(out, " | ");
  ok(perf != NULL, "separator present");
  if (!perf) {
    free(out);
    return;
  }
  perf += 3;
  /* Walk the items in order: each exactly "time_qI=Is" and one space
   * between them, none missing, none doubled. */
  const char *p = perf;
  int good = 0;
  for (int i = 0; i < N; i++) {
    char want[48];
    int wl = snprintf(want, sizeof want, "time_q%d=%ds%s", i, i,
                      i + 1 < N ? " " : "\n");
    if (strncmp(p, want, (size_t)wl) != 0)
      break;
    p += wl;
    good++;
  }
  is_int(good, N, "all %d items present, in order, space-separated", N);
  is_int(*p, '\0', "nothing after the last item");
  is_int(count_char(perf, perf + strlen(perf), ' '), N - 1,
         "exactly %d separating spaces", N - 1);
  free(out);
  sw_check_free(&c);
}

static void test_nomem_flag(void) {
  /* An allocation failure can't be forced portably; the flag it sets is
   * public, so the printer's handling of it is checked directly. */
  sw_check c;
  sw_state st;
  sw_check_init(&c, "X");
  sw_check_summary(&c, "partial");
  c.nomem = 1;
  char *out = capture(&c, &st);
  is_str(out, "X UNKNOWN - out of memory while building the result; partial\n",
         "nomem prints UNKNOWN with a note");
  is_int(st, SW_UNKNOWN, "nomem state UNKNOWN");
  sw_check_raise(&c, SW_CRITICAL);
  is_int(sw_check_state(&c), SW_CRITICAL, "CRITICAL beats nomem's UNKNOWN");
  free(out);
  sw_check_free(&c);
  is_int(c.nsubs, 0, "free leaves the check empty");
  ok(c.summary == NULL && c.perf == NULL && c.subs == NULL,
     "free clears the pointers");
}

/* A server that echoes a token into an error body or a JSON value: the
 * printer masks every secret (and only in the texts, not in perfdata). */
static void test_secrets_masked(void) {
  const char *const secrets[] = {"s3cr3t-token", "", "dG9r|ZW4=", NULL};
  sw_check c;
  sw_state st;
  sw_check_init(&c, "X");
  c.secrets = secrets;
  sw_check_summary(&c, "HTTP 500: authorization: Bearer s3cr3t-token");
  sw_check_sub(&c, SW_CRITICAL,
               "value \"Basic dG9r|ZW4=\" s3cr3t-tokens3cr3t-token");
  sw_perf p = perf_item("s3cr3t-token", 1, "");
  sw_check_perf(&c, &p);
  char *out = capture(&c, &st);
  is_str(out,
         "X CRITICAL - HTTP 500: authorization: Bearer ************ | "
         "s3cr3t-token=1\n"
         "\\_ [CRITICAL] value \"Basic *********\" "
         "************************\n",
         "every occurrence masked, before '|' is replaced; perfdata kept");
  free(out);
  sw_check_free(&c);
  char *b = sw_base64("labclient:lab-secret-1", 22);
  is_str(b, "bGFiY2xpZW50OmxhYi1zZWNyZXQtMQ==", "base64, two pad bytes");
  free(b);
  b = sw_base64("ab", 2);
  is_str(b, "YWI=", "base64, one pad byte");
  free(b);
  b = sw_base64("", 0);
  is_str(b, "", "base64 of nothing");
  free(b);
}

/* Which header lines hold a credential, and where its value starts. */
static void test_secret_header(void) {
  static const struct {
    const char *line;
    size_t want;
  } cases[] = {
      {"Authorization: Bearer abc", 15},
      {"authorization:Basic YWI=", 14},
      {"Proxy-Authorization: Basic x", 21},
      {"Cookie: sid=1", 8},
      {"Set-Cookie: sid=1; HttpOnly", 12},
      {"X-Api-Key: k-123", 11},
      {"X-Auth-Token: t", 14},
      {"Private-Token: t", 15},
      {"X-Client-Secret: s", 17},
      {"X-Session-Id: \t s", 16},
      {"Authorization:", 14},
      {"Accept: application/json", 0},
      {"WWW-Authenticate: Basic realm=\"lab\"", 0},
      {"Content-Type: text/html", 0},
      {"HTTP/1.1 200 OK", 0},
      {"Authorization Bearer abc", 0},
      {"Server auth using Basic with user 'alice'", 0},
      {": token", 0},
      {"/token: x", 0},
      {"", 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    is_int(sw_secret_header(cases[i].line, strlen(cases[i].line)),
           cases[i].want, "sw_secret_header('%s')", cases[i].line);
  is_int(sw_secret_header("Cookie: a", 6), 0,
         "only len bytes are read (no colon within them)");

  sw_strvec headers = {0}, masks = {0};
  sw_strvec_add(&headers, "Accept: */*");
  sw_strvec_add(&headers, "Authorization: Bearer hdr-tok-1");
  sw_strvec_add(&headers, "X-Api-Key: key-2");
  sw_strvec_add(&headers, "Cookie:  ");
  ok(sw_masks_add(&masks, NULL) == 0 && sw_masks_add(&masks, "") == 0 &&
         sw_masks_http(&masks, "bearer-0", &headers) == 0 &&
         sw_masks_http(&masks, NULL, NULL) == 0,
     "masks built");
  /* the raw forms, in order, each once; the encoded forms of each follow
   * it (test_masks_encoded) */
  const char *const want[] = {"bearer-0", "Bearer hdr-tok-1", "hdr-tok-1",
                              "key-2"};
  size_t at = 0;
  for (size_t i = 0; i < masks.n && at < 4; i++)
    if (strcmp(masks.v[i], want[at]) == 0)
      at++;
  is_int(at, 4,
         "masks: the bearer, a value with its scheme, the credential "
         "alone, a bare key, in order (none for an empty one)");
  size_t keys = 0;
  for (size_t i = 0; i < masks.n; i++)
    keys += strcmp(masks.v[i], "key-2") == 0;
  is_int(keys, 1, "a value without a scheme is added once");
  char line[] = "echo: hdr-tok-1 key-2 bearer-0 Bearer";
  sw_secret_mask(line, (const char *const *)masks.v);
  /* " hdr-tok-1" is 10 bytes of the secret "Bearer hdr-tok-1": the
   * space before the token goes with it */
  is_str(line, "echo:********** ***** ******** Bearer",
         "an echo of each is masked");
  sw_masks_free(&masks);
  ok(masks.n == 0 && masks.v == NULL, "sw_masks_free empties the list");
  sw_strvec_free(&headers);
}

/* A secret echoed URL-encoded, JSON-escaped or in base64 is masked too,
 * and so is one holding '|', a control byte or invalid UTF-8, because the
 * mask runs on the raw bytes before the sanitiser. */
static void test_masks_encoded(void) {
  static const char secret[] = "p4ss/w0rd+|\x01\xff\"end";
  static const char *const echoes[] = {
      "p4ss%2Fw0rd%2B%7C%01%FF%22end", "p4ss%2fw0rd%2b%7c%01%ff%22end",
      "p4ss\\/w0rd+|\\u0001\xff\\\"end", "p4ss/w0rd+|\\u0001\xff\\\"end",
      "cDRzcy93MHJkK3wB/yJlbmQ", "cDRzcy93MHJkK3wB_yJlbmQ",
      /* in a URL a server made up (a form
       * action), as libcurl normalises it:
       * only controls and non-ASCII
       * encoded, after JSON escaping too */
      "p4ss/w0rd+|%01%ff\"end", "p4ss\\/w0rd+|\\u0001%ff\\\"end", secret};
  sw_strvec masks = {0};
  ok(sw_masks_add(&masks, secret) == 0, "masks with encoded forms built");
  for (size_t i = 0; i < sizeof echoes / sizeof echoes[0]; i++) {
    char text[200], out[200];
    snprintf(text, sizeof text, "echo <%s> done", echoes[i]);
    sw_text_safe(out, sizeof out, text, strlen(text), 0,
                 (const char *const *)masks.v);
    ok(strstr(out, "w0rd") == NULL && strstr(out, "MHJk") == NULL &&
           strstr(out, "echo <") == out && strstr(out, "> done"),
       "echo form %zu masked: %s", i, out);
  }
  /* The secret's base64 inside a longer one at each byte alignment, with
   * what comes before it changed: no character made of its bits alone
   * shows. */
  for (size_t k = 0; k < 3; k++) {
    static const char id[] = "client:";
    char both[64], out[200];
    snprintf(both, sizeof both, "%.*s%s", (int)(k + 4), id, "cl1ent-S3CR3T");
    char *b = sw_base64(both, strlen(both));
    sw_strvec m = {0};
    ok(b && sw_masks_add(&m, "cl1ent-S3CR3T") == 0, "masks built");
    b[1] = '?'; /* the server changed its start */
    sw_text_safe(out, sizeof out, b, strlen(b), 0, (const char *const *)m.v);
    char *core = sw_base64("cl1ent-S3CR3T" + (3 - (k + 4) % 3) % 3, 9);
    ok(core && strstr(out, "*") && !strstr(out, core),
       "a Basic credential changed before the secret, alignment %zu: %s", k,
       out);
    free(core);
    free(b);
    sw_masks_free(&m);
  }
  /* A piece of 8 bytes or more, as a library quotes a secret cut at a
   * '/' (libxml2: "end of Start Tag AudioChannelConfiSECRETtok3n-77c1",
   * fuzz_stream_plugin), is masked; 7 bytes are not a leak. */
  {
    char text[] = "Start Tag ConfiSECRETtok3n-77c1 line 28; ok SECRETt";
    sw_secret_mask(text, (const char *const *)(const char *[]){
                             "SECRETtok3n-77c1/Zk+q=Hh2Lm9Vb4Nx", NULL});
    is_str(text, "Start Tag Confi**************** line 28; ok SECRETt",
           "a piece of a secret is masked, 7 bytes are not");
  }
  /* in another case, as a URL parser leaves a host name */
  {
    char text[] = "to http://P4SS/W0RD+|x/";
    sw_secret_mask(text,
                   (const char *const *)(const char *[]){"p4ss/w0rd+|", NULL});
    is_str(text, "to http://***********x/", "masked whatever its case");
  }
  /* A cut at 40 characters falls inside the secret: none of it shows. */
  char text[200], out[100];
  snprintf(text, sizeof text, "%-30s%s tail", "error from server:", secret);
  sw_text_safe(out, sizeof out, text, strlen(text), 40,
               (const char *const *)masks.v);
  ok(strstr(out, "p4ss") == NULL && strstr(out, "...") != NULL,
     "a cut inside a secret shows none of it: %s", out);
  sw_sanitize(out, sizeof out, text, strlen(text), 40);
  ok(strstr(out, "p4ss") != NULL, "(without the masks the cut shows it)");
  sw_masks_free(&masks);
}

/* Trace lines are printed by the printer, masked and sanitised like the
 * rest: a trace line can neither show a secret nor add a status line. */
static void test_trace_lines(void) {
  static const char *const secrets[] = {"tok-SECRET-1234", NULL};
  sw_strvec trace = {0};
  sw_check c;
  char *buf = NULL;
  size_t len = 0;
  sw_strvec_add(&trace, "< X-Echo: tok-SECRET-1234");
  sw_strvec_add(&trace, "< a\r\nAPI OK - forged | x=1");
  sw_check_init(&c, "API");
  c.secrets = secrets;
  c.trace = &trace;
  sw_check_summary(&c, "fine");
  FILE *f = open_memstream(&buf, &len);
  sw_check_print(&c, f);
  fclose(f);
  is_str(buf,
         "API OK - fine\n< X-Echo: ***************\n"
         "< a??API OK - forged / x=1\n",
         "trace lines after the result, masked and one line each");
  free(buf);
  sw_check_free(&c);
  sw_strvec_free(&trace);
}

static void test_summary_append(void) {
  sw_check c;
  sw_state st;
  sw_check_init(&c, "X");
  ok(sw_check_summary_append(&c, "alone") == 0, "append to no summary");
  sw_check_summary(&c, "GET / 200");
  ok(sw_check_summary_append(&c, " [TLS verification off]") == 0,
     "append to a summary");
  char *out = capture(&c, &st);
  is_str(out, "X OK - GET / 200 [TLS verification off]\n",
         "the note follows the summary");
  free(out);
  sw_check_free(&c);
}

int main(void) {
  test_masks_encoded();
  test_trace_lines();
  test_secret_header();
  test_summary_append();
  test_secrets_masked();
  test_first_line();
  test_raise();
  test_subs();
  test_hostile_text();
  test_many_perf();
  test_nomem_flag();
  return tap_done();
}
