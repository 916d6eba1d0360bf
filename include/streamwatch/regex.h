/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A bound on what a user's regular expression may cost to compile.
 *
 * glibc's regcomp copies a subexpression for every '+' and for every
 * repetition an interval asks for, so stacked or nested quantifiers grow
 * exponentially: "Q:" followed by 100 '+' (found by
 * tests/fuzz/fuzz_api_assert) made it allocate over 2 GB. POSIX leaves
 * adjacent duplication symbols undefined (XBD 9.4.6) and no real check
 * needs thousands of copies, so such a regex is refused before regcomp
 * sees it. */
#ifndef STREAMWATCH_REGEX_H
#define STREAMWATCH_REGEX_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "streamwatch/deadline.h"
#include "streamwatch/state.h"

/* The most nodes sw_regex_cost() allows: "a{1,4000}" fits. */
#define SW_REGEX_MAX_COST 4096

/* An upper bound on the nodes regcomp builds for the ERE re: every atom
 * (character, '.', bracket expression, escape) counts 1, a group the sum
 * of its parts, and a quantifier multiplies what it applies to ('*', '+'
 * and '?' by 2, {m,n} by the larger bound plus one). Saturates at
 * SW_REGEX_MAX_COST + 1, also for groups nested deeper than 32 and for
 * more than two quantifiers in a row: "=++++++~=????+++++++" is small
 * but took glibc 15 s under ASan (its epsilon closures), while ".*?"
 * (a lazy quantifier elsewhere) stays allowed. A pure
 * function; a malformed re gets some number, regcomp then refuses it.
 * This function can't fail. */
size_t sw_regex_cost(const char *re);

/* Compiles the user's ERE text for option opt ("-r") into re with
 * REG_EXTENDED | flags, after freeing what *has says re holds. Sets *has.
 * Returns 0, or -1 with err naming opt: too costly (sw_regex_cost) or
 * invalid. */
int sw_regex_compile(regex_t *re, bool *has, const char *text, const char *opt,
                     int flags, sw_err *err);

/* Seconds a search may take when the caller has no deadline. */
#define SW_REGEX_DEFAULT_BUDGET 1.0

/* What a compiled regex may cost to run depends on the subject as well:
 * glibc tries every start position its fastmap allows and, from each,
 * scans as far as the pattern can go, so "(.*)(.*)(.*)(.*)(.*)x$" or
 * even ".*x$" on a page without a match is quadratic in its length (100
 * kB: 1 s; 2.6 MB: hours), whatever sw_regex_cost said of the pattern.
 * No formula over the pattern tells a costly search from a cheap one
 * (an adversary picks the page), so the search itself is bounded:
 *
 * Searches the len bytes of subject (NUL-terminated after them) for re
 * as regexec(re, subject, nmatch, m, 0) would, giving the same match,
 * but tries the start positions in chunks (glibc's re_search) and reads
 * the clock between them; once half of the time left of d (NULL: 1 s)
 * is spent, it stops. m (nmatch entries, may be NULL when nmatch is 0)
 * gets the match and its groups as regexec gives them. Returns 1 on a
 * match, 0 on none, or -1 with err naming opt: "OPT: regular expression
 * too costly for a 2.6 MB subject (gave up after 4.5 s ...)", a subject
 * over 2 GiB, or out of memory. re is only read (its fastmap was built by
 * regcomp). glibc only (re_search). */
int sw_regex_search(const regex_t *re, const char *subject, size_t len,
                    size_t nmatch, regmatch_t *m, const sw_deadline *d,
                    const char *opt, sw_err *err);

#endif
