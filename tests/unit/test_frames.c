/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for plugins/stream/frames*.c: format sniffing and the frame
 * validators, over streams built here by hand (MP3, ADTS, Ogg with an
 * independently computed CRC, MPEG-TS, fMP4). Every stream is fed in one
 * chunk, in 1-byte chunks and in 7-byte chunks, which must agree. Real
 * files from ffmpeg are checked too when ffmpeg is installed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frames_gen.h"

/* -------------------------------------------------------------- tests */

static void test_names(void) {
  sf_format f = SF_UNKNOWN;
  is_str(sf_format_name(SF_MP3), "MP3", "name MP3");
  is_str(sf_format_name(SF_AAC), "AAC", "name AAC");
  is_str(sf_format_name(SF_OGG_VORBIS), "Ogg/Vorbis", "name Vorbis");
  is_str(sf_format_name(SF_OGG_OPUS), "Ogg/Opus", "name Opus");
  is_str(sf_format_name(SF_OGG), "Ogg", "name Ogg");
  is_str(sf_format_name(SF_TS), "MPEG-TS", "name TS");
  is_str(sf_format_name(SF_FMP4), "fMP4", "name fMP4");
  is_str(sf_format_name(SF_UNKNOWN), "unknown", "name unknown");
  is_str(sf_format_name((sf_format)99), "unknown", "name out of range");
  is_int(sf_format_parse("ts", &f), 0, "parse ts");
  is_int(f, SF_TS, "parse ts gives SF_TS");
  is_int(sf_format_parse("OPUS", &f), 0, "parse is case-insensitive");
  is_int(f, SF_OGG_OPUS, "parse OPUS gives SF_OGG_OPUS");
  sf_format_parse("ogg", &f);
  is_int(f, SF_OGG, "parse ogg gives SF_OGG");
  is_int(sf_format_parse("mp4", &f), -1, "parse refuses mp4");
  is_int(sf_format_parse("", &f), -1, "parse refuses empty");
  is_int(f, SF_OGG, "refused parse leaves f");
  ok(sf_format_matches(SF_OGG, SF_OGG_VORBIS), "ogg matches Ogg/Vorbis");
  ok(sf_format_matches(SF_OGG, SF_OGG_OPUS), "ogg matches Ogg/Opus");
  ok(!sf_format_matches(SF_OGG_OPUS, SF_OGG_VORBIS), "opus is not vorbis");
  ok(!sf_format_matches(SF_MP3, SF_AAC), "mp3 is not aac");
  ok(!sf_format_matches(SF_UNKNOWN, SF_UNKNOWN), "unknown matches nothing");
}

/* Sniffs buf[0..len) with ct; checks the format and the reason. */
static void sniff(const char *ct, sf_format want, const char *why,
                  const char *what) {
  const char *got = "unset";
  is_int(sf_sniff(buf, len, ct, &got), want, "sniff %s: format", what);
  if (why)
    is_str(got, why, "sniff %s: reason", what);
  else
    ok(got == NULL, "sniff %s: no reason (%s)", what, got ? got : "NULL");
}

static void text(const char *s) {
  len = 0;
  put(s, strlen(s));
}

