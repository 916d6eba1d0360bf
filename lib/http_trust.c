/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Which CA store verifies a server. Parsing the system's whole bundle
 * (about 145 certificates) costs a verified check eight times what the
 * rest of the run does; OpenSSL's hashed directory (Debian's
 * /etc/ssl/certs) is looked up lazily, one file per issuer asked for.
 * So: --ca-file F trusts F only, --ca-path DIR trusts DIR only, and by
 * default the system's hashed directory verifies when it has hash links,
 * else libcurl's default bundle. */
#include <curl/curl.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "streamwatch/http.h"

/* Is name an OpenSSL hash link, "5d3033c5.0" ("HHHHHHHH.N")? */
static bool hash_name(const char *name) {
  size_t i = 0;
  for (; i < 8; i++)
    if (!strchr("0123456789abcdef", name[i]) || !name[i])
      return false;
  if (name[i++] != '.' || !name[i])
    return false;
  for (; name[i]; i++)
    if (name[i] < '0' || name[i] > '9')
      return false;
  return true;
}

bool sw_ca_dir_hashed(const char *dir) {
  DIR *d = dir ? opendir(dir) : NULL;
  bool found = false;
  if (!d)
    return false;
  for (struct dirent *e; !found && (e = readdir(d));)
    found = hash_name(e->d_name);
  closedir(d);
  return found;
}

void sw_http_trust(void *curl, const sw_http_req *req, sw_http_store *s) {
  char *bundle = NULL, *dir = NULL;
  *s = (sw_http_store){0};
  if (req->ca_file || req->ca_path) {
    s->file = req->ca_file;
    s->dir = req->ca_path;
    snprintf(s->said, sizeof s->said, "%s%s%s%s%s",
             req->ca_file ? "--ca-file " : "",
             req->ca_file ? req->ca_file : "", req->ca_file && req->ca_path ? " and " : "",
             req->ca_path ? "--ca-path " : "", req->ca_path ? req->ca_path : "");
    return;
  }
  /* SSL_CERT_DIR, as OpenSSL reads it, names another system directory */
  const char *env = getenv("SSL_CERT_DIR");
  curl_easy_getinfo(curl, CURLINFO_CAINFO, &bundle);
  curl_easy_getinfo(curl, CURLINFO_CAPATH, &dir);
  if (env && *env)
    dir = (char *)env;
  if (dir && sw_ca_dir_hashed(dir)) {
    s->dir = dir;
    snprintf(s->said, sizeof s->said, "the system's CA directory %s", dir);
  } else {
    s->file = bundle; /* NULL there would mean no CA at all */
    snprintf(s->said, sizeof s->said, "the system's CA bundle %s%s",
             bundle ? bundle : "(none)",
             dir ? " (its directory has no hash links)" : "");
  }
}
