# SPDX-License-Identifier: GPL-3.0-or-later
# What the engine tests (icinga.sh, nagios.sh) share: the streamlab
# fixtures, the servers every engine test needs, and the built plugins.
# POSIX sh; sourced with top_srcdir and PLUGINDIR set.
. "$top_srcdir/tests/plugins/lib.sh"
. "$top_srcdir/tests/streamlab/lab.sh"
. "$top_srcdir/tests/streamlab/dns.sh"
. "$top_srcdir/tests/streamlab/http.sh"
. "$top_srcdir/tests/streamlab/login.sh"
. "$top_srcdir/tests/streamlab/media.sh"

dns_have_dnsmasq || skip_all "dnsmasq not installed"
http_have_nginx || skip_all "nginx not installed"
media_have_ffmpeg || skip_all "ffmpeg not installed"
media_have_icecast || skip_all "icecast2 not installed"
for p in check_resolve check_api check_login check_stream; do
  [ -x "$PLUGINDIR/$p" ] || bail_out "$PLUGINDIR/$p not built"
done
