/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for plugins/stream/hls.c (RFC 8216 playlists as ffmpeg's hls
 * muxer writes them) and the date-time helper in sttext.c. */
#include <stdlib.h>
#include <string.h>

/* By path: the test is built without plugins/ on the include path. */
#include "../../plugins/stream/hls.h"
#include "../../plugins/stream/sttext.h"
#include "streamwatch/strbuf.h"
#include "tap.h"

#define BASE "http://cdn.example/live/master.m3u8"

static int parse(const char *text, const char *base, hls_playlist *pl,
                 sw_err *err) {
  return hls_parse(text, strlen(text), base, pl, err);
}

/* Fails to parse text and the message contains want. */
static void refused(const char *text, const char *want, const char *what) {
  hls_playlist pl;
  sw_err err = {""};
  int rc = parse(text, BASE, &pl, &err);
  ok(rc == -1 && strstr(err.msg, want), "%s: refused (%s)", what, err.msg);
  ok(pl.segments == NULL && pl.variants == NULL, "%s: nothing to free", what);
}

static void test_master(void) {
  static const char text[] =
      "#EXTM3U\n#EXT-X-VERSION:3\n"
      "#EXT-X-STREAM-INF:BANDWIDTH=1540800,AVERAGE-BANDWIDTH=1400000,"
      "RESOLUTION=1280x720,CODECS=\"avc1.64001f,mp4a.40.2\"\n"
      "stream_1/index.m3u8\n"
      "#EXT-X-STREAM-INF:BANDWIDTH=140800,RESOLUTION=320x180,"
      "CODECS=\"avc1.42c00d,mp4a.40.2\"\n"
      "stream_0/index.m3u8\n\n"
      "#EXT-X-STREAM-INF:BANDWIDTH=4128000,RESOLUTION=1920x1080\r\n"
      "https://other.example/hd/index.m3u8\r\n";
  hls_playlist pl;
  sw_err err = {""};

  is_int(parse(text, BASE, &pl, &err), 0, "master parses (%s)", err.msg);
  is_int(pl.kind, HLS_MASTER, "master detected");
  is_int(pl.version, 3, "version");
  is_int(pl.n_variants, 3, "three variants");
  is_int(pl.variants[0].bandwidth, 1540800, "BANDWIDTH");
  is_int(pl.variants[0].avg_bandwidth, 1400000, "AVERAGE-BANDWIDTH");
  is_int(pl.variants[0].width, 1280, "RESOLUTION width");
  is_int(pl.variants[0].height, 720, "RESOLUTION height");
  is_str(pl.variants[0].codecs, "avc1.64001f,mp4a.40.2", "CODECS with comma");
  is_str(pl.variants[0].uri, "http://cdn.example/live/stream_1/index.m3u8",
         "relative URI resolved");
  is_int(pl.variants[1].avg_bandwidth, 0, "AVERAGE-BANDWIDTH absent");
  is_str(pl.variants[2].uri, "https://other.example/hd/index.m3u8",
         "absolute URI kept (CRLF)");
  is_str(pl.variants[2].codecs, "", "CODECS absent");
  is_int(hls_pick_variant(&pl, "lowest"), 1, "lowest");
  is_int(hls_pick_variant(&pl, "highest"), 2, "highest");
  is_int(hls_pick_variant(&pl, "2000000"), 0, "highest not above 2000000");
  is_int(hls_pick_variant(&pl, "1540800"), 0, "equal counts as not above");
  is_int(hls_pick_variant(&pl, "1000"), 1, "below all: the lowest");
  is_int(hls_pick_variant(&pl, "fast"), -1, "unknown how");
  is_int(hls_pick_variant(&pl, "-5"), -1, "negative how");
  is_int(hls_pick_variant(NULL, "lowest"), -1, "no playlist");
  hls_free(&pl);
  is_int(pl.n_variants, 0, "hls_free zeroes");
  hls_free(&pl);
  hls_free(NULL);
}

