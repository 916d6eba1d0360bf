/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One thread per job, a batch of at most max at a time. */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "streamwatch/fanout.h"

enum { FANOUT_BATCH_MAX = 64 };

void sw_fanout(void *items, size_t n, size_t size, void *(*job)(void *),
               size_t max) {
  unsigned char *base = items;
  if (max < 1)
    max = 1;
  if (max > FANOUT_BATCH_MAX)
    max = FANOUT_BATCH_MAX;
  for (size_t at = 0; at < n; at += max) {
    pthread_t th[FANOUT_BATCH_MAX];
    bool started[FANOUT_BATCH_MAX] = {false};
    size_t k = n - at < max ? n - at : max;
    for (size_t i = 0; i < k; i++)
      started[i] =
          pthread_create(&th[i], NULL, job, base + (at + i) * size) == 0;
    for (size_t i = 0; i < k; i++) {
      if (started[i])
        pthread_join(th[i], NULL);
      else
        job(base + (at + i) * size);
    }
  }
}
