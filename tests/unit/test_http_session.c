/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for the HTTP core's hop rules (lib/http_redirect.c), URLs as
 * output shows them (lib/http_origin.c), and a session handle reused
 * after a request with --connect-to (lib/http.c): against a tiny HTTP
 * server this program forks on 127.0.0.1 (a port the kernel picks). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "http_hop.h"
#include "tap.h"

/* What the request's Cookie header held, "none" without one. */
static void cookie_of(const char *req, char *out, size_t n) {
  const char *c = strstr(req, "\r\nCookie: ");
  if (c)
    snprintf(out, n, "%.*s", (int)strcspn(c + 10, "\r\n"), c + 10);
  else
    snprintf(out, n, "none");
}

/* Answers every connection with one 200 whose body is the Cookie header
 * it got, sets a session cookie, and closes it. */
static void serve(int fd) {
  for (;;) {
    int c = accept(fd, NULL, NULL);
    char buf[4096], cookie[256], reply[512];
    size_t got = 0;
    if (c < 0)
      continue;
    buf[0] = '\0';
    while (got < sizeof buf - 1) {
      ssize_t n = read(c, buf + got, sizeof buf - 1 - got);
      if (n <= 0)
        break;
      got += (size_t)n;
      buf[got] = '\0';
      if (strstr(buf, "\r\n\r\n"))
        break;
    }
    cookie_of(buf, cookie, sizeof cookie);
    int len = snprintf(reply, sizeof reply,
                       "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n"
                       "Set-Cookie: sid=S3ss10n-c00kie; Path=/\r\n"
                       "Connection: close\r\n\r\n%s",
                       strlen(cookie), cookie);
    if (len > 0 && write(c, reply, (size_t)len) < 0)
      perror("write");
    close(c);
  }
}

/* Forks the server; returns its pid and sets *port. */
static pid_t start_server(int *port) {
  struct sockaddr_in a = {.sin_family = AF_INET};
  socklen_t len = sizeof a;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0 ||
      listen(fd, 16) < 0 || getsockname(fd, (struct sockaddr *)&a, &len) < 0)
    return -1;
  *port = ntohs(a.sin_port);
  pid_t pid = fork();
  if (pid == 0) {
    /* never outlive the test (a crash in it must not leave the server
     * holding the test driver's pipe open) */
    int null = open("/dev/null", O_WRONLY);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    alarm(60);
    if (null >= 0) {
      dup2(null, STDOUT_FILENO);
      dup2(null, STDERR_FILENO);
    }
    serve(fd);
    _exit(0);
  }
  close(fd);
  return pid;
}

/* The latent bug: --connect-to's list was freed after every request but
 * left in the handle; a session's next request without it read freed
 * memory (and went where the list said). */
static void test_session_reuse(int port) {
  sw_http_session *s = NULL;
  sw_deadline d;
  sw_err err = {""};
  sw_http_resp resp;
  char url[128];
  sw_deadline_start(&d, 5);
  ok(sw_http_session_open(&s, NULL, &err) == 0, "session opens");
  snprintf(url, sizeof url, "http://reuse.invalid:%d/a", port);
  sw_http_req r = {.url = url,
                   .session = s,
                   .connect_to = "127.0.0.1",
                   .max_size = 1000,
                   .user_agent = "test"};
  is_int(sw_http_perform(&r, &d, &resp, &err), 0,
         "first request: --connect-to takes it to the server");
  is_int(resp.status, 200, "first request: 200");
  sw_http_resp_free(&resp);
  snprintf(url, sizeof url, "http://127.0.0.2:%d/b", port);
  r.connect_to = NULL;
  is_int(sw_http_perform(&r, &d, &resp, &err), -1,
         "second request, no --connect-to: goes to 127.0.0.2 (nobody there)");
  is_str(resp.phase ? resp.phase : "", "connect", "refused at connect");
  sw_http_resp_free(&resp);
  sw_http_session_close(s);
}

/* A 20 KB bearer (old: "out of memory" from an 8 KB line) is sent; one
 * past SW_HTTP_BEARER_MAX is refused with err set. */
