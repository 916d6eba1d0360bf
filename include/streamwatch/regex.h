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

#endif