static void test_live(void) {
  static const char text[] =
      "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n"
      "#EXT-X-MEDIA-SEQUENCE:1234\n"
      "#EXT-X-PROGRAM-DATE-TIME:2024-03-01T12:00:00.000+0100\n"
      "#EXTINF:4.000000,\nlive1234.ts\n"
      "#EXTINF:4.000000,\nlive1235.ts\n"
      "#EXTINF:3.960000,\nlive1236.ts\n";
  hls_playlist pl;
  sw_err err = {""};

  is_int(parse(text, "http://cdn.example/live/index.m3u8", &pl, &err), 0,
         "live parses (%s)", err.msg);
  is_int(pl.kind, HLS_MEDIA, "media detected");
  is_int(pl.target_duration, 4, "target duration");
  is_int(pl.media_sequence, 1234, "media sequence");
  ok(!pl.endlist, "live: no ENDLIST");
  is_int(pl.type, HLS_TYPE_NONE, "no playlist type");
  is_int(pl.n_segments, 3, "three segments");
  is_int(pl.segments[2].seq, 1236, "sequence of the last");
  is_num(pl.segments[2].duration, 3.96, "EXTINF duration");
  is_num(pl.total_duration, 11.96, "total duration");
  is_str(pl.segments[0].uri, "http://cdn.example/live/live1234.ts",
         "segment URI resolved");
  ok(pl.has_last_pdt, "last PDT derived");
  /* 2024-03-01T11:00:00Z is 1709290800. */
  is_num(pl.last_pdt, 1709290800.0 + 8.0, "last PDT = first + 8 s");
  ok(!pl.encrypted, "not encrypted");
  ok(hls_segment_map(&pl, 0) == NULL, "no map");
  ok(hls_segment_map(&pl, 99) == NULL, "map out of range");
  hls_free(&pl);
}

static void test_vod_fmp4(void) {
  static const char text[] =
      "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:6\n"
      "#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n"
      "#EXT-X-INDEPENDENT-SEGMENTS\n"
      "#EXT-X-MAP:URI=\"init.mp4\"\n"
      "#EXT-X-KEY:METHOD=AES-128,URI=\"https://keys.example/k\","
      "IV=0x00000000000000000000000000000001\n"
      "#EXTINF:6.006000,\nseg0.m4s\n"
      "#EXT-X-KEY:METHOD=NONE\n"
      "#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"/other/init2.mp4\"\n"
      "#EXT-X-PROGRAM-DATE-TIME:2024-01-01T00:00:00Z\n"
      "#EXTINF:5.5,title, with comma\n#EXT-X-BYTERANGE:1000@0\nseg1.m4s\n"
      "# a comment\n#EXT-UNKNOWN-TAG:1\n#EXT-X-ENDLIST\n";
  hls_playlist pl;
  sw_err err = {""};

  is_int(parse(text, "https://vod.example/a/b/index.m3u8", &pl, &err), 0,
         "fMP4 VOD parses (%s)", err.msg);
  ok(pl.endlist, "ENDLIST");
  is_int(pl.type, HLS_TYPE_VOD, "VOD");
  is_int(pl.n_maps, 2, "two maps");
  is_str(hls_segment_map(&pl, 0), "https://vod.example/a/b/init.mp4",
         "first init segment");
  is_str(hls_segment_map(&pl, 1), "https://vod.example/other/init2.mp4",
         "second init segment");
  ok(pl.encrypted && pl.segments[0].encrypted, "first segment encrypted");
  ok(!pl.segments[1].encrypted, "METHOD=NONE ends it");
  is_str(pl.key_method, "NONE", "last key method");
  ok(pl.segments[1].discontinuity && !pl.segments[0].discontinuity,
     "discontinuity on the second");
  is_int(pl.discontinuities, 1, "one discontinuity");
  ok(!pl.segments[0].has_pdt, "no PDT before the tag");
  is_num(pl.last_pdt, 1704067200.0, "PDT of the last segment");
  is_num(pl.segments[1].duration, 5.5, "EXTINF with a title");
  hls_free(&pl);
}

static void test_no_base(void) {
  hls_playlist pl;
  sw_err err = {""};

  is_int(parse("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\na.ts\n"
               "#EXTINF:2\nb.ts",
               NULL, &pl, &err),
         0, "no base, no final LF");
  is_str(pl.segments[0].uri, "a.ts", "URI as written without a base");
  is_str(pl.segments[1].uri, "b.ts", "EXTINF without comma accepted");
  hls_free(&pl);
  is_int(parse("#EXTM3U\n#EXT-X-TARGETDURATION:2\n", BASE, &pl, &err), 0,
         "empty live playlist is a media playlist");
  is_int(pl.n_segments, 0, "no segments");
  ok(!pl.has_last_pdt, "no PDT");
  hls_free(&pl);
}