static void test_bearer(int port) {
  sw_deadline d;
  sw_err err = {""};
  sw_http_resp resp;
  char url[128];
  char *big = malloc(SW_HTTP_BEARER_MAX + 2);
  sw_deadline_start(&d, 5);
  memset(big, 'J', 20000);
  big[20000] = '\0';
  snprintf(url, sizeof url, "http://127.0.0.1:%d/", port);
  sw_http_req r = {.url = url, .bearer = big, .max_size = 1000};
  is_int(sw_http_perform(&r, &d, &resp, &err), 0, "20000-byte bearer: sent");
  sw_http_resp_free(&resp);
  memset(big, 'J', SW_HTTP_BEARER_MAX + 1);
  big[SW_HTTP_BEARER_MAX + 1] = '\0';
  is_int(sw_http_perform(&r, &d, &resp, &err), -1, "over the limit: refused");
  ok(strstr(err.msg, "65536") != NULL, "the limit named: %s", err.msg);
  free(big);
}

/* A session cookie is a credential too: not for another port of the
 * same host (libcurl's engine scopes cookies by domain only), and back
 * with the origin after. */
static void test_session_cookies(int port, int other) {
  sw_http_session *s = NULL;
  sw_deadline d;
  sw_err err = {""};
  sw_http_resp resp;
  char url[128], origin[128];
  sw_deadline_start(&d, 5);
  snprintf(origin, sizeof origin, "http://127.0.0.1:%d/", port);
  sw_http_session_open(&s, NULL, &err);
  sw_http_req r = {.url = origin, .session = s, .max_size = 1000};
  sw_http_perform(&r, &d, &resp, &err);
  is_str(resp.body ? resp.body : "", "none", "first request: no cookie yet");
  sw_http_resp_free(&resp);
  snprintf(url, sizeof url, "http://127.0.0.1:%d/x", other);
  r.url = url;
  r.cred_origin = origin;
  is_int(sw_http_perform(&r, &d, &resp, &err), 0, "to another port");
  is_str(resp.body ? resp.body : "", "none",
         "another port of the same host: the session cookie not sent");
  ok(resp.cred_withheld, "said: credentials withheld (%s)", resp.withheld_at);
  sw_http_resp_free(&resp);
  r.url = origin;
  sw_http_perform(&r, &d, &resp, &err);
  is_str(resp.body ? resp.body : "", "sid=S3ss10n-c00kie",
         "back at the origin: the cookie is there");
  ok(!resp.cred_withheld, "nothing withheld there");
  sw_http_resp_free(&resp);
  sw_http_session_close(s);
}

static void test_url_display(void) {
  char b[200];
  const char *const secrets[] = {"tok123", NULL};
  sw_url_display(b, sizeof b, "http://u:pw@h.example:81/x?a=tok123", 0,
                 secrets);
  is_str(b, "http://h.example:81/x?a=******", "userinfo dropped, masked");
  sw_url_display(b, sizeof b, "http://u:pw@bad host/x", 0, NULL);
  is_str(b, "http://bad host/x", "unparsable: userinfo dropped by hand");
  sw_url_display(b, sizeof b, "http://h/a|b", 0, NULL);
  is_str(b, "http://h/a/b", "sanitised");
  ok(sw_same_origin("http://A.example/", "http://a.example:80/x"),
     "default port and host case: one origin");
  ok(!sw_same_origin("https://a/", "http://a:443/"), "scheme differs");
  ok(!sw_same_origin("http://a:81/", "http://a/"), "port differs");
}