static void test_sniff(void) {
  len = 0, mp3_frames(5), sniff(NULL, SF_MP3, NULL, "MP3");
  len = 0, put("ID3\4\0\0\0\0\0\x14", 10), fill(0, 20), mp3_frames(3);
  sniff(NULL, SF_MP3, NULL, "MP3 after ID3v2");
  len = 0, fill(0x55, 300), mp3_frames(3);
  sniff(NULL, SF_MP3, NULL, "MP3 after junk");
  len = 0, put("ID3\4\0\0\0\0\0\x14", 10), fill(0, 20), adts_frame(300);
  adts_frame(310),
      sniff("audio/mpeg", SF_AAC, NULL, "ADTS after ID3 (bytes win)");
  len = 0, put("ID3\4\0\0\0\1\0\0", 10), fill(0, 100); /* a 16 KiB tag */
  sniff(NULL, SF_MP3, NULL, "all ID3v2 so far");
  sniff("audio/aac", SF_AAC, NULL, "all ID3v2 so far, audio/aac");
  len = 0, ogg_vorbis(1, 100), sniff(NULL, SF_OGG_VORBIS, NULL, "Ogg/Vorbis");
  len = 0, ogg_page(2, 0, 0, opus_id, sizeof opus_id);
  sniff(NULL, SF_OGG_OPUS, NULL, "Ogg/Opus");
  len = 0, ogg_page(2, 0, 0, (const unsigned char *)"\x80theora", 7);
  sniff(NULL, SF_OGG, NULL, "Ogg/Theora");
  len = 0;
  for (unsigned i = 0; i < 3; i++)
    ts_packet(256, i, 1, 0, 0);
  sniff(NULL, SF_TS, NULL, "MPEG-TS");
  len = 0, box("ftyp", 24), box("moov", 40), sniff(NULL, SF_FMP4, NULL, "fMP4");
  text("<!DOCTYPE html><html><body>404</body></html>");
  sniff("audio/mpeg", SF_UNKNOWN, "text/html", "HTML labelled audio/mpeg");
  text("\xEF\xBB\xBF\r\n  <HTML><head>");
  sniff(NULL, SF_UNKNOWN, "text/html", "HTML after BOM and blanks");
  text(
      "<?xml version=\"1.0\"?>\n<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\">");
  sniff(NULL, SF_UNKNOWN, "application/dash+xml", "MPD");
  text("<?xml version=\"1.0\"?><rss>");
  sniff(NULL, SF_UNKNOWN, "application/xml", "XML");
  text("{\"error\":\"not found\"}");
  sniff("audio/aac", SF_UNKNOWN, "application/json", "JSON");
  text("#EXTM3U\n#EXT-X-VERSION:3\n#EXTINF:6.0,\nseg1.ts\n");
  sniff(NULL, SF_UNKNOWN, "application/vnd.apple.mpegurl", "HLS playlist");
  text("[playlist]\nFile1=http://radio.example/live\n");
  sniff(NULL, SF_UNKNOWN, "audio/x-scpls", "PLS");
  text("http://radio.example/live.mp3\n");
  sniff(NULL, SF_UNKNOWN, "audio/x-mpegurl", "M3U");
  text("Service Unavailable\n");
  sniff(NULL, SF_UNKNOWN, "text/plain", "plain text");
  len = 0;
  sniff(NULL, SF_UNKNOWN, NULL, "empty");
  sniff("text/html; charset=utf-8", SF_UNKNOWN, "text/html", "empty text/html");
  sniff("audio/mpeg", SF_MP3, NULL, "empty audio/mpeg");
  sniff(" Application/OGG", SF_OGG, NULL, "empty application/ogg");
  sniff("text/css", SF_UNKNOWN, "text/plain", "empty other text");
  len = 0, fill(0, 64), fill(1, 64);
  sniff(NULL, SF_UNKNOWN, NULL, "binary junk");
  sniff("video/MP2T", SF_TS, NULL, "binary junk labelled video/mp2t");
  ok(sf_sniff(buf, len, NULL, NULL) == SF_UNKNOWN, "sniff: reason may be NULL");
  /* Under an audio type, text is "not audio" only when it is text
   * throughout: a '{' and 600 text-looking bytes, then binary, is a
   * stream joined mid-frame, judged by its frames (the type's format). */
  text("{\"a\": \"");
  fill('x', 600), fill(0x01, 1), fill(0x80, 7);
  sniff("audio/mpeg", SF_MP3, NULL, "'{' then binary under audio/mpeg");
  sniff(NULL, SF_UNKNOWN, "application/json", "'{' then binary, no type");
  text("<html><body>Caf\xC3\xA9 ferm\xC3\xA9</body></html>\n");
  sniff("audio/mpeg", SF_UNKNOWN, "text/html", "UTF-8 HTML under audio/mpeg");
  text("<html><body>Caf\xE9</body></html>\n");
  sniff("audio/mpeg", SF_UNKNOWN, "text/html", "Latin-1 HTML under audio/mpeg");
  text("<html>\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9 \xE9\xE9\xE9\xE9");
  sniff("audio/mpeg", SF_MP3, NULL,
        "'<' then mostly bytes above 0x7F, not UTF-8: the frames judge");
  text("[playlist]\nTitle1=Caf\xE9\nFile1=http://radio.example/x\n");
  sniff("audio/x-scpls", SF_UNKNOWN, "audio/x-scpls", "Latin-1 .pls");
  text("{\"error\": \"no such mount\"}\xE2\x82");
  sniff("audio/mpeg", SF_UNKNOWN, "application/json",
        "JSON cut inside a UTF-8 sequence under audio/mpeg");
  text("[1, 2, 3]\x1b[0m");
  sniff("audio/mpeg", SF_MP3, NULL, "an escape byte is not text");
  /* joined mid-page and mid-packet: found by the next page or packet */
  len = 0, fill(0xA5, 100), ogg_vorbis(0, 100);
  sniff("application/octet-stream", SF_OGG, NULL, "Ogg joined mid-page");
  is_int((int)sf_sync_at(buf, len, SF_OGG), 100, "Ogg: the page found");
  len = 0, fill(0xA5, 100);
  for (unsigned i = 0; i < 3; i++)
    ts_packet(256, i, 1, 0, 0);
  sniff(NULL, SF_TS, NULL, "MPEG-TS joined mid-packet");
  is_int((int)sf_sync_at(buf, len, SF_TS), 100, "MPEG-TS: the packet found");
}

