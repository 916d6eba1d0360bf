/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_stream's options, the one list of them: getopt's table, --help, the
 * man page's option heads and the Icinga 2 arguments are made from it
 * (streamwatch/optab.h). */
#include "stream.h"
#include "streamwatch/http_opts.h"

static const sw_optdef rows[] = {
    {'u', "url", SW_ARG_ONE, "URL",
     "stream, .m3u/.pls, HLS playlist or DASH MPD", NULL,
     "Stream, .m3u/.pls, HLS playlist or DASH MPD URL (required)"},
    {OPT_TYPE, "type", SW_ARG_ONE, "TYPE",
     "auto (default: by extension and content),\n"
     "progressive, hls or dash",
     NULL,
     "auto (default: by extension and content), progressive, hls or dash"},
    {OPT_DURATION, "duration", SW_ARG_ONE, "SECONDS",
     "progressive sample length (default 5; must fit\n"
     "in -t with 1 s to spare)",
     NULL,
     "Progressive sample length, seconds (plugin default 5; keep it well below "
     "stream_timeout)"},
    {OPT_VARIANT, "variant", SW_ARG_ONE, "HOW",
     "HLS/DASH: lowest (default), highest, or the\n"
     "highest BANDWIDTH not above a number (bits/s)",
     NULL,
     "HLS/DASH variant: lowest (default), highest, or the highest BANDWIDTH "
     "not above a number (bits/s)"},
    {OPT_SEGMENTS, "segments", SW_ARG_ONE, "N",
     "HLS/DASH segments to fetch (default 2)", NULL,
     "HLS/DASH segments to fetch (plugin default 2)"},
    {OPT_EXPECT_FORMAT, "expect-format", SW_ARG_ONE, "F",
     "mp3, aac, ogg, vorbis, opus, ts or fmp4", NULL,
     "mp3, aac, ogg, vorbis, opus, ts or fmp4"},
    {OPT_MIN_BITRATE, "min-bitrate", SW_ARG_ONE, "KBPS",
     "nominal bitrate floor (WARNING below)", NULL,
     "Nominal bitrate floor, kb/s (WARNING below)"},
    {OPT_RATE_WARN, "rate-warning", SW_ARG_ONE, "RANGE",
     "on the rate, media seconds per wall second\n"
     "(default: downloads 1.5:, live progressive 0.95:)",
     NULL,
     "Range on the rate, media seconds per wall second (defaults: downloads "
     "1.5:, live progressive 0.95:)"},
    {OPT_RATE_CRIT, "rate-critical", SW_ARG_ONE, "RANGE",
     "the same, CRITICAL (default: 1:, live 0.8:)", NULL,
     "Range on the rate (defaults: downloads 1:, live progressive 0.8:)"},
    {OPT_STALL, "stall", SW_ARG_ONE, "SECONDS",
     "a gap without bytes longer than this is a\n"
     "stall (default 1.0; given: below --duration)",
     NULL,
     "A gap without bytes longer than this is a stall, seconds (plugin default "
     "1.0)"},
    {OPT_STALL_CRIT, "stall-critical", SW_ARG_ONE, "RANGE",
     "on the number of stalls (default 0)", NULL,
     "Range on the number of stalls (plugin default 0)"},
    {OPT_MAX_AGE, "max-age", SW_ARG_ONE, "SECONDS",
     "live HLS/DASH: playlist must move within this\n"
     "(default 3 x target duration)",
     NULL,
     "Live HLS/DASH: the playlist must move within this many seconds (plugin "
     "default 3 x target duration)"},
    {OPT_DECODE, "decode", SW_ARG_NONE, NULL,
     "decode the sample and report its levels (RMS,\n"
     "peak, longest silence) and loudness, no thresholds",
     NULL,
     "Decode the sample and report its audio levels (level_rms, level_peak, "
     "silence_longest) and loudness (loudness_*) without thresholds"},
    {OPT_SILENCE_LEVEL, "silence-level", SW_ARG_ONE, "DBFS",
     "silence is below this level (default -60)", NULL,
     "Level in dBFS below which audio is silence (plugin default -60)"},
    {OPT_SILENCE_WARN, "silence-warning", SW_ARG_ONE, "RANGE",
     "on the longest silence in the sample, seconds\n"
     "(dead air: 2 warns above 2 s)",
     NULL,
     "Range on the longest silence in the sample, seconds (dead air: 2 warns "
     "above 2 s)"},
    {OPT_SILENCE_CRIT, "silence-critical", SW_ARG_ONE, "RANGE",
     "the same, CRITICAL", NULL,
     "Range on the longest silence in the sample, seconds, that is critical"},
    {OPT_LEVEL_WARN, "level-warning", SW_ARG_ONE, "RANGE",
     "on the sample's RMS level, dBFS (-30: warns\n"
     "below -30 dBFS, a stream far too quiet)",
     NULL,
     "Range on the sample's RMS level in dBFS (-30: warns below -30 dBFS)"},
    {OPT_LEVEL_CRIT, "level-critical", SW_ARG_ONE, "RANGE",
     "the same, CRITICAL", NULL,
     "Range on the sample's RMS level in dBFS that is critical"},
    {OPT_LOUD_WARN, "loudness-warning", SW_ARG_ONE, "RANGE",
     "on the integrated loudness (EBU R128), LUFS\n"
     "(-28:-10 warns outside -28..-10 LUFS)",
     NULL,
     "Range on the sample's integrated loudness (EBU R128) in LUFS "
     "(-28:-10 warns outside -28..-10 LUFS)"},
    {OPT_LOUD_CRIT, "loudness-critical", SW_ARG_ONE, "RANGE",
     "the same, CRITICAL", NULL,
     "Range on the sample's integrated loudness in LUFS that is critical"},
    {OPT_ALL_VARIANTS, "all-variants", SW_ARG_NONE, NULL,
     "HLS/DASH: every variant or representation too:\n"
     "its playlist and one segment, all at once",
     NULL,
     "Try every HLS variant or DASH representation too: its playlist and one "
     "segment, all at once (heard when decoding); a line and perfdata for "
     "each"},
    {OPT_VARIANT_FAIL_WARN, "variant-fail-warning", SW_ARG_ONE, "RANGE",
     "on the number of failed renditions", NULL,
     "Range on the number of renditions that failed, that warns"},
    {OPT_VARIANT_FAIL_CRIT, "variant-fail-critical", SW_ARG_ONE, "RANGE",
     "the same, CRITICAL (default 0: any)", NULL,
     "Range on the number of renditions that failed, that is critical "
     "(plugin default 0: any)"},
    {'w', "warning", SW_ARG_ONE, "RANGE", "time to first media byte, seconds",
     NULL, "Range on the time to the first media byte, seconds"},
    {'c', "critical", SW_ARG_ONE, "RANGE", "time to first media byte, seconds",
     NULL, "Range on the time to the first media byte, seconds"},
    SW_HTTP_OPTDEF_HEADER("extra request header; repeatable (credentials\n"
                          "masked, sent to the -u URL's origin only)"),
    SW_BEARER_OPTDEF,
    {OPT_TOKEN_CACHE, "token-cache", SW_ARG_ONE, "F",
     "... from the cache check_login --token-cache keeps", NULL,
     "Bearer token from the cache a streamwatch_login service keeps "
     "(login_token_cache), sent to the -u URL's origin only; UNKNOWN when "
     "missing or expired (docs/token-cache.md)"},
    {SW_HOPT_CONNECT_TO, "connect-to", SW_ARG_ONE, "ADDR[:PORT]",
     "connect there for the -u URL's host, keeping\n"
     "Host and SNI",
     NULL,
     "Connect to ADDR[:PORT] instead of what the URL's host resolves to, "
     "keeping Host and SNI (one origin server, one CDN edge); playlist entries "
     "and redirects naming another host are not pinned. Default: the host's "
     "address (address6 when the host has no address or stream_ipv6 is set); "
     "false or null: the URL's host name decides"},
    SW_EDGES_OPTDEF,
    SW_HTTP_OPTDEF_TLS,
    SW_HTTP_OPTDEF_PROXY,
    SW_OPTDEF_TIMEOUT("run"),
    SW_OPTDEF_IPV4("IPv4 only", "Use IPv4 only"),
    SW_OPTDEF_IPV6("IPv6 only", "Use IPv6 only"),
    SW_OPTDEF_EXTRA_OPTS,
    SW_OPTDEF_VERBOSE("more detail: -v the answer, the frames and the\n"
                      "segments fetched, -vv the requests, -vvv\n"
                      "libcurl's whole trace (credentials masked)"),
    SW_OPTDEF_HELP_VERSION};

const sw_optab stream_optab = SW_OPTAB("check_stream", "stream", rows);
