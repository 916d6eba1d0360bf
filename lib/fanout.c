/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A pool of at most max threads, each taking the next job when it is done
 * with one: a slow job holds up only its own thread, not a whole batch. */
#include <malloc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "streamwatch/fanout.h"

enum { FANOUT_MAX = 64 };

typedef struct {
  unsigned char *items;
  size_t n, size, next;
  void *(*job)(void *);
  pthread_mutex_t lock;
} pool;

static void *worker(void *arg) {
  pool *p = arg;
  for (;;) {
    pthread_mutex_lock(&p->lock);
    size_t i = p->next < p->n ? p->next++ : p->n;
    pthread_mutex_unlock(&p->lock);
    if (i == p->n)
      return NULL;
    p->job(p->items + i * p->size);
  }
}

void sw_fanout(void *items, size_t n, size_t size, void *(*job)(void *),
               size_t max) {
  pool p = {items, n, size, 0, job, PTHREAD_MUTEX_INITIALIZER};
  pthread_t th[FANOUT_MAX];
  size_t started = 0;
  if (max < 1)
    max = 1;
  if (max > FANOUT_MAX)
    max = FANOUT_MAX;
  /* One malloc arena for every thread: glibc gives each thread its own,
   * which keeps what a job freed (a 40 MiB JSON tree) for that thread
   * alone, and the run's peak memory grows with the threads. */
  mallopt(M_ARENA_MAX, 1);
  while (started + 1 < max && started + 1 < n &&
         pthread_create(&th[started], NULL, worker, &p) == 0)
    started++;
  worker(&p); /* this thread works too (all of it when none started) */
  for (size_t i = 0; i < started; i++)
    pthread_join(th[i], NULL);
  pthread_mutex_destroy(&p.lock);
}
