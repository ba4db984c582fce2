/* The same pacing as Program.cs in C: sleep with clock_nanosleep (CLOCK_MONOTONIC, relative) until each slot of a
 * 1 kHz grid, take it, repeat; prints the thread's CPU (getrusage RUSAGE_THREAD) and voluntary context switches.
 * Usage: wakeup_floor [seconds] [rate-hz] */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <sys/resource.h>

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 20;
    double rate = argc > 2 ? atof(argv[2]) : 1000;
    double period = 1e9 / rate;
    long long start = now_ns(), end = start + (long long)(seconds * 1e9);
    long long next = 0, taken = 0;
    struct rusage before, after;
    getrusage(RUSAGE_THREAD, &before);
    for (;;) {
        long long now = now_ns();
        if (now >= end)
            break;
        long long due = start + (long long)(next * period);
        if (now >= due) {
            taken++;
            next++;
            while (now - (start + (long long)(next * period)) >= 4 * period) /* lateness tolerance 4, as the service */
                next++;
            continue;
        }
        long long wait = due - now;
        struct timespec interval = { wait / 1000000000LL, wait % 1000000000LL };
        clock_nanosleep(CLOCK_MONOTONIC, 0, &interval, NULL);
    }
    getrusage(RUSAGE_THREAD, &after);
    double elapsed = (now_ns() - start) / 1e9;
    double user = (after.ru_utime.tv_sec - before.ru_utime.tv_sec) + (after.ru_utime.tv_usec - before.ru_utime.tv_usec) / 1e6;
    double sys = (after.ru_stime.tv_sec - before.ru_stime.tv_sec) + (after.ru_stime.tv_usec - before.ru_stime.tv_usec) / 1e6;
    long wakes = after.ru_nvcsw - before.ru_nvcsw;
    printf("C clock_nanosleep %.0f Hz: %.1f s, slots %.0f/s, wake-ups %.0f/s, thread CPU %.2f %% of one core (%.2f user + %.2f kernel), %.1f µs per wake-up\n",
           rate, elapsed, taken / elapsed, wakes / elapsed, (user + sys) / elapsed * 100, user / elapsed * 100, sys / elapsed * 100,
           (user + sys) * 1e6 / (wakes > 0 ? wakes : 1));
    return 0;
}
