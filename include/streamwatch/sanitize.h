/* Network strings made safe to print in plugin output. */
#ifndef STREAMWATCH_SANITIZE_H
#define STREAMWATCH_SANITIZE_H

#include <stddef.h>

/* Copies at most srclen bytes of src into dst (size n, always
 * NUL-terminated): '|' becomes '/', control characters (newlines, tabs,
 * escapes, DEL) and bytes that are not valid UTF-8 become '?'. When the
 * result would not fit in n-1 bytes or is longer than max characters
 * (0: no limit) it is cut and ends in "...". Returns the length written. */
size_t sw_sanitize(char *dst, size_t n, const char *src, size_t srclen,
                   size_t max);

#endif