static void test_errors(void) {
  refused("", "#EXTM3U", "empty");
  refused("<html>404</html>\n", "#EXTM3U", "HTML");
  refused("\xEF\xBB\xBF#EXTM3U\n#EXT-X-TARGETDURATION:2\n", "#EXTM3U", "BOM");
  refused(" #EXTM3U\n", "#EXTM3U", "leading blank");
  refused("#EXTM3U\n", "neither", "no tags");
  refused("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\n",
          "EXTINF without URI", "EXTINF at the end");
  refused("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\n#EXTINF:2,\na.ts\n",
          "EXTINF without URI", "EXTINF twice");
  refused("#EXTM3U\n#EXT-X-TARGETDURATION:2\na.ts\n", "URI without",
          "bare URI");
  refused("#EXTM3U\n#EXTINF:2,\na.ts\n", "TARGETDURATION", "no target");
  refused("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n", "without URI",
          "STREAM-INF at the end");
  refused("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n#EXT-X-STREAM-INF:"
          "BANDWIDTH=2\na.m3u8\n",
          "without URI", "STREAM-INF twice");
  refused("#EXTM3U\n#EXT-X-STREAM-INF:RESOLUTION=1x1\na.m3u8\n", "BANDWIDTH",
          "no BANDWIDTH");
  refused("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=12k\na.m3u8\n", "BANDWIDTH",
          "BANDWIDTH junk");
  refused("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=99999999999999999999999\n"
          "a.m3u8\n",
          "BANDWIDTH", "BANDWIDTH overflow");
  refused("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,RESOLUTION=1280*720\na\n",
          "RESOLUTION", "bad RESOLUTION");
  refused("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,CODECS=\"avc1\na\n",
          "malformed", "unterminated quote");
  refused("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH\na\n", "malformed", "no '='");
  refused("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\na\n#EXT-X-TARGETDURATION:2"
          "\n",
          "both", "master and media");
  refused("#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO\n", "master playlist without",
          "master without variants");
  refused("#EXTM3U\n#EXT-X-TARGETDURATION:2.5\n", "TARGETDURATION",
          "decimal target");
  refused("#EXTM3U\n#EXT-X-TARGETDURATION:0\n", "TARGETDURATION",
          "zero target");
  refused("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:"
          "18446744073709551616\n",
          "MEDIA-SEQUENCE", "huge sequence");
  refused("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:-1\n",
          "MEDIA-SEQUENCE", "negative sequence");
  refused("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:abc,\na\n", "EXTINF",
          "EXTINF junk");
  refused("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:-1,\na\n", "EXTINF",
          "negative EXTINF");
  refused("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:1e3,\na\n", "EXTINF",
          "exponent EXTINF");
  refused("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:99999999,\na\n", "EXTINF",
          "huge EXTINF");
  refused("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF\na\n", "EXTINF",
          "EXTINF without value");
  refused("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-PLAYLIST-TYPE:LIVE\n",
          "PLAYLIST-TYPE", "bad type");
  refused("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-PROGRAM-DATE-TIME:"
          "2024-02-30T00:00:00Z\n",
          "PROGRAM-DATE-TIME", "February 30th");
  refused("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-KEY:URI=\"k\"\n", "METHOD",
          "KEY without METHOD");
  refused("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MAP:BYTERANGE=\"1@0\"\n",
          "EXT-X-MAP without URI", "MAP without URI");
  refused("#EXTM3U\n#EXT-X-VERSION:x\n", "VERSION", "bad version");
  refused("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\nhttp://a b\n",
          "resolve", "URI with a space");
}

static void test_binary_and_bounds(void) {
  static const char nul[] = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n\0\n";
  hls_playlist pl;
  sw_err err = {""};
  sw_buf big;
  sw_buf_init(&big, 13 * (HLS_MAX_SEGMENTS + 1) + 64);

  ok(hls_parse(nul, sizeof nul - 1, BASE, &pl, &err) == -1 &&
         strstr(err.msg, "binary"),
     "NUL byte refused");
  ok(hls_parse(NULL, 0, BASE, &pl, &err) == -1, "NULL text refused");
  ok(hls_parse("x", 1, BASE, NULL, &err) == -1, "NULL out refused");
  sw_buf_puts(&big, "#EXTM3U\n#EXT-X-TARGETDURATION:2\n");
  for (size_t i = 0; i < HLS_MAX_SEGMENTS; i++)
    sw_buf_addf(&big, "#EXTINF:2,\n%zu\n", i % 10);
  is_int(hls_parse(sw_buf_str(&big), big.len, BASE, &pl, &err), 0,
         "%d segments accepted", HLS_MAX_SEGMENTS);
  is_int(pl.n_segments, HLS_MAX_SEGMENTS, "all kept");
  hls_free(&pl);
  sw_buf_puts(&big, "#EXTINF:2,\nx\n");
  ok(!big.cut && hls_parse(sw_buf_str(&big), big.len, BASE, &pl, &err) == -1 &&
         strstr(err.msg, "more than 50000 segments (limit)"),
     "one more refused, naming the limit (%s)", err.msg);
  ok(hls_parse(sw_buf_str(&big), HLS_MAX_BYTES + 1, BASE, &pl, &err) == -1,
     "over HLS_MAX_BYTES refused");
  sw_buf_free(&big);
}