/* RFC 9110 15.4 and where credentials go, hop by hop. */
static void test_hops(void) {
  sw_http_hop hop;
  sw_http_resp resp;
  sw_err err = {""};
  sw_strvec h = {0};
  sw_strvec_add(&h, "X-Api-Key: k");
  sw_http_req r = {.url = "https://a.example/login",
                   .method = "POST",
                   .body = "p=1",
                   .body_len = 3,
                   .headers = &h,
                   .max_redirects = 3};
  memset(&resp, 0, sizeof resp);
  is_int(sw_http_hop_first(&hop, &r, &resp, &err), 0, "first hop");
  ok(hop.creds, "the first hop carries the credentials");
  is_int(sw_http_hop_next(&hop, &r, 302, "https://a.example/next", &resp, &err),
         1, "302 followed");
  ok(hop.method == NULL && !hop.body, "302 turns POST into GET");
  ok(hop.creds && !resp.cred_withheld, "same origin: credentials go");
  is_int(sw_http_hop_next(&hop, &r, 301, "http://a.example/x", &resp, &err), 1,
         "301 to http followed");
  ok(!hop.creds && resp.cred_withheld && resp.downgraded,
     "down to http: withheld, downgraded");
  is_str(resp.hop, "https://a.example/ -> http://a.example/x", "the hop named");
  is_str(resp.withheld_at, "http://a.example:80/", "where they were held");
  is_int(sw_http_hop_next(&hop, &r, 200, "x", &resp, &err), 0, "200: final");
  is_int(sw_http_hop_next(&hop, &r, 300, "http://a/", &resp, &err), 0,
         "300 is not followed");
  is_int(sw_http_hop_next(&hop, &r, 302, "file:///etc/passwd", &resp, &err), -1,
         "a redirect to file: refused");
  is_str(resp.err,
         "redirect failed: HTTP 302 to file:///etc/passwd (not http or https)",
         "named");
  is_int(sw_http_hop_next(&hop, &r, 302, "http://a/", &resp, &err), 1, "3rd");
  is_int(sw_http_hop_next(&hop, &r, 302, "http://a/", &resp, &err), -1,
         "a 4th with max_redirects 3: refused");
  is_str(resp.err, "redirect failed: too many redirects (more than 3)",
         "named");
  sw_http_hop_free(&hop);
  /* a 307 keeps a secret body, so it must not go elsewhere */
  r.body_secret = true;
  memset(&resp, 0, sizeof resp);
  sw_http_hop_first(&hop, &r, &resp, &err);
  is_int(sw_http_hop_next(&hop, &r, 307, "https://b.example/", &resp, &err), -1,
         "307 with a secret body to another origin: not followed");
  ok(strstr(resp.err, "HTTP 307 to https://b.example/ not followed") != NULL,
     "named: %s", resp.err);
  sw_http_hop_free(&hop);
  memset(&resp, 0, sizeof resp);
  sw_http_hop_first(&hop, &r, &resp, &err);
  is_int(sw_http_hop_next(&hop, &r, 303, "https://b.example/", &resp, &err), 1,
         "303 to another origin: followed, as a GET without the body");
  ok(!hop.body && hop.method == NULL && !hop.creds, "GET, nothing secret");
  sw_http_hop_free(&hop);
  /* userinfo a playlist or a redirect names for another origin would
   * go out as Basic authentication: dropped */
  sw_http_req seg = {.url = "http://u:pw@cdn.example/seg1.ts",
                     .cred_origin = "https://a.example/live.m3u8"};
  memset(&resp, 0, sizeof resp);
  is_int(sw_http_hop_first(&hop, &seg, &resp, &err), 0, "segment hop");
  is_str(hop.url, "http://cdn.example/seg1.ts",
         "another origin: its userinfo dropped");
  ok(!hop.creds && resp.cred_withheld, "nothing sent, and said so");
  sw_http_hop_free(&hop);
  sw_strvec_free(&h);
}

int main(void) {
  int port = 0, other = 0;
  pid_t pid = start_server(&port), pid2 = start_server(&other);
  ok(pid > 0 && pid2 > 0, "test servers started on ports %d, %d", port, other);
  test_url_display();
  test_hops();
  if (pid > 0 && pid2 > 0) {
    test_session_reuse(port);
    test_bearer(port);
    test_session_cookies(port, other);
  }
  if (pid > 0) {
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
  }
  if (pid2 > 0) {
    kill(pid2, SIGTERM);
    waitpid(pid2, NULL, 0);
  }
  return tap_done();
}