static void test_mp3(void) {
  sf_validator v;
  double frame_s = 1152.0 / 44100;
  char msg[128];
  size_t at;

  len = 0, mp3_frames(10), run(SF_MP3, &v, "MP3");
  expect_clean(&v, 10, "MP3");
  is_int(v.bytes, len, "MP3: bytes");
  is_int(v.bitrate_kbps, 128, "MP3: bitrate");
  is_int(v.sample_rate, 44100, "MP3: sample rate");
  is_int(v.channels, 2, "MP3: channels");
  is_num(v.media_seconds, 10 * frame_s, "MP3: media seconds");
  is_int(len, 10 * 417 + 6, "MP3: 417/418-byte frames");

  len = 0, put("ID3\3\0\0\0\0\1\0", 10), fill(0xFF, 128), mp3_frames(4);
  mp3_frames(1), len -= 368; /* the sample stops mid-frame */
  run(SF_MP3, &v, "MP3 with ID3v2");
  expect_clean(&v, 5, "MP3 with ID3v2 (the cut frame counts)");

  len = 0, fill(0x11, 4000), mp3_frames(3), put("TAG", 3), fill(' ', 125);
  run(SF_MP3, &v, "MP3 after 4000 junk bytes, ID3v1 trailer");
  expect_clean(&v, 3, "MP3 after junk");

  len = 0, put("\xFF\xFB\x90\x00", 4), fill(0, 500), mp3_frames(3);
  run(SF_MP3, &v, "MP3 after a false sync");
  expect_clean(&v, 3, "MP3 after a false sync");
  is_num(v.media_seconds, 3 * frame_s, "MP3 after a false sync: seconds");

  len = 0, fill(0x11, 4097), mp3_frames(2), run(SF_MP3, &v, "MP3 late");
  expect_error(&v, "no MP3 frame sync in the first 4096 bytes", 0, "MP3 late");
  is_int(v.frames, 2, "MP3 late: frames after the junk still counted");

  len = 0, mp3_frames(9), at = len, mp3_frames(1);
  buf[at + 1] = 0xF3; /* frame 10 claims MPEG-2: not the same stream */
  mp3_frames(3), run(SF_MP3, &v, "MP3 broken");
  snprintf(msg, sizeof msg, "MP3 frame header broken at byte %zu", at);
  expect_error(&v, msg, (long long)at, "MP3 broken");
  is_int(v.errors, 1, "MP3 broken: one error");
  is_int(v.frames, 12, "MP3 broken: resynced after the broken frame");

  len = 0, mp3_frames(2), mp3_frame(0, 5), mp3_frame(0, 10);
  run(SF_MP3, &v, "MP3 VBR");
  expect_clean(&v, 4, "MP3 VBR");
  is_int(v.bitrate_kbps, (unsigned)(len * 8 / (4 * frame_s) / 1000 + 0.5),
         "MP3 VBR: average bitrate");

  len = 0;
  for (int i = 0; i < 4; i++) /* MPEG-2 Layer III 64 kb/s 22050 Hz mono */
    put("\xFF\xF3\x80\xC0", 4), fill(0, 208 - 4);
  run(SF_MP3, &v, "MPEG-2 Layer III");
  expect_clean(&v, 4, "MPEG-2 Layer III");
  is_int(v.sample_rate, 22050, "MPEG-2: sample rate");
  is_int(v.channels, 1, "MPEG-2: mono");
  is_int(v.bitrate_kbps, 64, "MPEG-2: bitrate");
  is_num(v.media_seconds, 4 * 576.0 / 22050, "MPEG-2: 576 samples a frame");

  len = 0;
  for (int i = 0; i < 15; i++)
    adts_frame(300);
  run(SF_MP3, &v, "ADTS as MP3");
  expect_error(&v, "no MP3 frame sync in the first 4096 bytes", 0,
               "ADTS as MP3");
  is_int(v.frames, 0, "ADTS as MP3: no frames");
}