/* Every URI is kept resolved: short relative URIs against a long base
 * URL grew 10000 segments to 40 MB. Their sum is bounded, named as a
 * limit; a large real playlist still parses. */
static void test_uri_budget(void) {
  size_t n = 3000;
  char *base = malloc(4001);
  hls_playlist pl;
  sw_err err = {""};
  sw_buf text;

  if (!ok(base != NULL, "malloc"))
    return;
  sw_buf_init(&text, n * 16 + 64);
  memcpy(base, "http://cdn.example/", 19);
  memset(base + 19, 'p', 3980);
  base[3999] = '/';
  base[4000] = '\0';
  sw_buf_puts(&text, "#EXTM3U\n#EXT-X-TARGETDURATION:2\n");
  for (size_t i = 0; i < n; i++)
    sw_buf_addf(&text, "#EXTINF:2,\n%zu\n", i % 10);
  ok(hls_parse(sw_buf_str(&text), text.len, base, &pl, &err) == -1 &&
         strstr(err.msg, "URIs, resolved, are more than 8388608 bytes "
                         "(limit)"),
     "3000 URIs of 4 KB resolved refused (%s)", err.msg);
  is_int(hls_parse(sw_buf_str(&text), text.len, BASE, &pl, &err), 0,
         "the same, short base");
  is_int(pl.n_segments, n, "all kept");
  hls_free(&pl);
  sw_buf_free(&text);
  free(base);
}

static void test_codecs_sanitised(void) {
  hls_playlist pl;
  sw_err err = {""};

  is_int(parse("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,CODECS=\"a|b\tc\"\nx\n",
               BASE, &pl, &err),
         0, "hostile CODECS parses");
  is_str(pl.variants[0].codecs, "a/b?c", "CODECS sanitised");
  hls_free(&pl);
}

static void test_datetime(void) {
  double t = 0;

  ok(st_datetime("1970-01-01T00:00:00Z", 20, &t) == 0 && t == 0, "epoch");
  ok(st_datetime("2000-02-29T23:59:59.5-01:00", 27, &t) == 0, "leap day");
  is_num(t, 951868799.5 + 3600, "leap day value");
  ok(st_datetime("2024-03-01T12:00:00+05", 22, &t) == 0, "zone +HH");
  is_num(t, 1709294400.0 - 5 * 3600, "zone +HH value");
  ok(st_datetime("2024-03-01T12:00:00", 19, &t) == 0, "no zone is UTC");
  ok(st_datetime("1900-02-29T00:00:00Z", 20, &t) == -1, "1900 not leap");
  ok(st_datetime("2024-13-01T00:00:00Z", 20, &t) == -1, "month 13");
  ok(st_datetime("2024-01-01T24:00:00Z", 20, &t) == -1, "hour 24");
  ok(st_datetime("2024-01-01T00:00:00.Z", 21, &t) == -1, "bare point");
  ok(st_datetime("2024-01-01T00:00:+0Z", 20, &t) == -1, "signed seconds");
  ok(st_datetime("2024-01-01 00:00:00Z", 20, &t) == -1, "space for T");
  ok(st_datetime("2024-01-01T00:00:00+1", 21, &t) == -1, "short zone");
  ok(st_datetime("2024-01-01T00:00:00Zjunk", 24, &t) == -1, "trailing junk");
}

int main(void) {
  test_master();
  test_live();
  test_vod_fmp4();
  test_no_base();
  test_errors();
  test_binary_and_bounds();
  test_codecs_sanitised();
  test_datetime();
  test_uri_budget();
  return tap_done();
}
