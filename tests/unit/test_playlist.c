/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for plugins/stream/playlist.c: .m3u and .pls radio
 * playlists to the first stream URL, and detection by content. */
#include <string.h>

/* By path: the test is built without plugins/ on the include path. */
#include "../../plugins/stream/playlist.h"
#include "tap.h"

#define BASE "http://radio.example/listen/station.pls"

static int parse(const char *t, const char *base, playlist_entry *e,
                 sw_err *err) {
  return playlist_parse(t, strlen(t), base, e, err);
}

static playlist_kind detect(const char *t) {
  return playlist_detect(t, strlen(t));
}

static void test_detect(void) {
  is_int(detect("[playlist]\nFile1=http://a/\n"), PL_PLS, "pls");
  is_int(detect("\xEF\xBB\xBF\r\n[Playlist]\r\n"), PL_PLS, "pls with BOM");
  is_int(detect("#EXTM3U\n#EXTINF:-1,Radio\nhttp://a/\n"), PL_M3U_EXT,
         "extended m3u");
  is_int(detect("#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\na.ts\n"),
         PL_HLS, "HLS");
  is_int(detect("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\na.m3u8\n"), PL_HLS,
         "HLS master");
  is_int(detect("# comment\nhttp://radio.example:8000/live\n"), PL_M3U,
         "plain m3u");
  is_int(detect("stream.mp3\n"), PL_UNKNOWN, "relative line alone");
  is_int(detect("<html><body>hi</body></html>"), PL_UNKNOWN, "HTML");
  is_int(playlist_detect("ID3\0\0\0", 6), PL_UNKNOWN, "binary");
  is_int(detect(""), PL_UNKNOWN, "empty");
  is_int(playlist_detect(NULL, 0), PL_UNKNOWN, "NULL");
}

static void test_pls(void) {
  static const char pls[] =
      "[playlist]\r\nNumberOfEntries=3\r\n"
      "File2=http://backup.example:8000/live\r\nTitle2=Backup\r\n"
      "file1=live.mp3\r\nTITLE1=Radio | Example\r\nLength1=-1\r\n"
      "File3=http://third.example/\r\nVersion=2\r\n";
  playlist_entry e;
  sw_err err = {""};

  is_int(parse(pls, BASE, &e, &err), 0, "pls parses (%s)", err.msg);
  is_int(e.kind, PL_PLS, "kind");
  is_str(e.url, "http://radio.example/listen/live.mp3",
         "lowest FileN, resolved");
  is_str(e.title, "Radio / Example", "its title sanitised");
  is_int(e.entries, 3, "entries");
  playlist_free(&e);
  playlist_free(&e);
  playlist_free(NULL);
}

static void test_m3u(void) {
  playlist_entry e;
  sw_err err = {""};

  is_int(parse("#EXTM3U\n#EXTINF:-1,Jazz FM\nhttp://jazz.example/aac\n"
               "#EXTINF:-1,Other\nhttp://other.example/\n", BASE, &e, &err),
         0, "extended m3u parses");
  is_int(e.kind, PL_M3U_EXT, "kind");
  is_str(e.url, "http://jazz.example/aac", "first URL");
  is_str(e.title, "Jazz FM", "EXTINF title");
  is_int(e.entries, 2, "entries");
  playlist_free(&e);
  is_int(parse("\xEF\xBB\xBF\n\n  http://a.example/x  \r\n", NULL, &e, &err),
         0, "plain m3u with BOM and blanks");
  is_int(e.kind, PL_M3U, "kind");
  is_str(e.url, "http://a.example/x", "trimmed");
  is_str(e.title, "", "no title");
  playlist_free(&e);
  is_int(parse("stream.mp3\n", "http://r.example/a/list.m3u", &e, &err), 0,
         "relative entry");
  is_str(e.url, "http://r.example/a/stream.mp3", "resolved");
  is_int(e.kind, PL_M3U, "read as plain m3u");
  playlist_free(&e);
}

static void refused(const char *t, const char *want, const char *what) {
  playlist_entry e;
  sw_err err = {""};
  ok(parse(t, BASE, &e, &err) == -1 && strstr(err.msg, want),
     "%s: refused (%s)", what, err.msg);
  ok(e.url == NULL, "%s: nothing to free", what);
}

static void test_errors(void) {
  playlist_entry e;
  sw_err err = {""};

  refused("", "without entries", "empty");
  refused("#EXTM3U\n#EXTINF:-1,x\n", "without entries", "no URL");
  refused("[playlist]\nNumberOfEntries=0\n", "without FileN", "no FileN");
  refused("[playlist]\nFileX=http://a/\n", "bad PLS key", "bad FileN");
  refused("[playlist]\nFile99999999999999999999=http://a/\n", "bad PLS key",
          "huge FileN");
  refused("[playlist]\nFile1=\n", "empty", "empty File1");
  refused("#EXTM3U\n#EXT-X-TARGETDURATION:4\n", "HLS", "HLS refused");
  refused("http://a b/\n", "resolve", "bad URL");
  ok(playlist_parse("a\0b", 3, BASE, &e, &err) == -1 &&
     strstr(err.msg, "binary"), "NUL refused");
  ok(playlist_parse("x", PLAYLIST_MAX_BYTES + 1, BASE, &e, &err) == -1,
     "too large");
  ok(playlist_parse("x", 1, BASE, NULL, &err) == -1, "NULL out");
}

int main(void) {
  test_detect();
  test_pls();
  test_m3u();
  test_errors();
  return tap_done();
}
