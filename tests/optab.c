/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/optab man|icinga|help PROG: what a plugin's option table makes,
 * for tests/optab.sh to compare with its man page and with
 * docs/icinga2/streamwatch.conf (tools/optab-sync writes the Icinga
 * arguments back). */
#include <stdio.h>
#include <string.h>

#include "streamwatch/optab.h"

extern const sw_optab resolve_optab, api_optab, login_optab, stream_optab;

int main(int argc, char **argv) {
  const sw_optab *tabs[] = {&resolve_optab, &api_optab, &login_optab,
                            &stream_optab};
  for (size_t i = 0; argc == 3 && i < sizeof tabs / sizeof *tabs; i++) {
    if (strcmp(argv[2], tabs[i]->prog) != 0)
      continue;
    if (strcmp(argv[1], "man") == 0)
      sw_optab_man(tabs[i], stdout);
    else if (strcmp(argv[1], "icinga") == 0)
      sw_optab_icinga(tabs[i], stdout);
    else if (strcmp(argv[1], "help") == 0)
      sw_optab_help(tabs[i], stdout);
    else
      break;
    return fflush(stdout) == 0 ? 0 : 1;
  }
  fputs("usage: tests/optab man|icinga|help check_resolve|check_api|"
        "check_login|check_stream\n",
        stderr);
  return 2;
}