static void test_adts(void) {
  sf_validator v;

  len = 0, put("ID3\4\0\0\0\0\0\x3F", 10), fill(0, 63);
  for (int i = 0; i < 20; i++)
    adts_frame(360 + (unsigned)(i % 5) * 10);
  run(SF_AAC, &v, "ADTS");
  expect_clean(&v, 20, "ADTS");
  is_int(v.sample_rate, 44100, "ADTS: sample rate");
  is_int(v.channels, 2, "ADTS: channels");
  is_num(v.media_seconds, 20 * 1024.0 / 44100, "ADTS: media seconds");
  is_int(v.bitrate_kbps, (unsigned)(380 * 8 * 44100 / 1024.0 / 1000 + 0.5),
         "ADTS: average bitrate");

  len = 0, adts_frame(300), adts_frame(300), adts_frame(300);
  buf[600 + 2] = 1 << 6 | 3 << 2; /* 48000 Hz: not the same stream */
  adts_frame(300), run(SF_AAC, &v, "ADTS rate change");
  expect_error(&v, "ADTS frame header broken at byte 600", 600,
               "ADTS rate change");

  len = 0, adts_frame(300), adts_frame(300), fill(0, 7), adts_frame(300);
  run(SF_AAC, &v, "ADTS gap");
  expect_error(&v, "ADTS frame header broken at byte 600", 600, "ADTS gap");
  is_int(v.frames, 3, "ADTS gap: resynced");
}

static void test_ogg(void) {
  sf_validator v;
  unsigned char data[1000];
  char msg[128];
  size_t at, total = 0;

  memset(data, 0x33, sizeof data);
  len = 0, ogg_vorbis(5, 2000), run(SF_OGG, &v, "Ogg/Vorbis");
  expect_clean(&v, 7, "Ogg/Vorbis");
  is_int(v.format, SF_OGG_VORBIS, "Ogg/Vorbis: format refined from BOS");
  is_int(v.sample_rate, 44100, "Ogg/Vorbis: sample rate");
  is_int(v.channels, 2, "Ogg/Vorbis: channels");
  is_int(v.bitrate_kbps, 128, "Ogg/Vorbis: nominal bitrate");
  is_num(v.media_seconds, 5 * 4096.0 / 44100, "Ogg/Vorbis: media seconds");

  len = 0, fill(0x20, 100), ogg_page(2, 0, 0, opus_id, sizeof opus_id);
  ogg_page(0, 0, 1, (const unsigned char *)"OpusTags", 8);
  for (unsigned i = 1; i <= 5; i++)
    ogg_page(0, 19200LL * i, 1 + i, data, 600);
  total = len - 100;
  run(SF_OGG, &v, "Ogg/Opus after junk");
  expect_clean(&v, 7, "Ogg/Opus after junk");
  is_int(v.format, SF_OGG_OPUS, "Ogg/Opus: format");
  is_int(v.sample_rate, 48000, "Ogg/Opus: 48 kHz");
  is_num(v.media_seconds, 2.0, "Ogg/Opus: media seconds");
  is_int(v.bitrate_kbps, (unsigned)(total * 8 / 2.0 / 1000 + 0.5),
         "Ogg/Opus: average bitrate");

  len = 0, ogg_vorbis(2, 500);
  ogg_page(0, 1000000000LL, 9, data, 500); /* a live stream joined late */
  ogg_page(0, 1000004096LL, 10, data, 500);
  run(SF_OGG_VORBIS, &v, "Ogg live join");
  expect_clean(&v, 6, "Ogg live join");
  is_num(v.media_seconds, 3 * 4096.0 / 44100, "Ogg live join: no jump");

  len = 0, ogg_vorbis(2, 500), at = len, ogg_page(0, 12288, 4, data, 500);
  buf[len - 10] ^= 1, ogg_page(0, 16384, 5, data, 500);
  run(SF_OGG, &v, "Ogg CRC");
  snprintf(msg, sizeof msg, "Ogg page CRC mismatch at byte %zu", at);
  expect_error(&v, msg, (long long)at, "Ogg CRC");
  is_int(v.frames, 6, "Ogg CRC: later pages still parsed");
  is_int(v.errors, 1, "Ogg CRC: one error");

  len = 0, ogg_vorbis(2, 500), at = len, put("Oggs", 4), fill(0, 100);
  ogg_page(0, 12288, 4, data, 500), run(SF_OGG, &v, "Ogg lost sync");
  snprintf(msg, sizeof msg, "lost Ogg page sync at byte %zu", at);
  expect_error(&v, msg, (long long)at, "Ogg lost sync");
  is_int(v.frames, 5, "Ogg lost sync: resynced");

  len = 0, ogg_vorbis(1, 50), buf[4] = 1, run(SF_OGG, &v, "Ogg version 1");
  is_int(v.frames, 2, "Ogg version 1: the page is not one");
}

static void test_ts(void) {
  sf_validator v;
  static const unsigned ccs[][6] = {{0, 1, 2, 3, 4, 5}, {14, 15, 0, 1, 2, 3},
                                    {0, 1, 1, 2, 3, 4}, {0, 1, 1, 1, 2, 3},
                                    {0, 1, 2, 4, 5, 6}, {0, 1, 3, 4, 5, 6}};
  /* packet i of PID 256 is at 376 * i: a null packet follows each */
  static const long long bad_at[] = {-1, -1, -1, 1128, 1128, 752};

  for (size_t t = 0; t < sizeof ccs / sizeof ccs[0]; t++) {
    char what[64], msg[128];
    len = 0;
    for (int i = 0; i < 6; i++) {
      ts_packet(256, ccs[t][i], 1, 0, 0);
      ts_packet(0x1FFF, (unsigned)(i * 7) % 16, 1, 0, 0); /* ignored */
    }
    snprintf(what, sizeof what, "TS CC %u,%u,%u,%u", ccs[t][0], ccs[t][1],
             ccs[t][2], ccs[t][3]);
    run(SF_TS, &v, what);
    if (bad_at[t] < 0) {
      expect_clean(&v, 12, what);
      continue;
    }
    snprintf(msg, sizeof msg,
             "MPEG-TS continuity error on PID 256 at byte %lld", bad_at[t]);
    expect_error(&v, msg, bad_at[t], what);
  }

  len = 0;
  for (unsigned i = 0; i < 12; i++) {
    ts_packet(0x1FFF, (i * 5) % 16, 1, 0, 0);
    ts_packet(256, i % 16, 1, 0, 0);
    /* PID 257 jumps at each discontinuity_indicator */
    ts_packet(257, (i / 3 * 7 + i % 3) % 16, i % 3 ? 1 : 3, i % 3 ? 0 : 0x80,
              0);
  }
  ts_packet(256, 12, 2, 0, 0); /* adaptation only: counter unchanged */
  ts_packet(256, 12, 1, 0, 0);
  run(SF_TS, &v, "TS nulls, discontinuities, adaptation-only packets");
  expect_clean(&v, 38, "TS nulls, discontinuities, adaptation-only packets");

  len = 0;
  for (unsigned i = 0; i < 202; i++)
    ts_packet(256, i % 16, 1, 0, 0);
  buf[201 * 188] = 0x48;
  ts_packet(256, 202 % 16, 1, 0, 0);
  run(SF_TS, &v, "TS lost sync");
  expect_error(&v, "lost MPEG-TS sync at byte 37788", 37788, "TS lost sync");
  is_int(v.frames, 202, "TS lost sync: resynced on the next packet");

  len = 0, fill(0x00, 100);
  for (unsigned i = 0; i < 26; i++)
    ts_packet(256, i % 16, 3, 0x10, 900000 + 3600ULL * i);
  run(SF_TS, &v, "TS PCR after junk");
  expect_clean(&v, 26, "TS PCR after junk");
  is_num(v.media_seconds, 1.0, "TS: media seconds from the PCR");
  is_int(v.bitrate_kbps, 0, "TS: no nominal bitrate");

  len = 0, ts_packet(256, 0, 1, 0, 0), ts_packet(256, 1, 1, 0, 0);
  buf[188 + 1] |= 0x80, run(SF_TS, &v, "TS transport error");
  expect_error(&v, "MPEG-TS transport error indicator on PID 256 at byte 188",
               188, "TS transport error");
}

static void test_fmp4(void) {
  sf_validator v;

  len = 0, box("ftyp", 24), box("moov", 100), box("moof", 60);
  box("mdat", 1000), box("moof", 60), box("mdat", 500);
  put("\0\0\0\1mdat\0\0\0\0\0\0\0\x20", 16), fill(0, 16); /* largesize 32 */
  run(SF_FMP4, &v, "fMP4");
  expect_clean(&v, 7, "fMP4");
  is_int(v.fmp4.moof, 2, "fMP4: fragments");
  is_int(v.fmp4.mdat, 3, "fMP4: media data boxes");
  is_num(v.media_seconds, 0, "fMP4: duration unknown");

  len = 0, box("styp", 16), box("mdat", 0), fill(0xAB, 5000);
  run(SF_FMP4, &v, "fMP4 box to the end");
  expect_clean(&v, 2, "fMP4 box to the end");

  len = 0, box("ftyp", 24), box("moof", 4), box("mdat", 100);
  run(SF_FMP4, &v, "fMP4 size 4");
  expect_error(&v, "fMP4 box size smaller than its header at byte 24", 24,
               "fMP4 size 4");
  is_int(v.frames, 1, "fMP4 size 4: no resync");

  len = 0, box("ftyp", 24), fill(0, 16), run(SF_FMP4, &v, "fMP4 zeros");
  expect_error(&v, "fMP4 box type is not text at byte 24", 24, "fMP4 zeros");

  len = 0, box("ftyp", 24), fill(0, 7), run(SF_FMP4, &v, "fMP4 cut header");
  expect_clean(&v, 1, "fMP4 cut header");

  len = 0, box("ftyp", 24), run(SF_UNKNOWN, &v, "unknown format");
  expect_clean(&v, 0, "unknown format: nothing validated");
  is_int(v.bytes, 24, "unknown format: bytes counted");
  is_int(sf_feed(&v, NULL, 0), 0, "feeding nothing");
}

/* Real files, when ffmpeg is installed: two seconds of a sine wave in
 * each format, which must validate cleanly. Skipped silently otherwise. */
static void test_ffmpeg(void) {
  static const struct {
    const char *args, *ext;
    sf_format f;
    int timed; /* media_seconds must be about 2 */
  } cases[] = {
      {"-c:a libmp3lame -b:a 128k", "mp3", SF_MP3, 1},
      {"-c:a aac -f adts", "aac", SF_AAC, 1},
      {"-c:a libvorbis", "ogg", SF_OGG_VORBIS, 1},
      {"-c:a libopus", "opus", SF_OGG_OPUS, 1},
      {"-c:a aac -f mpegts", "ts", SF_TS, 0},
      {"-c:a aac -f mp4 -movflags frag_keyframe+empty_moov", "mp4", SF_FMP4, 0},
  };
  char dir[] = "/tmp/test_frames.XXXXXX", cmd[512], path[128];

  if (system("command -v ffmpeg >/dev/null 2>&1") != 0 || !mkdtemp(dir))
    return;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    sf_validator v;
    FILE *fp;

    snprintf(path, sizeof path, "%s/sine.%s", dir, cases[i].ext);
    snprintf(cmd, sizeof cmd,
             "ffmpeg -nostdin -loglevel error -y -f lavfi -i sine=f=440:d=2 "
             "%s %s 2>/dev/null",
             cases[i].args, path);
    if (system(cmd) != 0 || !(fp = fopen(path, "rb")))
      continue; /* this ffmpeg lacks the encoder */
    len = fread(buf, 1, sizeof buf, fp);
    fclose(fp);
    unlink(path);
    is_int(sf_sniff(buf, len, NULL, NULL), cases[i].f, "ffmpeg %s: sniffed",
           cases[i].ext);
    run(cases[i].f, &v, cases[i].ext);
    is_int(v.errors, 0, "ffmpeg %s: no errors (%s)", cases[i].ext, v.error);
    ok(v.frames > 0, "ffmpeg %s: %lu frames", cases[i].ext, v.frames);
    if (cases[i].timed)
      ok(v.media_seconds > 1.9 && v.media_seconds < 2.2,
         "ffmpeg %s: about 2 media seconds (%.3f)", cases[i].ext,
         v.media_seconds);
    if (cases[i].f == SF_FMP4)
      ok(v.fmp4.moof > 0 && v.fmp4.mdat > 0, "ffmpeg mp4: fragments");
  }
  rmdir(dir);
}

/* A live stream joined at any byte is judged on its frames: every offset
 * of an ffmpeg-made MP3, ADTS and Ogg/Opus stream, sniffed as
 * progressive.c does (8 KiB, under its Content-Type) and validated from
 * there, gives its format, no "not audio" reason and no error. Those
 * starting with '{', '[' or '<' are among them (counted to be sure), and
 * so are the false syncs in the junk whose frame length once ran past
 * the real frames ("no ADTS frame sync in the first 4096 bytes"). */
static void test_joined(void) {
  static const struct {
    const char *args, *ext, *ct;
    sf_format f;
  } cases[] = {
      {"-c:a libmp3lame -b:a 128k", "mp3", "audio/mpeg", SF_MP3},
      {"-c:a aac -f adts", "aac", "audio/aac", SF_AAC},
      {"-c:a aac -f adts", "aac", "audio/mpeg", SF_AAC},
      {"-c:a libopus -page_duration 250000", "opus", "audio/ogg", SF_OGG},
  };
  char dir[] = "/tmp/test_joined.XXXXXX", cmd[512], path[128];

  if (system("command -v ffmpeg >/dev/null 2>&1") != 0 || !mkdtemp(dir))
    return;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    FILE *fp;
    size_t bad = 0, texty = 0, tried = 0, first_bad = 0;
    char what[160] = "";

    snprintf(path, sizeof path, "%s/sine.%s", dir, cases[i].ext);
    snprintf(cmd, sizeof cmd,
             "ffmpeg -nostdin -loglevel error -y -f lavfi -i sine=f=440:d=4 "
             "%s %s 2>/dev/null",
             cases[i].args, path);
    if (system(cmd) != 0 || !(fp = fopen(path, "rb")))
      continue; /* this ffmpeg lacks the encoder */
    len = fread(buf, 1, sizeof buf, fp);
    fclose(fp);
    unlink(path);
    for (size_t at = 0; at + 16384 <= len; at++, tried++) {
      const char *why = NULL;
      sf_validator v;
      sf_format f = sf_sniff(buf + at, 8192, cases[i].ct, &why);
      sf_init(&v, SF_UNKNOWN);
      if (buf[at] == '{' || buf[at] == '[' || buf[at] == '<')
        texty++;
      if (!why && f != SF_UNKNOWN) {
        sf_start(&v, f, buf + at, 8192);
        sf_feed(&v, buf + at + 8192, 8192);
      }
      if (why || !sf_format_matches(cases[i].f, f) || v.error[0] ||
          v.frames == 0) {
        if (!bad++) {
          first_bad = at;
          snprintf(what, sizeof what, "%s %s %s", sf_format_name(f),
                   why ? why : "", why || f == SF_UNKNOWN ? "" : v.error);
        }
      }
    }
    ok(bad == 0 && tried > 10000 && texty > 10,
       "ffmpeg %s as %s joined at each of %zu offsets (%zu at '{', '[', "
       "'<'): %zu misjudged (first at %zu: %s)",
       cases[i].ext, cases[i].ct, tried, texty, bad, first_bad, what);
  }
  rmdir(dir);
}

int main(void) {
  test_names();
  test_sniff();
  test_mp3();
  test_adts();
  test_ogg();
  test_ts();
  test_fmp4();
  test_ffmpeg();
  test_joined();
  return tap_done();
}
